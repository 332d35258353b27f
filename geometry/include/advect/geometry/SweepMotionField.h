// The motion between two lidar sweeps as a continuous field over space and time, for the
// integrator: the first sweep's points p_i move on straight lines p_i + s d_i, where d_i is their
// scene flow (metres) and s = (t - t0) / (t1 - t0), and the velocity at any x is interpolated
// from the moved points nearest to x:
//
//   v(x, t) = fade(r_1) * sum_j w_j d_j / sum_j w_j / (t1 - t0),   w_j = exp(-((r_j - r_1) / h)^2),
//
// over the k moved points within `radius` of x (r_j their distances, r_1 the nearest). Weighing
// by the distance beyond the nearest rather than by the distance itself keeps a car's motion off
// a wall 0.5 m away whose own samples are 0.2 m away, while samples about as near are averaged,
// which smooths the field between the samples of one surface. fade is 1
// up to radius / 2 and falls smoothly to 0 at radius, so that space no sweep point moves through
// is still (the sequences are in one world frame, where the static scene has no flow). Because the
// samples move, a point of the second sweep meets the samples that landed next to it at s = 1,
// which is what integrating backward in time needs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"
#include "advect/engine/VectorField.h"

namespace advect::geometry {

class NeighbourGrid;

struct SweepMotionOptions {
  int neighbours = 4;   // k, at most 32
  float radius = 1.5f;  // metres
  float blend = 0.05f;  // h: a sample this much farther than the nearest weighs 1/e, metres
};

// Read by the interpolation kernel.
struct SweepInterpolation {
  int neighbours = 4;
  float radius = 1.5f;           // m
  float radius_squared = 2.25f;  // m^2
  float blend = 0.05f;           // m
  double rate = 1.0;             // 1 / (t1 - t0), 1/s
};

class SweepMotionField final : public VectorField {
 public:
  // points and displacement: n x 3 float32, metres, on one device; t0 != t1 (seconds).
  SweepMotionField(Buffer<float> points, Buffer<float> displacement, double t0, double t1,
                   const SweepMotionOptions& options = {});
  ~SweepMotionField() override;

  int dimension() const override { return 3; }
  // Valid for t in [min(t0, t1), max(t0, t1)]; `device` must be the points' device. Not
  // thread-safe: the neighbour grid of the moved points is cached for the last s evaluated.
  void evaluate(double t, const double* x, double* v, std::int64_t n,
                const Device& device) const override;
  std::string describe() const override;

  std::int64_t size() const { return std::int64_t(points_.size() / 3); }

 private:
  const NeighbourGrid& grid_at(double s) const;

  Buffer<float> points_, displacement_;
  double t0_, t1_;
  SweepMotionOptions options_;
  mutable Buffer<float> moved_;
  mutable std::unique_ptr<NeighbourGrid> grid_;
  mutable double grid_s_ = -1.0;
};

}  // namespace advect::geometry
