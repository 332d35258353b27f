// `advect sceneflow estimate` (two clouds in, flow out) and `advect sceneflow eval` (a dataset of
// pairs with ground truth in, the field's accuracy table out).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "Command.h"
#include "SceneFlowFlags.h"
#include "advect/engine/Log.h"
#include "advect/engine/Progress.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/FlowPlot.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/SceneFlowData.h"
#include "advect/io/VtkFiles.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// NaN (a class without points) is written as JSON null.
nlohmann::json number_or_null(double value) {
  return std::isnan(value) ? nlohmann::json() : nlohmann::json(value);
}

nlohmann::json bucketed_json(const geometry::BucketedEpe& bucketed) {
  nlohmann::json json = {
      {"mean_dynamic_normalized", number_or_null(bucketed.mean_dynamic_normalized())},
      {"mean_static_epe", number_or_null(bucketed.mean_static_epe())}};
  for (int c = 0; c < geometry::kMetaClasses; ++c) {
    const geometry::ClassBucketScore score = bucketed.score(geometry::MetaClass(c));
    json["classes"][std::string(geometry::kMetaClassNames[std::size_t(c)])] = {
        {"static_epe", number_or_null(score.static_epe)},
        {"dynamic_normalized", number_or_null(score.dynamic_normalized)},
        {"static_points", score.static_points},
        {"dynamic_points", score.dynamic_points}};
  }
  return json;
}

// The per-class table of the Argoverse 2 2024 ranking, one line a meta class.
std::string bucketed_table(const geometry::BucketedEpe& bucketed) {
  const auto cell = [](double value, int precision) {
    return std::isnan(value) ? std::string("-") : fmt::format("{:.{}f}", value, precision);
  };
  std::string table = fmt::format("{:<16} {:>9} {:>8} {:>12} {:>8}\n", "meta class", "static/m",
                                  "points", "dynamic norm", "points");
  for (int c = 0; c < geometry::kMetaClasses; ++c) {
    const geometry::ClassBucketScore score = bucketed.score(geometry::MetaClass(c));
    table +=
        fmt::format("{:<16} {:>9} {:>8} {:>12} {:>8}\n", geometry::kMetaClassNames[std::size_t(c)],
                    cell(score.static_epe, 4), score.static_points,
                    cell(score.dynamic_normalized, 4), score.dynamic_points);
  }
  table +=
      fmt::format("mean dynamic normalized EPE {} (zero flow scores 1), mean static EPE {} m\n",
                  cell(bucketed.mean_dynamic_normalized(), 4), cell(bucketed.mean_static_epe(), 4));
  return table;
}

nlohmann::json accuracy_json(const lidar::FlowAccuracy& accuracy) {
  const geometry::FlowErrors& e = accuracy.errors;
  nlohmann::json json = {{"epe3d", e.epe3d},   {"acc3ds", e.acc3ds},
                         {"acc3dr", e.acc3dr}, {"outliers", e.outliers},
                         {"angle", e.angle},   {"evaluated_points", e.points}};
  if (accuracy.threeway) {
    const geometry::ThreewayEpe& t = *accuracy.threeway;
    json["threeway"] = {{"epe", t.threeway},
                        {"background_static", t.background_static},
                        {"foreground_static", t.foreground_static},
                        {"foreground_dynamic", t.foreground_dynamic},
                        {"counts", t.counts}};
  }
  if (accuracy.bucketed) json["bucketed"] = bucketed_json(*accuracy.bucketed);
  return json;
}

std::string accuracy_line(const lidar::FlowAccuracy& accuracy) {
  const geometry::FlowErrors& e = accuracy.errors;
  std::string line = fmt::format(
      "EPE3D {:.4f} m, Acc3DS {:.1f}%, Acc3DR {:.1f}%, outliers {:.1f}%, angle {:.3f} rad", e.epe3d,
      100 * e.acc3ds, 100 * e.acc3dr, 100 * e.outliers, e.angle);
  if (accuracy.threeway)
    line += fmt::format(", three-way EPE {:.4f} m", accuracy.threeway->threeway);
  return line;
}

class EstimateCommand final : public Command {
 public:
  explicit EstimateCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "estimate",
        "Scene flow from SRC to DST: writes flow.npy, flow.vtp and summary.json (and flow.png)");
    app_->add_option("source", source_,
                     "First sweep (.ply .pcd .xyz .bin .npy), or one .npz pair (pc1, pc2[, flow])")
        ->required()
        ->check(CLI::ExistingFile);
    app_->add_option("target", target_, "Second sweep (not with an .npz pair)")
        ->check(CLI::ExistingFile);
    app_->add_option("-o,--output", output_, "Output directory (created if missing)")->required();
    app_->add_option("--gt", truth_,
                     "Ground-truth flow of SRC (.npy (N, 3) or .xyz) to score against")
        ->check(CLI::ExistingFile);
    app_->add_flag("--png", png_, "Also draw OUT/flow.png (top view, coloured by |flow|)");
    add_scene_flow_flags(*app_, settings_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const lidar::PreparedPair prepared = lidar::prepare_pair(read_pair(), settings_, device);
    const geometry::SceneFlowPair& pair = prepared.pair;
    log().debug("{}: {} -> {} points, method {} on {}", pair.name, pair.source.size(),
                pair.target.size(), settings_.method, device.name());

    ProgressBar progress("sceneflow", settings_.max_iterations, "it", show_progress(common_.quiet));
    const lidar::FlowEstimate estimate =
        lidar::estimate_flow(pair, settings_, device, [&](int k) { progress.update(k); });
    progress.finish();

    io::OutputFolder folder(output_);
    std::vector<fs::path> files = {folder / "flow.npy", folder / "flow.vtp"};
    const std::size_t n = pair.source.size();
    io::write_npy(files[0], io::NpyArray::from_values<float>(estimate.flow, {n, 3}));
    io::write_vtp_points(
        files[1], std::vector<double>(pair.source.positions.begin(), pair.source.positions.end()),
        {{"flow", 3, std::vector<double>(estimate.flow.begin(), estimate.flow.end())}});
    if (!prepared.kept.empty()) {
      files.push_back(folder / "indices.npy");
      io::write_npy(files.back(), io::NpyArray::from_values<std::int64_t>(prepared.kept, {n}));
    }
    if (png_) {
      files.push_back(folder / "flow.png");
      io::plot_flow_top_view(files.back(), pair.source.positions, estimate.flow,
                             pair.target.positions,
                             fmt::format("{} flow of {}", settings_.method, pair.name));
    }
    files.push_back(folder / "summary.json");
    nlohmann::json summary = {
        {"method", settings_.method},
        {"device", device.name()},
        {"source_points", n},
        {"target_points", pair.target.size()},
        {"fitted_points", {estimate.fitted_source_points, estimate.fitted_target_points}},
        {"ego_compensated", estimate.ego_compensated},
        {"iterations", estimate.iterations},
        {"loss", estimate.loss},
        {"seconds", estimate.seconds}};
    if (!settings_.is_neural()) {
      summary["clusters"] = estimate.clusters;
      summary["moving_clusters"] = estimate.moving_clusters;
      summary["moving_points"] = estimate.moving_points;
    }
    std::optional<lidar::FlowAccuracy> accuracy;
    if (pair.has_truth()) {
      accuracy = lidar::evaluate_flow(pair, estimate.flow);
      summary["accuracy"] = accuracy_json(*accuracy);
    }
    for (const fs::path& file : files)
      summary["files"].push_back((output_ / file.filename()).string());
    io::write_file_bytes(files.back(), summary.dump(2) + "\n");
    folder.commit();

    const std::string work =
        settings_.is_neural()
            ? fmt::format("{} iterations, loss {:.5g}", estimate.iterations, estimate.loss)
            : fmt::format("{} of {} clusters moving ({} points)", estimate.moving_clusters,
                          estimate.clusters, estimate.moving_points);
    std::cout << fmt::format(
        "{} flow for {} points ({} -> {}{}{}): {}, {:.2f} s on {}\n", settings_.method, n,
        pair.source.size(), pair.target.size(),
        settings_.points ? fmt::format(", fitted on {}", estimate.fitted_source_points) : "",
        estimate.ego_compensated ? ", ego motion given" : "", work, estimate.seconds,
        device.name());
    if (accuracy) std::cout << "against the ground truth: " << accuracy_line(*accuracy) << "\n";
    if (accuracy && accuracy->bucketed) std::cout << bucketed_table(*accuracy->bucketed);
    std::cout << "wrote";
    for (const fs::path& file : files) std::cout << " " << (output_ / file.filename()).string();
    std::cout << "\n";
    return 0;
  }

 private:
  geometry::SceneFlowPair read_pair() const {
    if (source_.extension() == ".npz") {
      if (!target_.empty())
        throw CLI::ValidationError("target", "an .npz pair holds both clouds: give no second file");
      if (!truth_.empty()) throw CLI::ValidationError("--gt", "an .npz pair holds its own flow");
      return io::read_scene_flow_npz(source_);
    }
    if (target_.empty()) throw CLI::ValidationError("target", "the second sweep is missing");
    return io::read_scene_flow_files(source_, target_,
                                     truth_.empty() ? std::nullopt : std::optional(truth_));
  }

  fs::path source_, target_, output_, truth_;
  bool png_ = false;
  lidar::SceneFlowSettings settings_;
  CommonOptions common_;
};

class EvalCommand final : public Command {
 public:
  explicit EvalCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "eval", "Estimate every pair of a dataset (.npz files with pc1, pc2, flow) and score it");
    app_->add_option("dataset", dataset_, "A directory of .npz pairs, or one .npz")->required();
    app_->add_option("--json", json_, "Also write the table as JSON to this file");
    add_scene_flow_flags(*app_, settings_);
    add_warm_start_flag(*app_, settings_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const std::vector<fs::path> files = io::list_scene_flow_pairs(dataset_);
    // The JSON's folder is made now: a bad --json path fails before minutes of work, not after.
    if (!json_.empty() && json_.has_parent_path()) fs::create_directories(json_.parent_path());
    // Read everything first: a bad file fails before minutes of work.
    std::vector<lidar::PreparedPair> pairs;
    for (const fs::path& file : files) {
      geometry::SceneFlowPair pair = io::read_scene_flow_npz(file);
      if (!pair.has_truth()) throw io::IoError(file, "no ground-truth 'flow' to evaluate against");
      pairs.push_back(lidar::prepare_pair(std::move(pair), settings_, device));
    }

    ProgressBar progress("eval", double(pairs.size()), "pairs", show_progress(common_.quiet));
    nlohmann::json report = {{"method", settings_.method},
                             {"warm_start", settings_.warm_starts()},
                             {"device", device.name()}};
    // The work column: iterations of a neural prior, moving clusters of the rigid method.
    const char* work = settings_.is_neural() ? "iterations" : "moving_clusters";
    const auto row = [&](const std::string& name, std::size_t points, const nlohmann::json& r) {
      std::string line =
          fmt::format("{:<28} {:>7} {:>8.4f} {:>7.1f} {:>7.1f} {:>8.1f} {:>6.3f} {:>6.0f} {:>8.2f}",
                      name, points, r["epe3d"].get<double>(), 100 * r["acc3ds"].get<double>(),
                      100 * r["acc3dr"].get<double>(), 100 * r["outliers"].get<double>(),
                      r["angle"].get<double>(), r[work].get<double>(), r["seconds"].get<double>());
      if (r.contains("threeway_epe")) {
        const nlohmann::json& normalized = r["dynamic_normalized"];
        line += fmt::format(" {:>8.4f} {:>7.4f} {:>8.4f} {:>9}", r["threeway_epe"].get<double>(),
                            r["static_epe"].get<double>(), r["dynamic_epe"].get<double>(),
                            normalized.is_null() ? std::string("-")
                                                 : fmt::format("{:.4f}", normalized.get<double>()));
      }
      return line;
    };
    std::vector<std::string> rows;
    std::optional<geometry::BucketedEpe> bucketed;  // every pair's points pooled
    nlohmann::json mean = nlohmann::json::object();
    std::vector<const char*> mean_keys = {"epe3d", "acc3ds", "acc3dr", "outliers",
                                          "angle", work,     "seconds"};
    std::size_t all_points = 0;
    std::vector<float> previous;  // the last pair's networks, for --warm-start
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      const geometry::SceneFlowPair& pair = pairs[k].pair;
      lidar::FlowEstimate estimate = lidar::estimate_flow(
          pair, settings_, device,
          [&](int iteration) {
            progress.update(double(k) + double(iteration) / settings_.max_iterations);
          },
          settings_.warm_start ? std::move(previous) : std::vector<float>{});
      previous = std::move(estimate.parameters);
      const lidar::FlowAccuracy accuracy = lidar::evaluate_flow(pair, estimate.flow);
      if (accuracy.bucketed) {
        if (!bucketed) bucketed.emplace();
        bucketed->merge(*accuracy.bucketed);
      }
      nlohmann::json result = accuracy_json(accuracy);
      result["name"] = pair.name;
      result["iterations"] = estimate.iterations;
      result["moving_clusters"] = estimate.moving_clusters;
      result["ego_compensated"] = estimate.ego_compensated;
      result["seconds"] = estimate.seconds;
      if (accuracy.threeway) {
        // The table's summary of the three-way buckets: background-static and
        // foreground-dynamic EPE.
        result["threeway_epe"] = accuracy.threeway->threeway;
        result["static_epe"] = accuracy.threeway->background_static;
        result["dynamic_epe"] = accuracy.threeway->foreground_dynamic;
        result["dynamic_normalized"] = number_or_null(accuracy.bucketed->mean_dynamic_normalized());
        if (k == 0)
          mean_keys.insert(mean_keys.end(), {"threeway_epe", "static_epe", "dynamic_epe"});
      }
      for (const char* key : mean_keys)
        mean[key] = mean.value(key, 0.0) + result[key].get<double>() / double(pairs.size());
      rows.push_back(row(pair.name, pair.source.size(), result));
      all_points += pair.source.size();
      report["pairs"].push_back(std::move(result));
      progress.update(double(k + 1));
    }
    progress.finish();
    report["mean"] = mean;

    std::cout << fmt::format("{} on {} pair(s) of {}, {}\n", settings_.method, pairs.size(),
                             dataset_.string(), device.name());
    std::cout << fmt::format("{:<28} {:>7} {:>8} {:>7} {:>7} {:>8} {:>6} {:>6} {:>8}{}\n", "pair",
                             "points", "EPE3D/m", "Acc3DS%", "Acc3DR%", "Outlier%", "angle",
                             settings_.is_neural() ? "iters" : "movers", "seconds",
                             bucketed ? "  3-way/m  BS/m     FD/m  dyn-norm" : "");
    for (const std::string& line : rows) std::cout << line << "\n";
    if (bucketed) {
      // The pooled ranking number, not a mean of the pairs' own.
      mean["dynamic_normalized"] = number_or_null(bucketed->mean_dynamic_normalized());
    }
    // The mean row's points: the pairs' mean, as every other column.
    if (pairs.size() > 1) std::cout << row("mean", all_points / pairs.size(), mean) << "\n";
    if (bucketed) {
      std::cout << "(BS: background-static EPE, FD: foreground-dynamic EPE; dyn-norm: mean "
                   "dynamic normalized EPE)\n";
      report["bucketed"] = bucketed_json(*bucketed);
      std::cout << "Argoverse 2 2024 ranking metric (bucketed normalized EPE, all pairs pooled):\n"
                << bucketed_table(*bucketed);
    }
    if (!json_.empty()) {
      io::write_file_bytes(json_, report.dump(2) + "\n");
      std::cout << "wrote " << json_.string() << "\n";
    }
    return 0;
  }

 private:
  fs::path dataset_, json_;
  lidar::SceneFlowSettings settings_;
  CommonOptions common_;
};

}  // namespace

void add_sceneflow_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands) {
  CLI::App* sceneflow = parent.add_subcommand(
      "sceneflow", "Per-point motion between lidar sweeps: pairs and whole sequences");
  sceneflow->require_subcommand(1);
  commands.push_back(std::make_unique<EstimateCommand>(*sceneflow));
  commands.push_back(std::make_unique<EvalCommand>(*sceneflow));
  commands.push_back(make_sceneflow_sequence_command(*sceneflow));
  commands.push_back(make_sceneflow_compare_command(*sceneflow));
}

}  // namespace advect::app
