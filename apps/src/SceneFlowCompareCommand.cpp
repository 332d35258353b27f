// `advect sceneflow compare`: several scene-flow methods on the same pairs in one table; the flow
// field of a dynamic radiance model (`advect radiance train --model dynamic`) is one of them when
// the pairs are the lidar pairs of a scene that `advect radiance scene` wrote.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "Command.h"
#include "RadianceFiles.h"
#include "advect/engine/Progress.h"
#include "advect/geometry/FlowMetrics.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/SceneFiles.h"
#include "advect/io/SceneFlowData.h"
#include "advect/lidar/MethodComparison.h"
#include "advect/radiance/DynamicTraining.h"

namespace advect::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json scores_json(const lidar::MethodScore& s) {
  const auto entry = [](const geometry::PooledFlowErrors& pooled) {
    const geometry::FlowErrors e = pooled.mean();
    return json{{"epe3d", e.epe3d},       {"acc3ds", e.acc3ds}, {"acc3dr", e.acc3dr},
                {"outliers", e.outliers}, {"angle", e.angle},   {"points", e.points}};
  };
  return {{"method", s.name},
          {"all", entry(s.all)},
          {"movers", entry(s.movers)},
          {"seconds", s.seconds}};
}

class CompareCommand final : public Command {
 public:
  explicit CompareCommand(CLI::App& sceneflow) {
    app_ = sceneflow.add_subcommand(
        "compare",
        "Several methods on the same pairs, one table: nsfp, fast, rigid, sequence and a dynamic "
        "radiance model's flow field");
    app_->add_option("dataset", dataset_, "A directory of .npz pairs with flow, or one .npz")
        ->required();
    app_->add_option("--methods", methods_,
                     "Lidar methods to run on every pair; sequence fits the pairs as one sequence "
                     "(each pair's target the next pair's source, in name order), ground removed")
        ->delimiter(',')
        ->check(CLI::IsMember({"nsfp", "fast", "rigid", "sequence"}))
        ->capture_default_str();
    app_->add_option("--radiance", model_,
                     "A dynamic radiance model: its flow field at each pair's time is one more "
                     "row (pairs named pair_T.npz, T the scene's step)")
        ->check(CLI::ExistingFile);
    app_->add_option("--scene", scene_,
                     "The radiance scene whose transforms.json gives each step's time (default: "
                     "the dataset's parent folder)");
    app_->add_option("--points", settings_.points,
                     "Lidar methods: fit on N random points of each cloud (default: all)")
        ->check(CLI::Range(std::int64_t(16), std::int64_t(1) << 40));
    app_->add_option("--seed", settings_.seed, "Lidar methods: the networks' seed")
        ->capture_default_str();
    app_->add_option("--json", json_, "Also write the table as JSON to this file");
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const io::ScoredPairs data = io::read_scored_pairs(dataset_);
    const std::vector<geometry::SceneFlowPair>& pairs = data.pairs;
    // The model and the pairs' times first: a bad model or scene fails before minutes of work.
    std::optional<radiance::LoadedRadianceField> model;
    std::vector<lidar::FlowSource> sources;
    if (!model_.empty()) {
      model = load_model(model_, device);
      if (!model->dynamic) {
        throw CLI::ValidationError("--radiance", model_.string() + " is a static model: no flow");
      }
      const fs::path scene =
          scene_.empty() ? fs::absolute(dataset_).lexically_normal().parent_path() : scene_;
      const std::vector<float> times = io::read_pair_times(data.files, scene / "transforms.json");
      sources.push_back(
          {"radiance flow field", [&pairs, times, field = model->dynamic.get()](std::size_t k) {
             return radiance::scene_flow_at(*field, pairs[k].source.positions, times[k]);
           }});
    }
    if (!json_.empty() && json_.has_parent_path()) fs::create_directories(json_.parent_path());

    const double rows = double(methods_.size() + sources.size()) * double(pairs.size());
    ProgressBar bar("compare", rows, "pairs", show_progress(common_.quiet));
    double done = 0;
    const std::vector<lidar::MethodScore> scores = lidar::compare_methods(
        pairs, methods_, settings_, device, sources, [&] { bar.update(done += 1); });
    bar.finish();

    std::cout << fmt::format("{} pair(s) of {} on {}; EPE3D in the pairs' units\n", pairs.size(),
                             dataset_.string(), device.name());
    std::cout << fmt::format("{:<20} {:>9} {:>8} {:>8} {:>9} {:>7} {:>12} {:>9} {:>9}\n", "method",
                             "EPE3D", "Acc3DS%", "Acc3DR%", "Outlier%", "angle", "movers EPE3D",
                             "movers", "seconds");
    json report = {
        {"dataset", dataset_.string()}, {"pairs", pairs.size()}, {"methods", json::array()}};
    for (const lidar::MethodScore& s : scores) {
      const geometry::FlowErrors a = s.all.mean(), m = s.movers.mean();
      std::cout << fmt::format(
          "{:<20} {:>9.4f} {:>8.1f} {:>8.1f} {:>9.1f} {:>7.3f} {:>12} {:>9} {:>9.2f}\n", s.name,
          a.epe3d, 100 * a.acc3ds, 100 * a.acc3dr, 100 * a.outliers, a.angle,
          m.points ? fmt::format("{:.4f}", m.epe3d) : std::string("-"), m.points, s.seconds);
      report["methods"].push_back(scores_json(s));
    }
    if (!json_.empty()) {
      io::write_file_bytes(json_, report.dump(2) + "\n");
      std::cout << "wrote " << json_.string() << "\n";
    }
    return 0;
  }

 private:
  fs::path dataset_, model_, scene_, json_;
  std::vector<std::string> methods_ = {"nsfp", "fast"};
  lidar::SceneFlowSettings settings_;
  CommonOptions common_;
};

}  // namespace

std::unique_ptr<Command> make_sceneflow_compare_command(CLI::App& sceneflow) {
  return std::make_unique<CompareCommand>(sceneflow);
}

}  // namespace advect::app
