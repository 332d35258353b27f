// `advect radiance export`: what a dynamic model shows of a scene at each of its times, as files
// to look at in a point-cloud viewer or ParaView: the static and the dynamic surfaces as coloured
// .ply clouds per time, and every surface point with its flow as .vtp (a .pvd over time).
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>

#include "Command.h"
#include "RadianceFiles.h"
#include "advect/engine/Progress.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/PointCloudIO.h"
#include "advect/io/VtkFiles.h"
#include "advect/radiance/DynamicTraining.h"
#include "advect/radiance/SurfacePoints.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

geometry::PointCloud coloured_cloud(const radiance::SurfacePoints& points, bool dynamic,
                                    float threshold) {
  geometry::PointCloud cloud;
  std::vector<float>& r = cloud.scalars["red"];
  std::vector<float>& g = cloud.scalars["green"];
  std::vector<float>& b = cloud.scalars["blue"];
  for (std::size_t i = 0; i < points.size(); ++i) {
    if ((points.dynamic_fraction[i] > threshold) != dynamic) continue;
    cloud.positions.insert(cloud.positions.end(), points.positions.begin() + std::ptrdiff_t(3 * i),
                           points.positions.begin() + std::ptrdiff_t(3 * i + 3));
    r.push_back(points.colours[3 * i]);
    g.push_back(points.colours[3 * i + 1]);
    b.push_back(points.colours[3 * i + 2]);
  }
  return cloud;
}

class RadianceExportCommand final : public Command {
 public:
  explicit RadianceExportCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "export",
        "A dynamic model's surfaces at each time of a scene's cameras: static_NNNN.ply, "
        "dynamic_NNNN.ply (coloured), flow_NNNN.vtp (points with a flow array) and flow.pvd");
    app_->add_option("model", model_, "Dynamic model file of `advect radiance train`")->required();
    app_->add_option("scene", scene_,
                     "Cameras with times (a transforms.json, or a folder holding one)")
        ->required();
    app_->add_option("--split", split_, "Which of the scene's cameras see the surfaces")
        ->check(CLI::IsMember({"all", "train", "test"}))
        ->capture_default_str();
    app_->add_option("--min-opacity", min_opacity_, "Pixels below this opacity give no point")
        ->check(CLI::Range(1e-3, 1.0))
        ->capture_default_str();
    app_->add_option("--dynamic-above", dynamic_above_,
                     "A point is dynamic where the dynamic branch holds more than this share of "
                     "its opacity")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    app_->add_option("-o,--output", output_, "Output folder")->required();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const auto model = load_model(model_, device);
    if (!model.dynamic) {
      throw std::invalid_argument(model_.string() +
                                  " is a static model: export needs a dynamic one");
    }
    const io::PosedImageSet scene = io::read_posed_images(scene_, split_);
    const radiance::PosedImages& images = scene.images;
    if (images.times.size() != images.size()) {
      throw std::invalid_argument(scene.source.string() + ": frames without \"time\"");
    }
    std::map<float, std::vector<std::size_t>> views_at;  // time -> the views at that time
    for (std::size_t i = 0; i < images.size(); ++i) views_at[images.times[i]].push_back(i);

    io::OutputFolder folder(output_);
    std::vector<io::TimeStepFile> steps;
    std::size_t static_points = 0, dynamic_points = 0;
    const float black[3] = {0, 0, 0};
    ProgressBar bar("export", double(images.size()), "views", show_progress(common_.quiet));
    std::size_t done = 0;
    for (const auto& [time, views] : views_at) {
      radiance::SurfacePoints points;
      for (std::size_t i : views) {
        radiance::append_surface_points(
            radiance::render(*model.dynamic, images.cameras[i], time, black), images.cameras[i],
            points, min_opacity_);
        bar.update(double(++done));
      }
      const std::string k = fmt::format("{:04d}", steps.size());
      const geometry::PointCloud still = coloured_cloud(points, false, dynamic_above_);
      const geometry::PointCloud moving = coloured_cloud(points, true, dynamic_above_);
      // An empty part is no file (a .ply without points is no cloud), but the time still counts.
      if (!still.empty()) io::write_point_cloud(folder / ("static_" + k + ".ply"), still);
      if (!moving.empty()) io::write_point_cloud(folder / ("dynamic_" + k + ".ply"), moving);
      static_points += still.size();
      dynamic_points += moving.size();
      const auto doubles = [](const std::vector<float>& v) {
        return std::vector<double>(v.begin(), v.end());
      };
      io::write_vtp_points(folder / ("flow_" + k + ".vtp"), doubles(points.positions),
                           {{"flow", 3, doubles(points.flow)},
                            {"colour", 3, doubles(points.colours)},
                            {"dynamic_fraction", 1, doubles(points.dynamic_fraction)}});
      steps.push_back({time, "flow_" + k + ".vtp"});
    }
    io::write_pvd(folder / "flow.pvd", steps);
    bar.finish();
    folder.commit();
    std::cout << fmt::format(
        "{} times of {} ({} views): {} static and {} dynamic surface points (dynamic share > "
        "{:g}) in {}: static_NNNN.ply, dynamic_NNNN.ply, flow_NNNN.vtp, flow.pvd\n",
        steps.size(), scene.source.string(), images.size(), static_points, dynamic_points,
        dynamic_above_, folder.target().string());
    return 0;
  }

 private:
  CommonOptions common_;
  fs::path model_, scene_, output_;
  std::string split_ = "all";
  float min_opacity_ = 0.5f, dynamic_above_ = 0.5f;
};

}  // namespace

std::unique_ptr<Command> make_radiance_export_command(CLI::App& radiance) {
  return std::make_unique<RadianceExportCommand>(radiance);
}

}  // namespace advect::app
