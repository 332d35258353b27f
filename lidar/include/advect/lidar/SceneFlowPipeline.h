// Scene flow between two sweeps as a user runs it: the pair prepared (crop, ground removal), the
// neural prior fitted (on a random subset if asked, with the pair's ego motion taken out), the
// flow evaluated at every source point, and its accuracy against the truth. Positions and flows
// are N x 3 float32, point-major, metres (per sweep interval for flows).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/BucketedFlowMetrics.h"
#include "advect/geometry/FlowMetrics.h"
#include "advect/geometry/SceneFlowPair.h"
#include "advect/lidar/RigidSceneFlow.h"
#include "advect/lidar/SequenceSceneFlow.h"
#include "advect/neural/SceneFlowPrior.h"

namespace advect::lidar {

struct SceneFlowSettings {
  // nsfp: Chamfer + cycle loss; fast: distance-transform loss (both neural priors); rigid: the
  // rigid motions of clusters (RigidSceneFlow.h); sequence: the velocity field of a whole sequence
  // (SequenceSceneFlow.h; sequences only, not pairs)
  std::string method = "nsfp";
  std::optional<std::int64_t> points;  // fit on this many random points of each cloud (all)
  int max_iterations = 5000;
  std::optional<int> patience;  // unset: the method's preset
  std::optional<float> min_delta, learning_rate;
  std::optional<std::int64_t> batch;
  // The networks' matrix products: "fp32", or "bf16" (inputs rounded to bfloat16, float32 sums;
  // AVX512-BF16 on the CPU, tensor cores on a GPU). docs/performance.md measures its accuracy.
  std::string precision = "fp32";
  std::optional<float> crop;  // keep points within this range of the sensor, m
  bool remove_ground = false;
  // With a pair's known ego motion, fit only the motion beyond it (the benchmark protocol of
  // Argoverse 2 methods); the flow reported still includes the ego motion, like the truth.
  bool ego_compensation = true;
  std::uint64_t seed = 0;
  // Neural priors over the pairs of one sequence, in order: start each pair's networks from the
  // previous pair's fit (FlowEstimate::parameters) instead of a fresh draw, as NSFP's own code
  // does; the first pair starts fresh. docs/sceneflow.md measures it on the PandaSet sequence.
  bool warm_start = false;
  RigidFlowOptions rigid;  // for methods rigid and sequence
  SequenceFlowOptions sequence;
  // Which way is up in the clouds' frame: "z" (lidar and vehicle frames) or "-y" (camera frames,
  // as KITTI Scene Flow's). The rigid method looks for motion in the ground plane.
  std::string up = "z";

  // Throws std::invalid_argument naming the choices for an unknown method, precision or up axis.
  void check_method() const;
  bool is_neural() const { return method != "rigid" && method != "sequence"; }
  // Whether pairs start from the previous pair's networks: warm_start with a neural method.
  bool warm_starts() const { return is_neural() && warm_start; }
  // The neural prior's options: the method's preset with the settings above applied.
  neural::SceneFlowOptions solver_options() const;
};

// The rows of `values` (rows x width, row-major) listed in `rows`, in that order.
template <class T>
std::vector<T> pick_rows(const std::vector<T>& values, const std::vector<std::int64_t>& rows,
                         std::size_t width) {
  std::vector<T> picked;
  if (values.empty()) return picked;
  picked.reserve(rows.size() * width);
  for (const std::int64_t row : rows) {
    const auto first = values.begin() + std::ptrdiff_t(std::size_t(row) * width);
    picked.insert(picked.end(), first, first + std::ptrdiff_t(width));
  }
  return picked;
}

// Rows of `cloud` (N x 3, sensor frame) that survive settings.crop (range from the origin) and
// settings.remove_ground (RANSAC plane, z up), in order.
std::vector<std::int64_t> surviving_rows(const std::vector<float>& cloud,
                                         const SceneFlowSettings& settings, const Device& device);

// Crops and removes ground from both clouds as asked; `kept` gives each remaining source point's
// row in the pair as given (empty when nothing was removed). Throws std::invalid_argument naming
// the pair when a cloud has no point left.
struct PreparedPair {
  geometry::SceneFlowPair pair;
  std::vector<std::int64_t> kept;
};
PreparedPair prepare_pair(geometry::SceneFlowPair pair, const SceneFlowSettings& settings,
                          const Device& device);

struct FlowEstimate {
  std::vector<float> flow;  // at every source point of the prepared pair, N x 3, m
  // Neural priors: the fitted networks' parameters (the next pair's initial_parameters with
  // warm_start).
  std::vector<float> parameters;
  int iterations = 0;
  double loss = 0.0, seconds = 0.0;
  std::int64_t fitted_source_points = 0, fitted_target_points = 0;
  bool ego_compensated = false;
  // rigid: clusters found and moving, and source points that move with a moving cluster
  std::int32_t clusters = 0, moving_clusters = 0;
  std::int64_t moving_points = 0;
};
// Neural priors: fits on `settings.points` random points of each cloud (all by default), then
// evaluates the fitted field at every source point; with ego compensation (pair.ego_motion), the
// source is first moved into the target's frame and the ego flow added back. `on_iteration(k)`
// reports progress (k iterations done) and may throw to stop the fit; `initial_parameters`, if any,
// holds the parameters the networks start from (an earlier estimate's, same settings). rigid: the
// cluster motions over the whole clouds, with the pair's ego motion (estimated when the pair has
// none or ego compensation is off).
FlowEstimate estimate_flow(const geometry::SceneFlowPair& pair, const SceneFlowSettings& settings,
                           const Device& device, const std::function<void(int)>& on_iteration = {},
                           std::vector<float> initial_parameters = {});

// The field's metrics at the evaluated points (pair.mask); when the pair carries classes and ego
// motion, the AV2 three-way EPE and the bucketed normalised EPE of the 2024 ranking (non-ground is
// the caller's business; the 35 m box is applied here). `bucketed` holds this pair's points only:
// merge the pairs of a dataset before scoring, as the official evaluation pools its frames.
struct FlowAccuracy {
  geometry::FlowErrors errors;
  std::optional<geometry::ThreewayEpe> threeway;
  std::optional<geometry::BucketedEpe> bucketed;
};
FlowAccuracy evaluate_flow(const geometry::SceneFlowPair& pair, const std::vector<float>& flow);

}  // namespace advect::lidar
