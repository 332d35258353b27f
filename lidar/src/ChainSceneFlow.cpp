#include "advect/lidar/ChainSceneFlow.h"

#include <fmt/format.h>

#include <stdexcept>

#include "advect/geometry/RigidTransform.h"

namespace advect::lidar {

std::vector<FlowEstimate> estimate_chain_flows(const std::vector<geometry::SceneFlowPair>& pairs,
                                               const SceneFlowSettings& settings,
                                               const Device& device,
                                               const StageProgress& progress) {
  if (pairs.empty()) throw std::invalid_argument("the sequence method needs at least one pair");
  for (std::size_t k = 1; k < pairs.size(); ++k) {
    if (pairs[k].source.positions != pairs[k - 1].target.positions) {
      throw std::invalid_argument(fmt::format(
          "{}: its source is not the target of {}: the sequence method needs the pairs of "
          "consecutive sweeps, in order",
          pairs[k].name, pairs[k - 1].name));
    }
  }
  // Sweep k's sensor frame -> the first source's: pose_{k+1} = pose_k * ego_k^-1.
  SweepSource source;
  source.poses.emplace_back();
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const geometry::RigidTransform ego = pairs[k].ego_motion.value_or(geometry::RigidTransform{});
    source.poses.push_back(geometry::compose(source.poses.back(), geometry::inverse(ego)));
    source.names.push_back(pairs[k].name);
    source.times.push_back(double(k));
  }
  source.names.push_back(pairs.back().name + " (target)");
  source.times.push_back(double(pairs.size()));
  source.read = [&](std::size_t k) {
    geometry::PointCloud cloud;
    cloud.positions = k < pairs.size() ? pairs[k].source.positions : pairs.back().target.positions;
    return cloud;
  };
  AccumulationOptions options;
  options.flow = settings;
  options.flow.method = "sequence";
  options.reference = 0;
  const AccumulatedSequence s = estimate_sequence(source, options, device, progress);

  std::vector<FlowEstimate> estimates;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const std::vector<float>& points = pairs[k].source.positions;
    const std::vector<float> world_flow = s.flow_at_read_points(k);
    const geometry::RigidTransform to_target = geometry::inverse(s.poses[k + 1]);
    FlowEstimate estimate = s.estimates[k];
    estimate.flow.resize(points.size());
    for (std::size_t i = 0; i < points.size(); i += 3) {
      float world[3], later[3];
      s.poses[k].apply(&points[i], world);
      for (std::size_t d = 0; d < 3; ++d) world[d] += world_flow[i + d];
      to_target.apply(world, later);
      for (std::size_t d = 0; d < 3; ++d) estimate.flow[i + d] = later[d] - points[i + d];
    }
    estimate.ego_compensated = pairs[k].ego_motion.has_value();
    estimate.seconds = s.seconds.flow / double(pairs.size());
    estimates.push_back(std::move(estimate));
  }
  return estimates;
}

}  // namespace advect::lidar
