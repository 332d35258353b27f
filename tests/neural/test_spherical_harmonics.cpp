// The 16 spherical harmonics are orthonormal on the unit sphere: a Gauss-Legendre (in cos theta)
// by uniform (in phi) product rule integrates their products (degree <= 6) exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "advect/engine/Buffer.h"
#include "advect/neural/SphericalHarmonics.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

class SphericalHarmonicsOnDevice : public PerDevice {};

TEST_P(SphericalHarmonicsOnDevice, AreOrthonormalOnTheSphere) {
  // 8-point Gauss-Legendre nodes and weights on [-1, 1] (exact to degree 15).
  const double nodes[8] = {-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                           -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                           0.7966664774136267,  0.9602898564975363};
  const double weights[8] = {0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                             0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                             0.2223810344533745, 0.1012285362903763};
  const int phis = 16;
  std::vector<float> directions;
  std::vector<double> quadrature;
  for (int a = 0; a < 8; ++a) {
    for (int b = 0; b < phis; ++b) {
      const double z = nodes[a], r = std::sqrt(1.0 - z * z);
      const double phi = 2.0 * std::numbers::pi * b / phis;
      directions.insert(directions.end(),
                        {float(r * std::cos(phi)), float(r * std::sin(phi)), float(z)});
      quadrature.push_back(weights[a] * 2.0 * std::numbers::pi / phis);
    }
  }
  const auto n = std::int64_t(quadrature.size());
  const Buffer<float> in = Buffer<float>::from_host(directions, device());
  Buffer<float> out(std::size_t(n * 16), device());
  neural::encode_spherical_harmonics(in.data(), n, out.data(), 16, device());
  const std::vector<float> y = out.to_host();
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) {
      double integral = 0.0;
      for (std::int64_t k = 0; k < n; ++k) {
        integral +=
            quadrature[std::size_t(k)] * y[std::size_t(16 * k + i)] * y[std::size_t(16 * k + j)];
      }
      EXPECT_NEAR(integral, i == j ? 1.0 : 0.0, 1e-5) << "Y_" << i << " . Y_" << j;
    }
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(SphericalHarmonicsOnDevice);

}  // namespace
}  // namespace advect::testing
