#include "SceneFlowRun.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "advect/geometry/CloudFilters.h"
#include "advect/geometry/GroundRemoval.h"

namespace advect::app {

namespace {

// `count` rows of a cloud of `n` points drawn without replacement (all rows, in order, when
// count >= n).
std::vector<std::int64_t> sample_rows(std::size_t n, std::int64_t count, std::mt19937_64& rng) {
  std::vector<std::int64_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0);
  if (count >= std::int64_t(n)) return rows;
  std::shuffle(rows.begin(), rows.end(), rng);
  rows.resize(std::size_t(count));
  return rows;
}

}  // namespace

std::vector<std::int64_t> surviving_rows(const std::vector<float>& cloud,
                                         const SceneFlowSettings& settings, const Device& device) {
  const auto n = std::int64_t(cloud.size() / 3);
  std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), 0);
  if (settings.crop) {
    geometry::CropRegion region;
    region.max_range = *settings.crop;
    const auto points = Buffer<float>::from_host(cloud, device);
    Buffer<std::int32_t> kept;
    geometry::crop(points.data(), n, region, device, &kept);
    const std::vector<std::int32_t> indices = kept.to_host();
    rows.assign(indices.begin(), indices.end());
  }
  if (settings.remove_ground && rows.size() >= 3) {
    const auto points = Buffer<float>::from_host(pick_rows(cloud, rows, 3), device);
    const auto count = std::int64_t(rows.size());
    geometry::GroundOptions options;
    const geometry::GroundPlane plane =
        geometry::fit_ground_plane(points.data(), count, options, device);
    Buffer<std::uint8_t> ground(rows.size(), device);
    geometry::ground_mask(points.data(), count, plane, options.distance, ground.data(), device);
    const std::vector<std::uint8_t> is_ground = ground.to_host();
    std::vector<std::int64_t> above;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!is_ground[i]) above.push_back(rows[i]);
    }
    rows = std::move(above);
  }
  return rows;
}

void SceneFlowSettings::add_to(CLI::App& app) {
  app.add_option("--method", method,
                 "nsfp (Chamfer + cycle loss, as published) or fast (distance-transform loss)")
      ->check(CLI::IsMember({"nsfp", "fast"}))
      ->capture_default_str();
  app.add_option("--points", points,
                 "Fit on N random points of each cloud (default: all); the flow is still "
                 "given at every source point")
      ->check(CLI::Range(std::int64_t(16), std::int64_t(1) << 40));
  app.add_option("--max-iters", max_iterations, "Most optimisation iterations per pair")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--patience", patience,
                 "Stop after this many iterations without improvement (default: nsfp 100, fast 50)")
      ->check(CLI::PositiveNumber);
  app.add_option("--min-delta", min_delta,
                 "Loss decrease that resets the patience (default: nsfp 1e-4, fast 1e-3)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--lr", learning_rate, "Adam learning rate (default: nsfp 0.008, fast 0.003)")
      ->check(CLI::PositiveNumber);
  app.add_option("--batch", batch,
                 "fast: random source points per step (default 512; 0 = every point)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--crop", crop, "Keep only points within this distance of the sensor, m")
      ->check(CLI::PositiveNumber);
  app.add_flag("--remove-ground", remove_ground,
               "Remove the ground plane (RANSAC, z up) from both clouds first");
  app.add_flag("!--no-ego-compensation", ego_compensation,
               "Fit the full flow even when the pair gives its ego motion");
  app.add_option("--seed", seed, "Seed of the network initialisation and the subsampling")
      ->capture_default_str();
}

neural::SceneFlowOptions SceneFlowSettings::solver_options() const {
  neural::SceneFlowOptions options = neural::scene_flow_preset(
      method == "fast" ? neural::SceneFlowLoss::distance : neural::SceneFlowLoss::chamfer);
  options.max_iterations = max_iterations;
  options.seed = seed;
  if (patience) options.patience = *patience;
  if (min_delta) options.min_delta = *min_delta;
  if (learning_rate) options.learning_rate = *learning_rate;
  if (batch) options.batch_points = *batch;
  return options;
}

PreparedPair prepare_pair(io::SceneFlowPair pair, const SceneFlowSettings& settings,
                          const Device& device) {
  PreparedPair prepared;
  if (!settings.crop && !settings.remove_ground) {
    prepared.pair = std::move(pair);
    return prepared;
  }
  prepared.kept = surviving_rows(pair.source.positions, settings, device);
  const std::vector<std::int64_t> target_rows =
      surviving_rows(pair.target.positions, settings, device);
  if (prepared.kept.empty() || target_rows.empty()) {
    throw std::runtime_error(pair.name + ": no points left after --crop/--remove-ground");
  }
  io::SceneFlowPair& out = prepared.pair;
  out.name = pair.name;
  out.source.positions = pick_rows(pair.source.positions, prepared.kept, 3);
  out.target.positions = pick_rows(pair.target.positions, target_rows, 3);
  out.flow = pick_rows(pair.flow, prepared.kept, 3);
  out.mask = pick_rows(pair.mask, prepared.kept, 1);
  out.classes = pick_rows(pair.classes, prepared.kept, 1);
  out.ego_motion = pair.ego_motion;
  return prepared;
}

FlowEstimate estimate_flow(const io::SceneFlowPair& pair, const SceneFlowSettings& settings,
                           const Device& device, const std::function<void(int)>& on_iteration) {
  const auto start = std::chrono::steady_clock::now();
  const bool compensate = settings.ego_compensation && pair.ego_motion.has_value();
  std::vector<float> ego;  // the flow of the static world, N x 3
  std::vector<float> moved = pair.source.positions;
  if (compensate) {
    ego.resize(moved.size());
    geometry::ego_flow(pair.source.positions, *pair.ego_motion, ego);
    for (std::size_t i = 0; i < moved.size(); ++i) moved[i] += ego[i];
  }
  std::mt19937_64 rng(settings.seed);
  const std::int64_t count = settings.points.value_or(std::int64_t(1) << 62);
  const std::vector<float> source =
      pick_rows(moved, sample_rows(pair.source.size(), count, rng), 3);
  const std::vector<float> target =
      pick_rows(pair.target.positions, sample_rows(pair.target.size(), count, rng), 3);
  neural::SceneFlowOptions options = settings.solver_options();
  options.on_iteration = [&](int iteration, double) { on_iteration(iteration + 1); };
  const bool subsampled = source.size() != moved.size();
  neural::SceneFlowResult result = neural::estimate_scene_flow(
      source, target, options, device, subsampled ? moved : std::vector<float>{});
  FlowEstimate estimate;
  estimate.flow = std::move(result.flow);
  for (std::size_t i = 0; i < ego.size(); ++i) estimate.flow[i] += ego[i];
  estimate.ego_compensated = compensate;
  estimate.iterations = result.iterations;
  estimate.loss = result.best_loss;
  estimate.fitted_source_points = std::int64_t(source.size() / 3);
  estimate.fitted_target_points = std::int64_t(target.size() / 3);
  estimate.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return estimate;
}

FlowAccuracy evaluate_flow(const io::SceneFlowPair& pair, const std::vector<float>& flow) {
  FlowAccuracy accuracy;
  accuracy.errors = geometry::flow_errors(flow, pair.flow, pair.mask);
  if (!pair.classes.empty() && pair.ego_motion) {
    const std::size_t n = pair.source.size();
    std::vector<float> ego(3 * n);
    geometry::ego_flow(pair.source.positions, *pair.ego_motion, ego);
    std::vector<std::uint8_t> dynamic(n), valid(n), foreground(n);
    geometry::dynamic_mask(pair.flow, ego, 0.05f, dynamic);  // av2: 0.05 m per 0.1 s sweep
    geometry::inside_box(pair.source.positions, 35.0f, valid);
    for (std::size_t i = 0; i < n; ++i) {
      foreground[i] = pair.classes[i] != 0;
      if (!pair.mask.empty()) valid[i] = valid[i] && pair.mask[i];
    }
    accuracy.threeway = geometry::threeway_epe(flow, pair.flow, foreground, dynamic, valid);
  }
  return accuracy;
}

}  // namespace advect::app
