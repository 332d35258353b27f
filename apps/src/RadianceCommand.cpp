// `advect radiance train|eval|render`: a static radiance field (hash grid, occupancy grid, volume
// rendering) from posed images in the NeRF-synthetic / instant-ngp / nerfstudio layout.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <optional>

#include "Command.h"
#include "MemoryBudget.h"
#include "advect/engine/Progress.h"
#include "advect/engine/Timing.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/IoError.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/Png.h"
#include "advect/io/SceneFiles.h"
#include "advect/radiance/ImageMetrics.h"
#include "advect/radiance/RadianceFieldFile.h"
#include "advect/radiance/RadianceTraining.h"
#include "advect/radiance/SceneRendering.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// SCENE is a transforms file, or a folder holding transforms_{split}.json or transforms.json.
fs::path transforms_of(const fs::path& scene, const std::string& split) {
  if (!fs::is_directory(scene)) return scene;
  const fs::path named = scene / ("transforms_" + split + ".json");
  return fs::exists(named) ? named : scene / "transforms.json";
}

radiance::LoadedRadianceField load_model(const fs::path& path, const Device& device) {
  return radiance::from_bytes(io::read_file_bytes(path), path.string(), device);
}

std::vector<float> background_option(const std::vector<float>& colour) {
  for (float c : colour) {
    if (!(c >= 0.0f && c <= 1.0f)) throw std::invalid_argument("--background: values in [0, 1]");
  }
  return colour;
}

class RadianceTrainCommand final : public Command {
 public:
  explicit RadianceTrainCommand(CLI::App& parent) {
    app_ = parent.add_subcommand("train", "Train a static radiance field on posed images");
    app_->add_option("scene", scene_,
                     "transforms.json, or a folder with transforms_train.json / transforms.json")
        ->required();
    app_->add_option("-o,--output", output_, "Model file to write")->required();
    app_->add_option("--seconds", seconds_, "Training time budget, s")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--steps", steps_, "At most this many steps")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--samples-per-step", samples_, "Target samples per step (rays adapt)")
        ->check(CLI::Range(1024, 1 << 24))
        ->capture_default_str();
    app_->add_option("--config", config_file_, "Model JSON (see docs/radiance.md)")
        ->check(CLI::ExistingFile);
    app_->add_option("--hashmap", log2_table_, "log2 of the hash table size per level")
        ->check(CLI::Range(10, 24));
    app_->add_option("--finest", finest_,
                     "Cells per box side of the hash grid's finest level (sets its growth factor)")
        ->check(CLI::Range(17, 1 << 20));
    app_->add_option("--box", box_,
                     "The scene's box x0 y0 z0 x1 y1 z1 (world units; default -1.5 .. 1.5, the "
                     "NeRF-synthetic scenes')")
        ->expected(6);
    app_->add_option("--seed", seed_, "Random seed")->capture_default_str();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const fs::path transforms = transforms_of(scene_, "train");
    const radiance::PosedImages images = io::read_transforms_json(transforms);
    radiance::RadianceFieldConfig config;
    if (!config_file_.empty()) {
      try {
        config = radiance::RadianceFieldConfig::from_json(
            nlohmann::json::parse(io::read_file_bytes(config_file_)));
      } catch (const nlohmann::json::exception& error) {
        throw io::IoError(config_file_, std::string("not valid JSON (") + error.what() + ")");
      }
    }
    if (log2_table_) config.encoding.log2_table_size = *log2_table_;
    if (!box_.empty()) {
      for (int a = 0; a < 3; ++a) {
        config.box.lower[a] = box_[std::size_t(a)];
        config.box.upper[a] = box_[std::size_t(a + 3)];
        if (!(config.box.upper[a] > config.box.lower[a])) {
          throw std::invalid_argument("--box: each upper bound must exceed its lower bound");
        }
      }
    }
    if (finest_) {
      const auto& e = config.encoding;
      config.encoding.per_level_scale =
          std::pow(double(*finest_) / e.base_resolution, 1.0 / std::max(1, e.levels - 1));
    }
    radiance::RadianceField field(config, device, seed_);
    radiance::TrainingOptions options;
    options.max_seconds = seconds_;
    options.max_steps = steps_;
    options.samples_per_step = samples_;
    options.seed = seed_;
    ProgressBar bar("train " + transforms.filename().string(), seconds_, "s",
                    show_progress(common_.quiet));
    options.on_step = [&](const radiance::TrainingReport& r) {
      bar.set_detail(fmt::format("step {} loss {:.5f} {:.3g} samples/s", r.steps, r.loss,
                                 double(r.samples) / r.seconds));
      bar.update(r.seconds);
    };
    std::cerr << fmt::format("{} images {} x {}, {} parameters on {}\n", images.size(),
                             images.width, images.height, field.parameter_count(), device.name());
    const radiance::TrainingReport report = radiance::train(field, images, options);
    bar.finish();
    const auto& s = report.stages;
    const nlohmann::json training = {{"scene", transforms.string()}, {"steps", report.steps},
                                     {"seconds", report.seconds},    {"rays", report.rays},
                                     {"samples", report.samples},    {"final_loss", report.loss},
                                     {"occupied", report.occupied},  {"device", device.name()}};
    io::write_file_bytes(output_, radiance::to_bytes(field, training));
    const double total =
        s.sampling + s.encoding + s.networks + s.compositing + s.optimiser + s.occupancy;
    std::cout << fmt::format(
        "trained {} steps in {:.1f} s on {}: {:.3g} rays/s, {:.3g} samples/s ({:.1f} samples "
        "per ray), last loss {:.5f} (PSNR {:.2f} dB on random backgrounds), occupied {:.1f}%\n",
        report.steps, report.seconds, device.name(), double(report.rays) / report.seconds,
        double(report.samples) / report.seconds, double(report.samples) / double(report.rays),
        report.loss, -10.0 * std::log10(report.loss), 100.0 * report.occupied);
    std::cout << fmt::format(
        "time per stage: sampling {:.0f}%, networks+encoding {:.0f}%, compositing {:.0f}%, "
        "optimiser {:.0f}%, occupancy {:.0f}%\n",
        100 * s.sampling / total, 100 * (s.networks + s.encoding) / total,
        100 * s.compositing / total, 100 * s.optimiser / total, 100 * s.occupancy / total);
    std::cout << fmt::format("peak memory {:.0f} MiB; model: {}\n", peak_memory_mib(),
                             output_.string());
    return 0;
  }

 private:
  CommonOptions common_;
  fs::path scene_, output_, config_file_;
  double seconds_ = 300.0;
  std::int64_t steps_ = 1000000, samples_ = 1 << 16;
  std::optional<int> log2_table_, finest_;
  std::vector<float> box_;
  std::uint64_t seed_ = 0;
};

class RadianceEvalCommand final : public Command {
 public:
  explicit RadianceEvalCommand(CLI::App& parent) {
    app_ = parent.add_subcommand("eval",
                                 "PSNR, SSIM and depth of a model against held-out posed images");
    app_->add_option("model", model_, "Model file of `advect radiance train`")->required();
    app_->add_option("scene", scene_,
                     "transforms.json, or a folder with transforms_test.json / transforms.json")
        ->required();
    app_->add_option("--json", json_, "Also write the table as JSON");
    app_->add_option("-o,--output", pictures_,
                     "Folder for pictures: render | truth | error per view");
    app_->add_option("--background", background_, "RGB in [0, 1] behind the scene")
        ->expected(3)
        ->capture_default_str();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const std::vector<float> background = background_option(background_);
    const auto model = load_model(model_, device);
    const fs::path transforms = transforms_of(scene_, "test");
    const radiance::PosedImages images = io::read_transforms_json(transforms);
    std::optional<io::OutputFolder> folder;
    if (!pictures_.empty()) folder.emplace(pictures_);
    nlohmann::json views = nlohmann::json::array();
    double psnr_sum = 0, ssim11_sum = 0, ssim7_sum = 0;
    ProgressBar bar("eval", double(images.size()), "views", show_progress(common_.quiet));
    for (std::size_t i = 0; i < images.size(); ++i) {
      const radiance::RenderedImage rendered =
          radiance::render(*model.field, images.cameras[i], background.data());
      const std::vector<float> truth = radiance::composite_over(images, i, background.data());
      const double p = radiance::psnr(rendered.rgb, truth);
      const double s11 = radiance::ssim(rendered.rgb, truth, images.width, images.height, 3,
                                        radiance::SsimWindow::gaussian11);
      const double s7 = radiance::ssim(rendered.rgb, truth, images.width, images.height, 3,
                                       radiance::SsimWindow::uniform7);
      psnr_sum += p;
      ssim11_sum += s11;
      ssim7_sum += s7;
      views.push_back({{"view", images.names[i]},
                       {"psnr", p},
                       {"ssim_gaussian11", s11},
                       {"ssim_uniform7", s7}});
      if (folder) write_comparison(*folder / fmt::format("view_{:03d}.png", i), rendered, truth);
      bar.update(double(i + 1));
    }
    bar.finish();
    const double n = double(images.size());
    const nlohmann::json table = {{"model", model_.string()},
                                  {"scene", transforms.string()},
                                  {"views", views},
                                  {"mean",
                                   {{"psnr", psnr_sum / n},
                                    {"ssim_gaussian11", ssim11_sum / n},
                                    {"ssim_uniform7", ssim7_sum / n}}}};
    std::cout << fmt::format("{} views of {} ({} x {}), background ({:g}, {:g}, {:g})\n",
                             images.size(), transforms.string(), images.width, images.height,
                             background[0], background[1], background[2]);
    std::cout << fmt::format(
        "  PSNR {:.2f} dB   SSIM {:.4f} (11x11 Gaussian)   {:.4f} (7x7 "
        "uniform, skimage)\n",
        psnr_sum / n, ssim11_sum / n, ssim7_sum / n);
    if (!json_.empty()) io::write_file_bytes(json_, table.dump(2) + "\n");
    if (folder) {
      folder->commit();
      std::cout << fmt::format("pictures (render | truth | |error| x 4): {}\n",
                               folder->target().string());
    }
    return 0;
  }

 private:
  // One picture: the render, the truth and the absolute error (grey, scaled by 4) side by side.
  static void write_comparison(const fs::path& path, const radiance::RenderedImage& rendered,
                               const std::vector<float>& truth) {
    const int w = rendered.width, h = rendered.height;
    std::vector<float> picture(std::size_t(3 * w) * std::size_t(h) * 3);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const std::size_t p = std::size_t(y) * std::size_t(w) + std::size_t(x);
        float error = 0.0f;
        for (int c = 0; c < 3; ++c)
          error +=
              std::abs(rendered.rgb[3 * p + std::size_t(c)] - truth[3 * p + std::size_t(c)]) / 3.0f;
        for (int c = 0; c < 3; ++c) {
          const std::size_t row = std::size_t(y) * std::size_t(3 * w);
          picture[3 * (row + std::size_t(x)) + std::size_t(c)] =
              rendered.rgb[3 * p + std::size_t(c)];
          picture[3 * (row + std::size_t(w + x)) + std::size_t(c)] = truth[3 * p + std::size_t(c)];
          picture[3 * (row + std::size_t(2 * w + x)) + std::size_t(c)] = 4.0f * error;
        }
      }
    }
    io::write_png(path, picture, 3 * w, h, 3);
  }

  CommonOptions common_;
  fs::path model_, scene_, json_, pictures_;
  std::vector<float> background_ = {1.0f, 1.0f, 1.0f};
};

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
    app_->add_option("-o,--output", output_, "Folder for frame_NNNN.png")->required();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const std::vector<float> background = background_option(background_);
    if (cameras_.empty() && !orbit_) throw std::invalid_argument("give --camera FILE or --orbit N");
    const auto model = load_model(model_, device);
    const std::vector<radiance::PinholeCamera> cameras =
        cameras_.empty() ? orbit(model.field->config().box)
                         : io::read_transforms_json(cameras_).cameras;
    io::OutputFolder folder(output_);
    ProgressBar bar("render", double(cameras.size()), "frames", show_progress(common_.quiet));
    const Clock::time_point start = Clock::now();
    for (std::size_t i = 0; i < cameras.size(); ++i) {
      const radiance::RenderedImage image =
          radiance::render(*model.field, cameras[i], background.data());
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
  int size_ = 200;
  double radius_ = 4.0, elevation_ = 30.0, fov_ = 40.0;
  std::vector<float> background_ = {1.0f, 1.0f, 1.0f};
};

class RadianceSceneCommand final : public Command {
 public:
  explicit RadianceSceneCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "scene",
        "Render the engine's synthetic street (exact depth, masks, scene flow, optical flow, "
        "lidar) as transforms.json + PNG + .npy");
    app_->add_option("-o,--output", output_, "Output folder (created if missing)")->required();
    app_->add_option("--size", size_, "Image width and height, pixels")
        ->check(CLI::Range(8, 4096))
        ->capture_default_str();
    app_->add_option("--cameras", options_.cameras, "Cameras on the rig")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    app_->add_option("--steps", options_.steps, "Time steps")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    app_->add_option("--frame-time", options_.frame_time, "Time between steps")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--rig-rate", options_.rig_rate,
                     "The rig's turn rate about the scene centre, radians per unit time")
        ->capture_default_str();
    app_->add_option("--test-every", test_every_,
                     "Hold out every N-th frame in transforms_test.json (0: none)")
        ->check(CLI::Range(0, 1000000))
        ->capture_default_str();
    app_->add_flag("--static", frozen_, "Objects do not move (a static scene)");
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    options_.width = options_.height = size_;
    const Clock::time_point start = Clock::now();
    const radiance::SceneRendering rendering =
        radiance::render_scene(radiance::default_scene(!frozen_), options_, device);
    io::OutputFolder folder(output_);
    const auto files = io::write_scene(folder.path(), rendering, test_every_);
    folder.commit();
    std::size_t moving = 0, pixels = 0, points = 0;
    for (const auto& frame : rendering.frames) {
      for (std::size_t p = 0; p < frame.id.size(); ++p) {
        moving += std::hypot(frame.flow_next[3 * p], frame.flow_next[3 * p + 1],
                             frame.flow_next[3 * p + 2]) > 0.0f;
      }
      pixels += frame.id.size();
    }
    for (const auto& sweep : rendering.sweeps) points += sweep.range.size();
    std::cout << fmt::format(
        "{} frames ({} cameras x {} steps, {} x {}) and {} lidar sweeps ({:.0f} points each) in "
        "{:.2f} s; {:.1f}% of pixels move; {} files in {}\n",
        rendering.frames.size(), options_.cameras, options_.steps, size_, size_,
        rendering.sweeps.size(), double(points) / double(rendering.sweeps.size()),
        seconds_since(start), 100.0 * double(moving) / double(pixels), files.size(),
        folder.target().string());
    return 0;
  }

 private:
  CommonOptions common_;
  fs::path output_;
  int size_ = 64, test_every_ = 8;
  bool frozen_ = false;
  radiance::SceneRenderOptions options_;
};

}  // namespace

void add_radiance_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands) {
  CLI::App* radiance =
      parent.add_subcommand("radiance",
                            "Radiance fields from posed images: train, eval (PSNR/SSIM), render, "
                            "and synthetic scenes with exact truth");
  radiance->require_subcommand(1);
  commands.push_back(std::make_unique<RadianceTrainCommand>(*radiance));
  commands.push_back(std::make_unique<RadianceEvalCommand>(*radiance));
  commands.push_back(std::make_unique<RadianceRenderCommand>(*radiance));
  commands.push_back(std::make_unique<RadianceSceneCommand>(*radiance));
}

}  // namespace advect::app
