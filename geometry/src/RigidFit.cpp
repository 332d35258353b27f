#include "advect/geometry/RigidFit.h"

#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>
#include <string>

namespace advect::geometry {

namespace {

// The weighted centroids and cross-covariance sum w (d - d_mean)(s - s_mean)^T of corresponding
// points, after checking the arguments as `name` documents them.
struct Moments {
  Eigen::Vector3d source_mean = Eigen::Vector3d::Zero(), target_mean = Eigen::Vector3d::Zero();
  Eigen::Matrix3d covariance = Eigen::Matrix3d::Zero();
};

Moments moments(std::span<const float> source, std::span<const float> target,
                std::span<const float> weights, const char* name) {
  const std::size_t n = source.size() / 3;
  if (source.size() != target.size() || source.size() % 3 != 0 ||
      (!weights.empty() && weights.size() != n)) {
    throw std::invalid_argument(std::string(name) +
                                ": source, target and weights must describe the same points");
  }
  if (n < 3) throw std::invalid_argument(std::string(name) + " needs at least three points");
  const auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : double(weights[i]); };
  const auto point = [](std::span<const float> cloud, std::size_t i) {
    return Eigen::Vector3d(cloud[3 * i], cloud[3 * i + 1], cloud[3 * i + 2]);
  };
  double total = 0.0;
  Moments m;
  for (std::size_t i = 0; i < n; ++i) {
    total += weight(i);
    m.source_mean += weight(i) * point(source, i);
    m.target_mean += weight(i) * point(target, i);
  }
  if (!(total > 0.0)) throw std::invalid_argument(std::string(name) + ": the weights sum to zero");
  m.source_mean /= total;
  m.target_mean /= total;
  for (std::size_t i = 0; i < n; ++i) {
    m.covariance += weight(i) * (point(target, i) - m.target_mean) *
                    (point(source, i) - m.source_mean).transpose();
  }
  return m;
}

RigidTransform to_transform(const Eigen::Matrix3d& rotation, const Eigen::Vector3d& translation) {
  RigidTransform out;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) out.rotation[3 * r + c] = rotation(r, c);
    out.translation[r] = translation(r);
  }
  return out;
}

}  // namespace

RigidTransform fit_upright(std::span<const float> source, std::span<const float> target,
                           std::span<const float> weights) {
  const Moments m = moments(source, target, weights, "fit_upright");
  // The yaw maximising sum w (R s) . d over the horizontal components.
  const Eigen::Matrix3d& c = m.covariance;  // c(r, k) = sum w d_r s_k
  const double yaw = std::atan2(c(1, 0) - c(0, 1), c(0, 0) + c(1, 1));
  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(yaw, Eigen::Vector3d::UnitZ()).matrix();
  return to_transform(rotation, m.target_mean - rotation * m.source_mean);
}

RigidTransform fit_rigid(std::span<const float> source, std::span<const float> target,
                         std::span<const float> weights) {
  const Moments m = moments(source, target, weights, "fit_rigid");
  const Eigen::JacobiSVD<Eigen::Matrix3d> svd(m.covariance,
                                              Eigen::ComputeFullU | Eigen::ComputeFullV);
  // Flip the weakest axis if the best orthogonal fit is a reflection.
  Eigen::Vector3d signs(
      1.0, 1.0, (svd.matrixU() * svd.matrixV().transpose()).determinant() < 0.0 ? -1.0 : 1.0);
  const Eigen::Matrix3d rotation = svd.matrixU() * signs.asDiagonal() * svd.matrixV().transpose();
  return to_transform(rotation, m.target_mean - rotation * m.source_mean);
}

}  // namespace advect::geometry
