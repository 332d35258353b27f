#include "advect/neural/ObservationBaselines.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace advect::neural {

namespace {

double thin_plate(double r2) {
  return r2 > 0.0 ? 0.5 * r2 * std::log(r2) : 0.0;
}  // r^2 log r

}  // namespace

std::vector<float> observation_baseline(const SequenceShape& shape, const std::vector<float>& truth,
                                        const Observations& observed, TimeFill fill) {
  if (truth.size() != shape.size()) {
    throw std::invalid_argument(
        fmt::format("baseline: {} values for a sequence of {}", truth.size(), shape.size()));
  }
  const auto m = Eigen::Index(observed.points.size());
  if (m < 3 || observed.frames.empty()) {
    throw std::invalid_argument("baseline: needs 3 or more observed points and 1 or more frames");
  }
  const auto position = [&](std::size_t p) {
    return Eigen::Vector2d((double(p % std::size_t(shape.width)) + 0.5) / shape.width,
                           (double(p / std::size_t(shape.width)) + 0.5) / shape.height);
  };
  // The spline system [K P; P^T 0] [w; a] = [f; 0], factorised once for all frames and channels.
  Eigen::MatrixXd system = Eigen::MatrixXd::Zero(m + 3, m + 3);
  for (Eigen::Index i = 0; i < m; ++i) {
    const Eigen::Vector2d xi = position(std::size_t(observed.points[std::size_t(i)]));
    for (Eigen::Index j = 0; j < m; ++j) {
      system(i, j) =
          thin_plate((xi - position(std::size_t(observed.points[std::size_t(j)]))).squaredNorm());
    }
    system(i, m) = system(m, i) = 1.0;
    system(i, m + 1) = system(m + 1, i) = xi.x();
    system(i, m + 2) = system(m + 2, i) = xi.y();
  }
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(system);
  // The spline's basis at every grid point.
  const auto n = Eigen::Index(shape.points());
  Eigen::MatrixXd basis(n, m + 3);
  for (Eigen::Index p = 0; p < n; ++p) {
    const Eigen::Vector2d x = position(std::size_t(p));
    for (Eigen::Index j = 0; j < m; ++j) {
      basis(p, j) =
          thin_plate((x - position(std::size_t(observed.points[std::size_t(j)]))).squaredNorm());
    }
    basis(p, m) = 1.0;
    basis(p, m + 1) = x.x();
    basis(p, m + 2) = x.y();
  }
  // Each observed frame, every channel, in space.
  const std::size_t channels = std::size_t(shape.channels);
  std::vector<Eigen::MatrixXd> frames;  // n x channels per observed frame
  for (const int t : observed.frames) {
    Eigen::MatrixXd values = Eigen::MatrixXd::Zero(m + 3, Eigen::Index(channels));
    for (Eigen::Index i = 0; i < m; ++i) {
      const std::size_t at =
          (std::size_t(t) * shape.points() + std::size_t(observed.points[std::size_t(i)])) *
          channels;
      for (std::size_t c = 0; c < channels; ++c) values(i, Eigen::Index(c)) = truth[at + c];
    }
    const Eigen::MatrixXd coefficients = lu.solve(values);
    if (!coefficients.allFinite()) {
      throw std::invalid_argument("baseline: the observed points lie on one line");
    }
    frames.push_back(basis * coefficients);
  }
  // In time.
  std::vector<float> out(shape.size());
  const auto& times = observed.frames;
  for (int t = 0; t < shape.frames; ++t) {
    // The last observed frame at or before t (the first one if none).
    const auto after = std::upper_bound(times.begin(), times.end(), t);
    const std::size_t before = after == times.begin() ? 0 : std::size_t(after - times.begin()) - 1;
    std::size_t next = before;
    double w = 0.0;
    if (fill == TimeFill::linear && after != times.end() && times[before] <= t) {
      next = std::size_t(after - times.begin());
      w = double(t - times[before]) / double(times[next] - times[before]);
    }
    for (Eigen::Index p = 0; p < n; ++p) {
      for (std::size_t c = 0; c < channels; ++c) {
        const double value =
            (1.0 - w) * frames[before](p, Eigen::Index(c)) + w * frames[next](p, Eigen::Index(c));
        out[(std::size_t(t) * shape.points() + std::size_t(p)) * channels + c] = float(value);
      }
    }
  }
  return out;
}

}  // namespace advect::neural
