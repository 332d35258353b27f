#include "advect/geometry/GroundRemoval.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include "advect/engine/Dispatch.h"
#include "kernels/GroundKernels.h"

namespace advect::geometry {

namespace {

// The plane through three points, normal pointing up; nullopt-like (zero normal) if degenerate.
std::array<double, 4> plane_through(const float* a, const float* b, const float* c) {
  const Eigen::Vector3d p(a[0], a[1], a[2]), q(b[0], b[1], b[2]), r(c[0], c[1], c[2]);
  Eigen::Vector3d normal = (q - p).cross(r - p);
  const double length = normal.norm();
  if (!(length > 1e-9)) return {0, 0, 0, 0};
  normal /= length;
  if (normal.z() < 0) normal = -normal;
  return {normal.x(), normal.y(), normal.z(), -normal.dot(p)};
}

}  // namespace

GroundPlane fit_ground_plane(const float* points, std::int64_t n, const GroundOptions& options,
                             const Device& device) {
  if (n < 3) throw std::invalid_argument("ground fit needs at least three points");
  Buffer<float> host(std::size_t(3 * n), Device::cpu());
  detail::copy_bytes(host.data(), Device::cpu(), points, device, host.size() * sizeof(float));
  const double min_normal_z = std::cos(options.max_tilt_deg * std::numbers::pi / 180.0);
  // Seed candidates from the lowest points: ground is often under a fifth of a sweep, so three
  // random points would rarely all be ground, while the lowest 30% mostly are.
  std::vector<std::int64_t> low(static_cast<std::size_t>(n));
  std::iota(low.begin(), low.end(), std::int64_t(0));
  const auto z = [&](std::int64_t i) { return host.data()[3 * i + 2]; };
  const auto cut = low.begin() + std::max<std::ptrdiff_t>(3, std::ptrdiff_t(0.3 * double(n)));
  std::nth_element(low.begin(), cut, low.end(),
                   [&](std::int64_t a, std::int64_t b) { return z(a) < z(b); });
  low.resize(std::size_t(cut - low.begin()));
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::size_t> choose(0, low.size() - 1);
  const auto pick = [&](std::mt19937_64& generator) { return low[choose(generator)]; };
  const auto counts = [&](const std::array<double, 4>& plane) {
    return with_backend(device, [&](auto backend) {
      return GroundKernels<backend>::count_inliers(points, n, plane, options.distance);
    });
  };
  GroundPlane best;
  bool found = false;
  for (int candidate = 0; candidate < options.candidates; ++candidate) {
    const std::array<double, 4> plane = plane_through(
        host.data() + 3 * pick(rng), host.data() + 3 * pick(rng), host.data() + 3 * pick(rng));
    if (plane[2] < min_normal_z) continue;  // degenerate (0) or too steep
    const auto [inliers, below] = counts(plane);
    if (!found || inliers - below > best.inliers - best.below) {
      best = {plane, inliers, below};
      found = true;
    }
  }
  if (!found) throw std::invalid_argument("no near-horizontal plane found among the candidates");
  // Least-squares refinement: the smallest principal axis of the inliers.
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  Eigen::Matrix3d scatter = Eigen::Matrix3d::Zero();
  std::int64_t count = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const Eigen::Vector3d p(host.data()[3 * i], host.data()[3 * i + 1], host.data()[3 * i + 2]);
    if (std::fabs(best.plane[0] * p.x() + best.plane[1] * p.y() + best.plane[2] * p.z() +
                  best.plane[3]) > options.distance) {
      continue;
    }
    mean += p;
    scatter += p * p.transpose();
    ++count;
  }
  mean /= double(count);
  const Eigen::Matrix3d covariance = scatter / double(count) - mean * mean.transpose();
  Eigen::Vector3d normal =
      Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d>(covariance).eigenvectors().col(0);
  if (normal.z() < 0) normal = -normal;
  if (normal.z() >= min_normal_z) {
    best.plane = {normal.x(), normal.y(), normal.z(), -normal.dot(mean)};
    const auto [inliers, below] = counts(best.plane);
    best.inliers = inliers;
    best.below = below;
  }
  return best;
}

void ground_mask(const float* points, std::int64_t n, const GroundPlane& plane, float distance,
                 std::uint8_t* mask, const Device& device) {
  with_backend(device, [&](auto backend) {
    GroundKernels<backend>::mark(points, n, plane.plane, distance, mask);
  });
}

}  // namespace advect::geometry
