// Scene-flow accuracy, computed exactly as the field's benchmarks do (FlowNet3D/NSFP evaluation
// code; Argoverse 2's av2-api for the three-way EPE). Flows are N x 3 float32, metres per frame.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "advect/geometry/RigidTransform.h"
#include "advect/geometry/SceneFlowPair.h"

namespace advect::geometry {

// Per point e = |pred - gt|, r = e / (|gt| + 1e-20):
//   epe3d = mean e;  acc3ds = mean(e < 0.05 or r < 0.05);  acc3dr = mean(e < 0.1 or r < 0.1);
//   outliers = mean(e > 0.3 or r > 0.1);
//   angle = mean arccos(clamp(u(gt) . u(pred), -1 + 1e-7, 1 - 1e-7)) in radians, with
//   u(v) = v / (|v| + 1e-20), so that a zero vector gives pi/2 as in the original code.
// Accuracies are fractions in [0, 1]. Points with mask[i] == 0 are left out (empty mask: all).
struct FlowErrors {
  double epe3d = 0, acc3ds = 0, acc3dr = 0, outliers = 0, angle = 0;
  std::size_t points = 0;
};
FlowErrors flow_errors(std::span<const float> predicted, std::span<const float> truth,
                       std::span<const std::uint8_t> mask = {});

// The errors of several pairs pooled point by point (each pair weighted by its points), as one
// flow_errors over all their points would give.
struct PooledFlowErrors {
  FlowErrors sum;  // each mean times its points
  void add(const FlowErrors& pair);
  FlowErrors mean() const;
};

// A flow's errors on a pair's evaluated points (pair.mask; every point when it is empty): all of
// them, and the moving ones (classes == 1, as `advect radiance scene` labels its pairs; none
// without classes). flow: N x 3 at the pair's source points.
struct PairFlowErrors {
  FlowErrors all, movers;
};
PairFlowErrors pair_flow_errors(const SceneFlowPair& pair, std::span<const float> flow);

// Argoverse 2's three-way EPE: the mean of the EPEs of background-static, foreground-static and
// foreground-dynamic points among the `valid` ones (non-ground, inside the evaluation box);
// buckets without points are left out of the mean and reported with count 0.
struct ThreewayEpe {
  double background_static = 0, foreground_static = 0, foreground_dynamic = 0, threeway = 0;
  std::array<std::size_t, 3> counts{};
};
ThreewayEpe threeway_epe(std::span<const float> predicted, std::span<const float> truth,
                         std::span<const std::uint8_t> foreground,
                         std::span<const std::uint8_t> dynamic,
                         std::span<const std::uint8_t> valid);

// Flow of the static world seen from a moving sensor: T p - p for the rigid transform T from the
// first frame to the second (Argoverse 2's ego1_SE3_ego0).
void ego_flow(std::span<const float> points, const RigidTransform& transform,
              std::span<float> flow);

// dynamic[i] = |truth_i - ego_i| >= threshold (av2: 0.05 m per 0.1 s frame).
void dynamic_mask(std::span<const float> truth, std::span<const float> ego, float threshold,
                  std::span<std::uint8_t> dynamic);

// inside[i] = |x_i| <= half_extent and |y_i| <= half_extent (av2's 70 m x 70 m box: 35).
void inside_box(std::span<const float> points, float half_extent, std::span<std::uint8_t> inside);

}  // namespace advect::geometry
