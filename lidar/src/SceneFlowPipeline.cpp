#include "advect/lidar/SceneFlowPipeline.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

#include "advect/engine/Timing.h"
#include "advect/geometry/CloudFilters.h"
#include "advect/geometry/GroundRemoval.h"
#include "advect/neural/Blas.h"

namespace advect::lidar {

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

void SceneFlowSettings::check_method() const {
  if (method != "fast" && method != "nsfp" && method != "rigid" && method != "sequence") {
    throw std::invalid_argument("unknown scene-flow method '" + method +
                                "' (nsfp, fast, rigid or sequence)");
  }
  if (up != "z" && up != "-y")
    throw std::invalid_argument("unknown up axis '" + up + "' (z or -y)");
  neural::matmul_precision(precision);  // throws for an unknown name
}

neural::SceneFlowOptions SceneFlowSettings::solver_options() const {
  check_method();
  if (!is_neural()) throw std::invalid_argument("the " + method + " method has no neural prior");
  neural::SceneFlowOptions options = neural::scene_flow_preset(
      method == "fast" ? neural::SceneFlowLoss::distance : neural::SceneFlowLoss::chamfer);
  options.max_iterations = max_iterations;
  options.seed = seed;
  if (patience) options.patience = *patience;
  if (min_delta) options.min_delta = *min_delta;
  if (learning_rate) options.learning_rate = *learning_rate;
  if (batch) options.batch_points = *batch;
  options.mlp.precision = neural::matmul_precision(precision);
  return options;
}

PreparedPair prepare_pair(geometry::SceneFlowPair pair, const SceneFlowSettings& settings,
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
    throw std::invalid_argument(pair.name + ": no points left after cropping and ground removal");
  }
  geometry::SceneFlowPair& out = prepared.pair;
  out.name = pair.name;
  out.source.positions = pick_rows(pair.source.positions, prepared.kept, 3);
  out.target.positions = pick_rows(pair.target.positions, target_rows, 3);
  out.flow = pick_rows(pair.flow, prepared.kept, 3);
  out.mask = pick_rows(pair.mask, prepared.kept, 1);
  out.classes = pick_rows(pair.classes, prepared.kept, 1);
  out.ego_motion = pair.ego_motion;
  return prepared;
}

namespace {

// The rotation taking a camera frame (x right, y down, z forward) to one with z up.
geometry::RigidTransform camera_to_z_up() {
  geometry::RigidTransform t;
  const double rows[9] = {1, 0, 0, 0, 0, 1, 0, -1, 0};
  std::copy(rows, rows + 9, t.rotation);
  return t;
}

std::vector<float> transformed(const geometry::RigidTransform& t,
                               const std::vector<float>& points) {
  std::vector<float> out(points.size());
  for (std::size_t i = 0; i < points.size(); i += 3) t.apply(&points[i], &out[i]);
  return out;
}

FlowEstimate estimate_rigid(const geometry::SceneFlowPair& pair, const SceneFlowSettings& settings,
                            const Device& device) {
  const auto start = Clock::now();
  std::optional<geometry::RigidTransform> ego =
      settings.ego_compensation ? pair.ego_motion : std::nullopt;
  // The method works with z up: other frames are turned for it and its flow turned back.
  const bool turn = settings.up == "-y";
  const geometry::RigidTransform to_up = camera_to_z_up(), back = geometry::inverse(to_up);
  if (turn && ego) ego = geometry::compose(to_up, geometry::compose(*ego, back));
  RigidFlow rigid =
      estimate_rigid_flow(turn ? transformed(to_up, pair.source.positions) : pair.source.positions,
                          turn ? transformed(to_up, pair.target.positions) : pair.target.positions,
                          ego, settings.rigid, device);
  FlowEstimate estimate;
  estimate.flow = turn ? transformed(back, rigid.flow) : std::move(rigid.flow);
  estimate.ego_compensated = !rigid.ego_estimated;
  estimate.clusters = rigid.clusters;
  estimate.moving_clusters = rigid.moving_clusters;
  estimate.moving_points = std::count(rigid.moving.begin(), rigid.moving.end(), std::uint8_t(1));
  estimate.fitted_source_points = std::int64_t(pair.source.size());
  estimate.fitted_target_points = std::int64_t(pair.target.size());
  estimate.seconds = seconds_since(start);
  return estimate;
}

}  // namespace

FlowEstimate estimate_flow(const geometry::SceneFlowPair& pair, const SceneFlowSettings& settings,
                           const Device& device, const std::function<void(int)>& on_iteration,
                           std::vector<float> initial_parameters) {
  settings.check_method();
  if (settings.method == "sequence") {
    throw std::invalid_argument(
        "the sequence method fits a whole sequence, not a pair: use `advect sceneflow sequence` "
        "or `advect accumulate --method sequence`");
  }
  if (!settings.is_neural()) return estimate_rigid(pair, settings, device);
  const auto start = Clock::now();
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
  options.initial_parameters = std::move(initial_parameters);
  if (on_iteration)
    options.on_iteration = [&](int iteration, double) { on_iteration(iteration + 1); };
  const bool subsampled = source.size() != moved.size();
  neural::SceneFlowResult result = neural::estimate_scene_flow(
      source, target, options, device, subsampled ? moved : std::vector<float>{});
  FlowEstimate estimate;
  estimate.flow = std::move(result.flow);
  estimate.parameters = std::move(result.parameters);
  for (std::size_t i = 0; i < ego.size(); ++i) estimate.flow[i] += ego[i];
  estimate.ego_compensated = compensate;
  estimate.iterations = result.iterations;
  estimate.loss = result.best_loss;
  estimate.fitted_source_points = std::int64_t(source.size() / 3);
  estimate.fitted_target_points = std::int64_t(target.size() / 3);
  estimate.seconds = seconds_since(start);
  return estimate;
}

FlowAccuracy evaluate_flow(const geometry::SceneFlowPair& pair, const std::vector<float>& flow) {
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
      foreground[i] = geometry::is_foreground(pair.taxonomy, pair.classes[i]);
      if (!pair.mask.empty()) valid[i] = valid[i] && pair.mask[i];
    }
    accuracy.threeway = geometry::threeway_epe(flow, pair.flow, foreground, dynamic, valid);
    accuracy.bucketed.emplace();
    accuracy.bucketed->add_frame(pair.source.positions, flow, pair.flow, ego, pair.classes,
                                 pair.taxonomy, pair.mask);
  }
  return accuracy;
}

}  // namespace advect::lidar
