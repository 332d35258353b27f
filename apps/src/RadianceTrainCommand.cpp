// `advect radiance train`: a static radiance field fitted to posed images, with progress, a
// summary of its speed by stage and a model file.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "Command.h"
#include "MemoryBudget.h"
#include "RadianceFiles.h"
#include "advect/engine/Progress.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/IoError.h"
#include "advect/io/SceneFiles.h"
#include "advect/neural/HashEncoding.h"
#include "advect/radiance/ModelTraining.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

class RadianceTrainCommand final : public Command {
 public:
  explicit RadianceTrainCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "train", "Train a radiance field on posed images (static, or dynamic over their times)");
    app_->add_option("scene", scene_,
                     "transforms.json, or a folder with transforms_train.json / transforms.json or "
                     "a COLMAP text model")
        ->required();
    app_->add_option("-o,--output", output_, "Model file to write")->required();
    app_->add_option("--seconds", seconds_, "Training time budget, s")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--steps", steps_, "At most this many steps")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--samples-per-step", samples_,
                     "Target samples per step, the rays adapt (default 65536; dynamic 16384: more, "
                     "smaller steps train its slower samples faster)")
        ->check(CLI::Range(1024, 1 << 24));
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
    app_->add_option("--model", model_,
                     "static; dynamic: static + dynamic + flow fields over the frames' times "
                     "(EmerNeRF's decomposition); dynamic-ode: the same with a velocity field "
                     "integrated between times (Runge-Kutta steps, \"ode\" in --config)")
        ->check(CLI::IsMember({"static", "dynamic", "dynamic-ode"}))
        ->capture_default_str();
    app_->add_flag("--no-aggregation", no_aggregation_,
                   "dynamic: no temporal aggregation along the flow (the flow is not learnt)");
    app_->add_flag("--no-flow", no_flow_, "dynamic: no flow field (and so no aggregation)");
    app_->add_flag("--lidar", lidar_,
                   "Also fit the scene's lidar returns of the training steps (lidar/ beside the "
                   "camera file): EmerNeRF's depth and line-of-sight terms, weights in --config's "
                   "\"lidar\" (docs/dynamic.md: better depth, lower PSNR in short runs)");
    app_->add_option("--occupancy-interval", occupancy_interval_,
                     "Steps between occupancy-grid updates (default 16; dynamic 8: its steps are "
                     "smaller, and empty space must be carved out early)")
        ->check(CLI::Range(1, 1000000));
    app_->add_option("--seed", seed_, "Random seed")->capture_default_str();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const io::PosedImageSet scene = io::read_posed_images(scene_, "train");
    if (model_ == "static" && (no_aggregation_ || no_flow_)) {
      throw std::invalid_argument("--no-aggregation and --no-flow apply to --model dynamic");
    }
    if (model_ == "dynamic-ode" && no_flow_) {
      throw std::invalid_argument("--no-flow takes dynamic-ode's velocity field away: use dynamic");
    }
    const radiance::ModelKind kind = radiance::model_kind_from(model_);
    nlohmann::json document = config_document();
    radiance::TrainingOptions options = radiance::training_defaults(kind);
    options.max_seconds = seconds_;
    options.max_steps = steps_;
    options.samples_per_step = samples_.value_or(options.samples_per_step);
    options.seed = seed_;
    options.occupancy_interval = occupancy_interval_.value_or(options.occupancy_interval);
    options.lidar_loss = radiance::LidarLoss::take_from(document);
    if (lidar_) {
      options.lidar = io::read_required_scene_lidar(scene.source);
    } else if (const auto returns = io::read_scene_lidar(scene.source); returns.size() > 0) {
      std::cerr << fmt::format("the scene has {} lidar returns; --lidar fits them too\n",
                               returns.size());
    }
    document = with_options(kind, document);
    ProgressBar bar("train " + scene.source.filename().string(), seconds_, "s",
                    show_progress(common_.quiet));
    options.on_step = [&](const radiance::TrainingReport& r) {
      bar.set_detail(fmt::format("step {} loss {:.5f} {:.3g} samples/s", r.steps, r.loss,
                                 double(r.samples) / r.seconds));
      bar.update(r.seconds);
    };
    const radiance::TrainedModel model = radiance::train_model(
        kind, document, scene.images, scene.source.string(), options, device, seed_,
        [&](std::int64_t parameters) {
          std::cerr << fmt::format("{} images {} x {}, {} parameters on {}\n", scene.images.size(),
                                   scene.images.width, scene.images.height, parameters,
                                   device.name());
        });
    bar.finish();
    io::write_file_bytes(output_, model.bytes);
    print_summary(model.report, device, lidar_);
    if (model.dynamic) {
      const radiance::DynamicFieldConfig& used = *model.dynamic;
      std::cout << fmt::format(
          "dynamic: frame time {:.4f}, {}{}, {}\n", used.frame_time,
          used.sparsity > 0.0f
              ? fmt::format("last mean dynamic opacity {:.3f}", model.report.sparsity)
              : std::string("no sparsity term"),
          used.entropy > 0.0f ? fmt::format(", entropy term {:.3g}", model.report.entropy) : "",
          used.velocity() ? fmt::format("velocity field in {} {} step(s) a frame", used.ode_steps,
                                        to_string(used.ode_method))
                          : fmt::format("cycle term {:.3g}", model.report.cycle));
    }
    std::cout << fmt::format("peak memory {:.0f} MiB; model: {}\n", peak_memory_mib(),
                             output_.string());
    return 0;
  }

 private:
  nlohmann::json config_document() const {
    if (config_file_.empty()) return nlohmann::json::object();
    try {
      return nlohmann::json::parse(io::read_file_bytes(config_file_));
    } catch (const nlohmann::json::exception& error) {
      throw io::IoError(config_file_, std::string("not valid JSON (") + error.what() + ")");
    }
  }

  // The document with the flags applied: --hashmap, --finest and --box to the static field
  // (the dynamic model's static branch), --no-flow and --no-aggregation to the dynamic field.
  nlohmann::json with_options(radiance::ModelKind kind, const nlohmann::json& document) const {
    if (kind == radiance::ModelKind::static_field) {
      radiance::RadianceFieldConfig config = radiance::RadianceFieldConfig::from_json(document);
      apply_static_options(config);
      return config.to_json();
    }
    radiance::DynamicFieldConfig config = radiance::DynamicFieldConfig::from_json(document);
    apply_static_options(config.base);
    if (no_flow_) config.flow = false;
    if (no_aggregation_ || no_flow_) config.temporal_aggregation = false;
    return config.to_json();
  }

  // --hashmap, --finest and --box: the static field's (the dynamic model's static branch).
  void apply_static_options(radiance::RadianceFieldConfig& config) const {
    if ((log2_table_ || finest_) && config.encoding.value("otype", "") != "HashGrid") {
      throw std::invalid_argument("--hashmap and --finest apply to a HashGrid encoding");
    }
    if (log2_table_) config.encoding["log2_hashmap_size"] = *log2_table_;
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
      const auto e = neural::HashEncodingConfig::from_json(config.encoding);
      config.encoding["per_level_scale"] =
          std::pow(double(*finest_) / e.base_resolution, 1.0 / std::max(1, e.levels - 1));
    }
  }

  static void print_summary(const radiance::TrainingReport& report, const Device& device,
                            bool lidar) {
    const auto& s = report.stages;
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
    if (lidar && report.lidar_rays == 0) {
      std::cout << "lidar: no return lies inside the box (--box) and within \"max_range\"\n";
    }
    if (report.lidar_rays > 0) {
      std::cout << fmt::format(
          "lidar: {} returns supervised the depth; last depth term {:.3g}, line of sight "
          "{:.3g}\n",
          report.lidar_rays, report.depth_loss, report.sight_loss);
    }
  }

  CommonOptions common_;
  fs::path scene_, output_, config_file_;
  double seconds_ = 300.0;
  std::int64_t steps_ = 1000000;
  std::optional<std::int64_t> samples_;
  std::optional<int> log2_table_, finest_, occupancy_interval_;
  std::vector<float> box_;
  std::uint64_t seed_ = 0;
  std::string model_ = "static";
  bool no_aggregation_ = false, no_flow_ = false, lidar_ = false;
};

}  // namespace

std::unique_ptr<Command> make_radiance_train_command(CLI::App& radiance) {
  return std::make_unique<RadianceTrainCommand>(radiance);
}

}  // namespace advect::app
