// `advect radiance render`: a model's views as PNG frames, from a camera file or an orbit.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <numbers>
#include <optional>

#include "Command.h"
#include "RadianceFiles.h"
#include "advect/engine/Progress.h"
#include "advect/engine/Timing.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/Png.h"
#include "advect/radiance/DynamicTraining.h"
#include "advect/radiance/RadianceTraining.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

class RadianceRenderCommand final : public Command {
 public:
  explicit RadianceRenderCommand(CLI::App& parent) {
    app_ = parent.add_subcommand("render", "Render a model's views to PNG frames");
    app_->add_option("model", model_, "Model file of `advect radiance train`")->required();
    auto* camera = app_->add_option("--camera", cameras_,
                                    "transforms.json whose cameras to render (its pictures must "
                                    "exist: they give the size)");
    auto* orbit = app_->add_option("--orbit", orbit_,
                                   "Render N views on a circle around the box's vertical axis")
                      ->check(CLI::Range(1, 3600));
    camera->excludes(orbit);
    app_->add_option("--size", size_, "Orbit image width and height, pixels")
        ->check(CLI::Range(8, 4096))
        ->capture_default_str();
    app_->add_option("--radius", radius_, "Orbit radius, world units")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--elevation", elevation_, "Orbit elevation, degrees")
        ->check(CLI::Range(-89.0, 89.0))
        ->capture_default_str();
    app_->add_option("--fov", fov_, "Orbit horizontal field of view, degrees")
        ->check(CLI::Range(1.0, 170.0))
        ->capture_default_str();
    app_->add_option("--background", background_, "RGB in [0, 1] behind the scene")
        ->expected(3)
        ->capture_default_str();
    app_->add_option("--time", time_,
                     "Dynamic model: render every frame at this normalised time in [0, 1] "
                     "(default: the camera file's times; an orbit sweeps 0 to 1)")
        ->check(CLI::Range(0.0, 1.0));
    app_->add_option("-o,--output", output_, "Folder for frame_NNNN.png")->required();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const std::vector<float> background = background_option(background_);
    if (cameras_.empty() && !orbit_) throw std::invalid_argument("give --camera FILE or --orbit N");
    const auto model = load_model(model_, device);
    if (time_ && !model.dynamic) throw std::invalid_argument("--time needs a dynamic model");
    const radiance::SceneBox& box =
        model.dynamic ? model.dynamic->config().base.box : model.field->config().box;
    std::vector<radiance::PinholeCamera> cameras;
    std::vector<float> times;
    if (cameras_.empty()) {
      cameras = orbit(box);
      for (std::size_t i = 0; i < cameras.size(); ++i) {
        times.push_back(cameras.size() > 1 ? float(i) / float(cameras.size() - 1) : 0.0f);
      }
    } else {
      radiance::PosedImages posed = io::read_transforms_json(cameras_);
      cameras = std::move(posed.cameras);
      times = std::move(posed.times);
    }
    if (time_) times.assign(cameras.size(), *time_);
    io::OutputFolder folder(output_);
    ProgressBar bar("render", double(cameras.size()), "frames", show_progress(common_.quiet));
    const Clock::time_point start = Clock::now();
    for (std::size_t i = 0; i < cameras.size(); ++i) {
      const radiance::RenderedImage image =
          model.dynamic ? radiance::render(*model.dynamic, cameras[i], times[i], background.data())
                        : radiance::render(*model.field, cameras[i], background.data());
      io::write_png(folder / fmt::format("frame_{:04d}.png", i), image.rgb, image.width,
                    image.height, 3);
      bar.update(double(i + 1));
    }
    bar.finish();
    folder.commit();
    const double seconds = seconds_since(start);
    std::cout << fmt::format("{} frames in {:.1f} s ({:.2f} frames/s): {}\n", cameras.size(),
                             seconds, double(cameras.size()) / seconds, folder.target().string());
    return 0;
  }

 private:
  // Cameras on a circle around the box centre's vertical (z) axis, looking at the centre.
  std::vector<radiance::PinholeCamera> orbit(const radiance::SceneBox& box) const {
    std::vector<radiance::PinholeCamera> cameras;
    float centre[3];
    for (int a = 0; a < 3; ++a) centre[a] = 0.5f * (box.lower[a] + box.upper[a]);
    const double pi = std::numbers::pi, elevation = elevation_ * pi / 180.0;
    for (int k = 0; k < *orbit_; ++k) {
      const double azimuth = 2.0 * pi * k / *orbit_;
      const double back[3] = {std::cos(elevation) * std::cos(azimuth),
                              std::cos(elevation) * std::sin(azimuth), std::sin(elevation)};
      // Camera axes: z = back (the camera looks along -z), x = up x z, y = z x x, up = world z.
      double right[3] = {-back[1], back[0], 0.0};
      const double norm = std::hypot(right[0], right[1]);
      for (double& r : right) r /= norm;
      const double up[3] = {back[1] * right[2] - back[2] * right[1],
                            back[2] * right[0] - back[0] * right[2],
                            back[0] * right[1] - back[1] * right[0]};
      radiance::PinholeCamera camera;
      camera.width = camera.height = size_;
      camera.fx = camera.fy = float(0.5 * size_ / std::tan(0.5 * fov_ * pi / 180.0));
      camera.cx = camera.cy = 0.5f * float(size_);
      for (int r = 0; r < 3; ++r) {
        camera.camera_to_world[4 * r + 0] = float(right[r]);
        camera.camera_to_world[4 * r + 1] = float(up[r]);
        camera.camera_to_world[4 * r + 2] = float(back[r]);
        camera.camera_to_world[4 * r + 3] = centre[r] + float(radius_ * back[r]);
      }
      cameras.push_back(camera);
    }
    return cameras;
  }

  CommonOptions common_;
  fs::path model_, cameras_, output_;
  std::optional<int> orbit_;
  std::optional<float> time_;
  int size_ = 200;
  double radius_ = 4.0, elevation_ = 30.0, fov_ = 40.0;
  std::vector<float> background_ = {1.0f, 1.0f, 1.0f};
};

}  // namespace

std::unique_ptr<Command> make_radiance_render_command(CLI::App& radiance) {
  return std::make_unique<RadianceRenderCommand>(radiance);
}

}  // namespace advect::app
