// Closed-form solutions of the test problems, written independently of the solver and fields.
#pragma once

#include <array>
#include <cmath>
#include <random>
#include <vector>

namespace advect::testing {

using Vec3 = std::array<double, 3>;

// Rodrigues' formula: x rotated by `angle` about the unit `axis` through `centre`.
inline Vec3 rotate_about(const Vec3& x, const Vec3& axis, const Vec3& centre, double angle) {
  const Vec3 r = {x[0] - centre[0], x[1] - centre[1], x[2] - centre[2]};
  const double c = std::cos(angle), s = std::sin(angle);
  const double dot = axis[0] * r[0] + axis[1] * r[1] + axis[2] * r[2];
  const Vec3 cross = {axis[1] * r[2] - axis[2] * r[1], axis[2] * r[0] - axis[0] * r[2],
                      axis[0] * r[1] - axis[1] * r[0]};
  Vec3 out;
  for (int d = 0; d < 3; ++d)
    out[d] = centre[d] + r[d] * c + cross[d] * s + axis[d] * dot * (1 - c);
  return out;
}

// n points uniform in [-1, 1]^3 shifted by `offset`, state-major.
inline std::vector<double> random_points(int n, unsigned seed, double offset = 0.0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<double> points(std::size_t(3 * n));
  for (double& value : points) value = uniform(rng) + offset;
  return points;
}

}  // namespace advect::testing
