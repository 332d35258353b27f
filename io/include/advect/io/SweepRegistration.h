// Ego motion of a lidar sequence when no poses are given: each sweep registered to the one before
// with Open3D's point-to-plane ICP or Generalized ICP (Segal et al., RSS 2009), Tukey-weighted so
// that moving objects count little, on
// voxel-downsampled clouds, started from the previous step's motion (constant velocity), coarse
// then fine; the steps chained into sensor-to-world poses with the first sweep as the world.
#pragma once

#include <memory>
#include <vector>

#include "advect/geometry/RigidFit.h"

namespace advect::io {

struct RegistrationOptions {
  double voxel = 0.25;           // downsampling edge, metres
  double coarse_distance = 1.5;  // correspondence distance of the first round, m
  double fine_distance = 0.4;    // and of the second, m
  int iterations = 40;           // per round
  bool generalized = false;      // GICP instead of point-to-plane
};

class SweepRegistration {
 public:
  explicit SweepRegistration(const RegistrationOptions& options = {});
  ~SweepRegistration();
  SweepRegistration(const SweepRegistration&) = delete;
  SweepRegistration& operator=(const SweepRegistration&) = delete;

  // The next sweep, N x 3 float32 in its sensor frame (metres); the first gives the identity.
  geometry::RegistrationStep add(const std::vector<float>& points);

 private:
  struct State;
  RegistrationOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace advect::io
