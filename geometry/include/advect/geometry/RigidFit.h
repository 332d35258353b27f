// Least-squares rigid alignment of corresponding points (Kabsch 1976; Umeyama 1991 without scale).
#pragma once

#include <span>

#include "advect/geometry/RigidTransform.h"

namespace advect::geometry {

// The rotation R (det +1) and translation t minimising sum_i w_i |R s_i + t - d_i|^2 over
// corresponding points s (source) and d (target), N x 3 each on the host, metres; weights are
// optional (empty: all 1). Throws std::invalid_argument for mismatched sizes, fewer than three
// points or zero total weight.
RigidTransform fit_rigid(std::span<const float> source, std::span<const float> target,
                         std::span<const float> weights = {});

// The same fit with the rotation restricted to turns about the z axis (a vehicle or a walker on
// the road, z up): the best yaw of the centred horizontal coordinates, then the translation.
// Same arguments and errors as fit_rigid.
RigidTransform fit_upright(std::span<const float> source, std::span<const float> target,
                           std::span<const float> weights = {});

// One sweep registered to a sequence (ICP and the like): its sensor-to-world pose and how well it
// fitted.
struct RegistrationStep {
  RigidTransform pose;
  double fitness = 1.0;  // fraction of its points with a correspondence (1 for the first sweep)
  double rmse = 0.0;     // of those correspondences, m
};

}  // namespace advect::geometry
