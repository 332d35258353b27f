#include "advect/geometry/RigidFit.h"

#include <Eigen/Dense>

#include <stdexcept>

namespace advect::geometry {

RigidTransform fit_rigid(std::span<const float> source, std::span<const float> target,
                         std::span<const float> weights) {
  const std::size_t n = source.size() / 3;
  if (source.size() != target.size() || source.size() % 3 != 0 ||
      (!weights.empty() && weights.size() != n)) {
    throw std::invalid_argument(
        "fit_rigid: source, target and weights must describe the same points");
  }
  if (n < 3) throw std::invalid_argument("fit_rigid needs at least three points");
  const auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : double(weights[i]); };
  const auto point = [](std::span<const float> cloud, std::size_t i) {
    return Eigen::Vector3d(cloud[3 * i], cloud[3 * i + 1], cloud[3 * i + 2]);
  };
  double total = 0.0;
  Eigen::Vector3d source_mean = Eigen::Vector3d::Zero(), target_mean = Eigen::Vector3d::Zero();
  for (std::size_t i = 0; i < n; ++i) {
    total += weight(i);
    source_mean += weight(i) * point(source, i);
    target_mean += weight(i) * point(target, i);
  }
  if (!(total > 0.0)) throw std::invalid_argument("fit_rigid: the weights sum to zero");
  source_mean /= total;
  target_mean /= total;
  Eigen::Matrix3d covariance = Eigen::Matrix3d::Zero();  // sum w (d - d_mean)(s - s_mean)^T
  for (std::size_t i = 0; i < n; ++i) {
    covariance +=
        weight(i) * (point(target, i) - target_mean) * (point(source, i) - source_mean).transpose();
  }
  const Eigen::JacobiSVD<Eigen::Matrix3d> svd(covariance,
                                              Eigen::ComputeFullU | Eigen::ComputeFullV);
  // Flip the weakest axis if the best orthogonal fit is a reflection.
  Eigen::Vector3d signs(
      1.0, 1.0, (svd.matrixU() * svd.matrixV().transpose()).determinant() < 0.0 ? -1.0 : 1.0);
  const Eigen::Matrix3d rotation = svd.matrixU() * signs.asDiagonal() * svd.matrixV().transpose();
  const Eigen::Vector3d translation = target_mean - rotation * source_mean;
  RigidTransform out;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) out.rotation[3 * r + c] = rotation(r, c);
    out.translation[r] = translation(r);
  }
  return out;
}

}  // namespace advect::geometry
