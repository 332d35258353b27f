// What `advect sceneflow estimate` and `eval` share: the solver options from the command line, the
// preparation of a pair (crop, ground removal), one estimate and its accuracy.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/FlowMetrics.h"
#include "advect/io/SceneFlowData.h"
#include "advect/neural/SceneFlowPrior.h"

namespace advect::app {

struct SceneFlowSettings {
  std::string method = "nsfp";  // nsfp: Chamfer + cycle loss; fast: distance-transform loss
  std::optional<std::int64_t> points;
  int max_iterations = 5000;
  std::optional<int> patience;
  std::optional<float> min_delta, learning_rate;
  std::optional<std::int64_t> batch;
  std::optional<float> crop;  // keep points within this range of the sensor, m
  bool remove_ground = false;
  // With a pair's known ego motion, fit only the motion beyond it (the benchmark protocol of
  // Argoverse 2 methods); the flow reported still includes the ego motion, like the truth.
  bool ego_compensation = true;
  std::uint64_t seed = 0;

  void add_to(CLI::App& app);
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
// settings.remove_ground, in order.
std::vector<std::int64_t> surviving_rows(const std::vector<float>& cloud,
                                         const SceneFlowSettings& settings, const Device& device);

// Crops and removes ground from both clouds as asked; `kept` gives each remaining source point's
// row in the pair as read (empty when nothing was removed).
struct PreparedPair {
  io::SceneFlowPair pair;
  std::vector<std::int64_t> kept;
};
PreparedPair prepare_pair(io::SceneFlowPair pair, const SceneFlowSettings& settings,
                          const Device& device);

struct FlowEstimate {
  std::vector<float> flow;  // at every source point of the prepared pair, N x 3, m
  int iterations = 0;
  double loss = 0.0, seconds = 0.0;
  std::int64_t fitted_source_points = 0, fitted_target_points = 0;
  bool ego_compensated = false;
};
// Fits on `settings.points` random points of each cloud (all by default), then evaluates the
// fitted field at every source point; with ego compensation (pair.ego_motion), the source is first
// moved into the target's frame and the ego flow added back. `on_iteration(k)` reports progress.
FlowEstimate estimate_flow(const io::SceneFlowPair& pair, const SceneFlowSettings& settings,
                           const Device& device, const std::function<void(int)>& on_iteration);

// The field's metrics at the evaluated points (pair.mask); the AV2 three-way EPE when the pair
// carries classes and ego motion (non-ground is the caller's business; 35 m box applied here).
struct FlowAccuracy {
  geometry::FlowErrors errors;
  std::optional<geometry::ThreewayEpe> threeway;
};
FlowAccuracy evaluate_flow(const io::SceneFlowPair& pair, const std::vector<float>& flow);

}  // namespace advect::app
