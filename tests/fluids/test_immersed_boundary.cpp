// The immersed boundary against circular Couette flow (exact: u_theta = A r + B / r between a
// cylinder at rest and a rotating container, both immersed in a square of walls), the forced-face
// construction itself, and the DFG 2D-1 cylinder on a coarse grid against the published drag.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "advect/fluids/DfgCylinder.h"
#include "advect/fluids/ImmersedBoundary.h"
#include "advect/fluids/MacFlow.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

constexpr double kInner = 0.15, kOuter = 0.4, kSpin = 1.0;  // m, m, rad/s; centre (0.5, 0.5)

// The exact azimuthal velocity at radius r, m/s.
double couette_speed(double r) {
  const double a = kSpin * kOuter * kOuter / (kOuter * kOuter - kInner * kInner);
  return a * r - a * kInner * kInner / r;
}

fluids::FlowDomain couette_domain(int n) {
  fluids::FlowDomain domain = fluids::lid_driven_cavity(n, 0.0);
  domain.bodies = {fluids::Circle{0.5, 0.5, kInner},
                   fluids::Circle{0.5, 0.5, kOuter, /*fluid_inside=*/true, kSpin}};
  return domain;
}

struct CouetteError {
  double max = 0.0, rms = 0.0;  // m/s
};

// |u - exact| over the u faces in the gap at least 2 cells from either wall (the forced faces are
// imposed, not computed), once the start-up has died out.
CouetteError couette_error(int n, const Device& device) {
  fluids::FlowOptions options;
  options.viscosity = 0.05;  // gap Reynolds number 0.4 * 0.25 / 0.05 = 2
  options.pressure_rtol = 1e-10;
  fluids::MacFlow flow(couette_domain(n), options, device);
  // The slowest start-up mode decays about as exp(-nu t (pi / 0.25)^2): by 1e-5 at t = 1.5 s.
  while (flow.time() < 1.5) flow.step();
  const fluids::MacGeometry& g = flow.geometry();
  const std::vector<double> u = flow.u();
  CouetteError error;
  int count = 0;
  for (int j = 0; j < g.ny; ++j) {
    for (int i = 0; i < g.nux; ++i) {
      const double x = i * g.h - 0.5, y = (j + 0.5) * g.h - 0.5, r = std::hypot(x, y);
      if (r < kInner + 2 * g.h || r > kOuter - 2 * g.h) continue;
      const double exact = -couette_speed(r) * y / r;
      const double e = u[std::size_t(j) * std::size_t(g.nux) + std::size_t(i)] - exact;
      error.max = std::max(error.max, std::abs(e));
      error.rms += e * e;
      ++count;
    }
  }
  error.rms = std::sqrt(error.rms / count);
  return error;
}

class ImmersedBoundaryTest : public PerDevice {};

TEST_P(ImmersedBoundaryTest, CircularCouetteFlowConvergesAtSecondOrder) {
  const CouetteError coarse = couette_error(32, device()), fine = couette_error(64, device());
  const double max_order = std::log2(coarse.max / fine.max);
  const double rms_order = std::log2(coarse.rms / fine.rms);
  std::printf(
      "circular Couette, u error at 32^2 and 64^2: max %.3e %.3e (order %.2f), rms %.3e %.3e "
      "(order %.2f)\n",
      coarse.max, fine.max, max_order, coarse.rms, fine.rms, rms_order);
  EXPECT_LT(fine.max, 2e-3 * kSpin * kOuter);
  EXPECT_GE(rms_order, 1.6);
}

// The DFG 2D-1 coefficients at t = 3 s (not yet steady; close enough for the drag) with 64 rows.
fluids::DfgCoefficients dfg_steady_at_64_rows(fluids::Precision precision, const Device& device) {
  fluids::FlowOptions options;
  options.viscosity = fluids::dfg::kViscosity;
  options.precision = precision;
  options.pressure_rtol =
      precision == fluids::Precision::float32 ? fluids::kMinFloatPressureRtol : 1e-8;
  const fluids::DfgCase steady = fluids::DfgCase::steady_re20;
  fluids::MacFlow flow(fluids::dfg_channel(steady, 64), options, device);
  while (flow.time() < 3.0) flow.step();
  fluids::DfgProbe probe(flow, steady);
  const fluids::DfgCoefficients c = probe.measure(flow);
  std::printf(
      "DFG 2D-1, 64 rows, %s fields, t = %.2f s: C_D %.5f (ref %.4f), C_L %.4f (ref %.4f), "
      "Delta_p %.4f (ref %.4f)\n",
      precision == fluids::Precision::float32 ? "float" : "double", c.time, c.drag,
      fluids::dfg::kDrag2D1, c.lift, fluids::dfg::kLift2D1, c.delta_p, fluids::dfg::kDeltaP2D1);
  return c;
}

TEST_P(ImmersedBoundaryTest, DfgSteadyCylinderDragWithinOnePercentAt64Rows) {
  const fluids::DfgCoefficients c = dfg_steady_at_64_rows(fluids::Precision::float64, device());
  EXPECT_NEAR(c.drag, fluids::dfg::kDrag2D1, 0.01 * fluids::dfg::kDrag2D1);
  EXPECT_NEAR(c.delta_p, fluids::dfg::kDeltaP2D1, 0.03 * fluids::dfg::kDeltaP2D1);
}

// Float fields carry the immersed boundary as well: the same drag to 1e-4 of itself.
TEST_P(ImmersedBoundaryTest, FloatFieldsGiveTheDoubleDrag) {
  const fluids::DfgCoefficients single =
      dfg_steady_at_64_rows(fluids::Precision::float32, device());
  const fluids::DfgCoefficients twin = dfg_steady_at_64_rows(fluids::Precision::float64, device());
  EXPECT_NEAR(single.drag, twin.drag, 1e-4 * twin.drag);
  EXPECT_NEAR(single.delta_p, twin.delta_p, 1e-4 * twin.delta_p);
}

ADVECT_INSTANTIATE_PER_DEVICE(ImmersedBoundaryTest);

// A body whose image points would leave the grid is refused, not silently clipped.
TEST(ImmersedBoundary, RefusesABodyTooCloseToTheGridEdge) {
  fluids::MacGeometry g;
  g.nx = g.ny = 32;
  g.nux = g.nvy = 33;
  g.h = 1.0 / 32;
  EXPECT_THROW(fluids::forced_faces(g, {fluids::Circle{0.5, 0.05, 0.04}}, fluids::Component::u),
               std::invalid_argument);
  EXPECT_NO_THROW(fluids::forced_faces(g, {fluids::Circle{0.5, 0.5, 0.1}}, fluids::Component::u));
}

// The forced values reproduce a field that is quadratic along each normal and zero on the wall.
TEST(ImmersedBoundary, ForcedFacesInterpolateALinearFieldVanishingOnTheWall) {
  fluids::MacGeometry g;
  g.nx = g.ny = 64;
  g.nux = g.nvy = 65;
  g.h = 1.0 / 64;
  // A body much larger than the stencil: near its wall the field (r - R) is linear along
  // normals up to curvature, and bilinear interpolation is exact for its Cartesian parts only up
  // to O(h^2 / R); check the interpolation error is that small.
  const fluids::Circle body{0.5, 0.5, 0.3};
  const fluids::ForcedFaces faces = fluids::forced_faces(g, {body}, fluids::Component::u);
  ASSERT_GT(faces.face.size(), faces.solid);
  std::vector<double> field(std::size_t(g.nux) * std::size_t(g.ny));
  for (int j = 0; j < g.ny; ++j) {
    for (int i = 0; i < g.nux; ++i) {
      field[std::size_t(j) * std::size_t(g.nux) + std::size_t(i)] =
          std::hypot(i * g.h - 0.5, (j + 0.5) * g.h - 0.5) - body.radius;
    }
  }
  double worst = 0.0;
  for (std::size_t m = faces.solid; m < faces.face.size(); ++m) {
    double value = faces.offset[m];
    for (int k = 0; k < fluids::kImageStencil; ++k) {
      value += faces.weight[m * fluids::kImageStencil + std::size_t(k)] *
               field[std::size_t(faces.stencil[m * fluids::kImageStencil + std::size_t(k)])];
    }
    worst = std::max(worst, std::abs(value - field[std::size_t(faces.face[m])]));
  }
  EXPECT_LT(worst, 0.2 * g.h * g.h / body.radius);
}

// The periodic analysis on a known signal: lift sin(2 pi f t), drag 3 + 0.1 sin(4 pi f t),
// Delta_p = cos(2 pi f t).
TEST(DfgPeriodic, RecoversFrequencyMaximaAndThePressureHalfAPeriodAfterTheLiftPeak) {
  constexpr double f = 3.0, mean = 1.0, pi = 3.14159265358979323846;
  std::vector<fluids::DfgCoefficients> history;
  for (int k = 0; k <= 20000; ++k) {
    const double t = k * 1e-4;
    history.push_back({t, 3.0 + 0.1 * std::sin(4 * pi * f * t), std::sin(2 * pi * f * t),
                       std::cos(2 * pi * f * t)});
  }
  const fluids::DfgPeriodic p = fluids::periodic_state(history, mean);
  ASSERT_TRUE(p.periodic);
  EXPECT_NEAR(p.frequency, f, 1e-6);
  EXPECT_NEAR(p.strouhal, fluids::dfg::kDiameter * f / mean, 1e-7);
  EXPECT_NEAR(p.lift_max, 1.0, 1e-6);
  EXPECT_NEAR(p.drag_max, 3.1, 1e-6);
  // The lift peaks at phase pi/2; half a period later cos is at phase 3 pi / 2: 0.
  EXPECT_NEAR(p.delta_p, 0.0, 2e-3);

  // Still growing (a shedding that has not settled): not periodic yet.
  for (auto& c : history) c.lift *= std::exp(c.time);
  EXPECT_FALSE(fluids::periodic_state(history, mean).periodic);
}

}  // namespace
}  // namespace advect::testing
