// The stages of the rigid-object method (RigidSceneFlow.h), shared by its pair and sequence forms:
// a sweep cut into clusters, and the clusters' motions towards a later sweep, judged.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/Clustering.h"
#include "advect/geometry/GroupAlignment.h"
#include "advect/lidar/RigidSceneFlow.h"

namespace advect::geometry {
class NeighbourGrid;
}

namespace advect::lidar::detail {

struct Box {
  std::array<float, 3> low{1e30f, 1e30f, 1e30f}, high{-1e30f, -1e30f, -1e30f};
  void add(const float* p);
  bool contains(const float* p, float margin) const;
  float horizontal_extent() const { return std::max(high[0] - low[0], high[1] - low[1]); }
  std::array<float, 3> centre() const {
    return {(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, (low[2] + high[2]) / 2};
  }
};

// A sweep (in the frame its motion is sought in) cut into clusters; `grid` is the grid of `points`
// (the callers need it too, for the landing test).
struct SweepClusters {
  std::vector<float> points;  // N x 3
  geometry::Clusters clusters;
  std::vector<Box> boxes;                   // per cluster
  std::vector<std::int32_t> group;          // per point: its cluster if fitted (not too wide)
  std::vector<std::int32_t> owner;          // per point: the cluster whose motion it takes
  std::vector<std::vector<float>> members;  // per fitted cluster: its points
  std::vector<float> gate_scale;            // per cluster: its ICP gates' factor (>= 1)
};
SweepClusters cluster_sweep(std::vector<float> points, const geometry::NeighbourGrid& grid,
                            const RigidFlowOptions& options, const Device& device);

// Every cluster's best rigid motion towards `target`, `steps` sweep intervals later (the motion
// looked for and the motion needed grow with it), and whether it moves.
struct ClusterMotions {
  std::vector<geometry::GroupFit> fits;
  std::vector<std::uint8_t> moving;
  std::int32_t moving_clusters = 0;
};
// `sweep_grid` is the grid of sweep.points, `target_grid` that of `target`.
ClusterMotions fit_cluster_motions(const SweepClusters& sweep,
                                   const geometry::NeighbourGrid& sweep_grid,
                                   std::span<const float> target,
                                   const geometry::NeighbourGrid& target_grid, int steps,
                                   const RigidFlowOptions& options);

// A pure translation.
geometry::RigidTransform shift_by(const std::array<double, 3>& t);

// Horizontal (x, y) displacement of the point `at` under `t`, metres.
double horizontal_displacement(const geometry::RigidTransform& t, const std::array<float, 3>& at);

}  // namespace advect::lidar::detail
