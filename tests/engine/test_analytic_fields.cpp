// The analytic fields against their defining formulas, evaluated through the device kernels.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ExactSolutions.h"
#include "advect/engine/AnalyticFields.h"
#include "advect/engine/Buffer.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

std::vector<double> evaluate(const VectorField& field, const std::vector<double>& x, double t,
                             const Device& device) {
  const Buffer<double> points = Buffer<double>::from_host(x, device);
  Buffer<double> velocity(x.size(), device);
  field.evaluate(t, points.data(), velocity.data(), std::int64_t(x.size() / 3), device);
  return velocity.to_host();
}

class AnalyticField : public PerDevice {};

TEST_P(AnalyticField, RotationIsPerpendicularWithSpeedOmegaTimesRadius) {
  RotationLaw law;
  law.axis[0] = 0, law.axis[1] = 3, law.axis[2] = 4;  // normalised by the factory to (0, .6, .8)
  law.centre[0] = 1;
  law.omega = 2.0;
  const auto field = make_rotation_field(law);
  const std::vector<double> x = random_points(200, 1);
  const std::vector<double> v = evaluate(*field, x, 0.0, device());
  for (std::size_t i = 0; i < x.size() / 3; ++i) {
    const Vec3 r = {x[3 * i] - 1, x[3 * i + 1], x[3 * i + 2]};
    const double along = 0.6 * r[1] + 0.8 * r[2];
    const double radius = std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2] - along * along);
    const double speed = std::hypot(v[3 * i], v[3 * i + 1], v[3 * i + 2]);
    EXPECT_NEAR(speed, 2.0 * radius, 1e-12);
    EXPECT_NEAR(v[3 * i] * r[0] + v[3 * i + 1] * r[1] + v[3 * i + 2] * r[2], 0.0, 1e-12);
  }
}

TEST_P(AnalyticField, LambOseenProfileAndSmoothCore) {
  LambOseenLaw law;
  law.centre_x = 0.5;
  law.circulation = 2.0;
  law.core_radius = 0.3;
  const auto field = make_lamb_oseen_field(law);
  const std::vector<double> x = {0.5 + 0.3, 0, 7, 0.5, 0.0, 0, 0.5, 1e-9, 0, 0.5 - 2.0, 0, 0};
  const std::vector<double> v = evaluate(*field, x, 0.0, device());
  const double at_core = 2.0 / (2 * std::numbers::pi * 0.3) * (1 - std::exp(-1.0));
  EXPECT_NEAR(v[1], at_core, 1e-14);  // counter-clockwise: +y on the +x side
  EXPECT_EQ(v[0], 0.0);
  EXPECT_EQ(v[2], 0.0);
  EXPECT_EQ(v[3], 0.0);  // centre
  EXPECT_EQ(v[4], 0.0);
  // Solid-body rotation near the core: speed = circulation r / (2 pi rc^2).
  EXPECT_NEAR(v[6], -2.0 * 1e-9 / (2 * std::numbers::pi * 0.09), 1e-20);
  EXPECT_NEAR(v[10], -2.0 / (2 * std::numbers::pi * 2.0) * (1 - std::exp(-4.0 / 0.09)), 1e-14);
}

TEST_P(AnalyticField, DoubleGyreIsTheCurlOfItsStreamFunction) {
  const DoubleGyreLaw law;  // Shadden et al. 2005 parameters
  const auto field = make_double_gyre_field(law);
  const auto psi = [&](double x, double y, double t) {
    const double a = 0.25 * std::sin(2 * std::numbers::pi / 10 * t);
    return 0.1 * std::sin(std::numbers::pi * (a * x * x + (1 - 2 * a) * x)) *
           std::sin(std::numbers::pi * y);
  };
  std::vector<double> x = random_points(100, 4);
  for (std::size_t i = 0; i < x.size(); i += 3) x[i] += 1.0, x[i + 1] = (x[i + 1] + 1) / 2;
  for (double t : {0.0, 2.5, 7.0}) {
    const std::vector<double> v = evaluate(*field, x, t, device());
    const double h = 1e-5;
    for (std::size_t i = 0; i < x.size() / 3; ++i) {
      const double px = x[3 * i], py = x[3 * i + 1];
      const double u = -(psi(px, py + h, t) - psi(px, py - h, t)) / (2 * h);
      const double w = (psi(px + h, py, t) - psi(px - h, py, t)) / (2 * h);
      EXPECT_NEAR(v[3 * i], u, 1e-8);
      EXPECT_NEAR(v[3 * i + 1], w, 1e-8);
      EXPECT_EQ(v[3 * i + 2], 0.0);
    }
  }
}

TEST(AnalyticFieldFactory, RejectsDegenerateParameters) {
  RotationLaw law;
  law.axis[2] = 0.0;
  EXPECT_THROW(make_rotation_field(law), std::invalid_argument);
  LambOseenLaw vortex;
  vortex.core_radius = 0.0;
  EXPECT_THROW(make_lamb_oseen_field(vortex), std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(AnalyticField);

}  // namespace
}  // namespace advect::testing
