#include "advect/geometry/SweepMotionField.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/geometry/NeighbourGrid.h"
#include "kernels/SweepMotionKernels.h"

namespace advect::geometry {

SweepMotionField::SweepMotionField(Buffer<float> points, Buffer<float> displacement, double t0,
                                   double t1, const SweepMotionOptions& options)
    : points_(std::move(points)),
      displacement_(std::move(displacement)),
      t0_(t0),
      t1_(t1),
      options_(options) {
  if (points_.empty() || points_.size() % 3 != 0 || displacement_.size() != points_.size()) {
    throw std::invalid_argument(
        "a sweep motion field needs n > 0 points and as many displacements (n x 3 each)");
  }
  if (points_.device() != displacement_.device()) {
    throw std::invalid_argument(
        "sweep motion field: points and displacements on different devices");
  }
  if (!(t1 != t0)) throw std::invalid_argument("sweep motion field: t0 and t1 must differ");
  if (options.neighbours < 1 || options.neighbours > kMaxNeighbours || !(options.radius > 0.0f) ||
      !(options.blend > 0.0f)) {
    throw std::invalid_argument(
        "sweep motion field: neighbours in [1, 32], radius > 0 and blend > 0");
  }
  options_.neighbours = int(std::min<std::int64_t>(options.neighbours, size()));
}

SweepMotionField::~SweepMotionField() = default;

const NeighbourGrid& SweepMotionField::grid_at(double s) const {
  if (grid_ && grid_s_ == s) return *grid_;
  const Device& device = points_.device();
  if (moved_.size() != points_.size()) moved_ = Buffer<float>(points_.size(), device);
  with_backend(device, [&](auto backend) {
    SweepMotionKernels<backend>::move(points_.data(), displacement_.data(), float(s), size(),
                                      moved_.data());
  });
  grid_ = std::make_unique<NeighbourGrid>(moved_.data(), size(), device);
  grid_s_ = s;
  return *grid_;
}

void SweepMotionField::evaluate(double t, const double* x, double* v, std::int64_t n,
                                const Device& device) const {
  if (device != points_.device()) {
    throw std::invalid_argument("sweep motion field evaluated on another device than its points");
  }
  if (n <= 0) return;
  const double s = std::clamp((t - t0_) / (t1_ - t0_), 0.0, 1.0);
  const NeighbourGrid& grid = grid_at(s);
  const int k = options_.neighbours;
  Buffer<float> queries(std::size_t(3 * n), device);
  Buffer<std::int32_t> indices(std::size_t(n * k), device);
  Buffer<float> squared_distances(std::size_t(n * k), device);
  SweepInterpolation parameters;
  parameters.neighbours = k;
  parameters.radius = options_.radius;
  parameters.radius_squared = options_.radius * options_.radius;
  parameters.blend = options_.blend;
  parameters.rate = 1.0 / (t1_ - t0_);
  with_backend(
      device, [&](auto backend) { SweepMotionKernels<backend>::narrow(x, 3 * n, queries.data()); });
  grid.query(queries.data(), n, k, indices.data(), squared_distances.data(), options_.radius);
  with_backend(device, [&](auto backend) {
    SweepMotionKernels<backend>::interpolate(indices.data(), squared_distances.data(),
                                             displacement_.data(), parameters, n, v);
  });
}

std::string SweepMotionField::describe() const {
  return fmt::format("sweep motion({} points, t {} -> {} s, k = {}, radius {} m)", size(), t0_, t1_,
                     options_.neighbours, options_.radius);
}

}  // namespace advect::geometry
