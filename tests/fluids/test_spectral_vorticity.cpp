// The pseudo-spectral vorticity solver against exact solutions (a decaying eigenmode; the forced
// mode of Li et al.'s forcing approaching its steady state) and, where the nonlinear term acts,
// against the independent finite-volume MAC solver on a finer grid.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>

#include "advect/fluids/MacFlow.h"
#include "advect/fluids/SpectralVorticity.h"

namespace advect::testing {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double worst = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::abs(a[k] - b[k]));
  return worst;
}

// Two modes with the same |k| (k = (1, 2) and (2, -1)): psi is proportional to w, so u . grad w
// vanishes and w decays as exp(-nu |k|^2 t) exactly.
TEST(SpectralVorticity, EigenmodeDecaysExactly) {
  constexpr int n = 32;
  constexpr double nu = 0.01, t = 1.0;
  const auto mode = [&](double decay) {
    std::vector<double> w(n * n);
    for (int j = 0; j < n; ++j) {
      for (int i = 0; i < n; ++i) {
        const double x = double(i) / n, y = double(j) / n;
        w[std::size_t(j * n + i)] =
            decay * (std::cos(kTwoPi * (x + 2 * y)) + 0.5 * std::sin(kTwoPi * (2 * x - y)));
      }
    }
    return w;
  };
  fluids::SpectralVorticity solver(n, nu);
  solver.set_vorticity(mode(1.0));
  solver.advance(t, 0.05);
  const double exact_decay = std::exp(-nu * kTwoPi * kTwoPi * 5.0 * t);
  EXPECT_LT(max_abs_difference(solver.vorticity(), mode(exact_decay)), 1e-12);
}

// Li et al.'s forcing is one wavevector (1, 1): from rest, w = f (1 - exp(-8 pi^2 nu t)) /
// (8 pi^2 nu), again with no nonlinear term.
TEST(SpectralVorticity, ForcedModeApproachesItsSteadyStateExactly) {
  constexpr int n = 32;
  constexpr double nu = 1e-3, t = 5.0;
  const std::vector<double> f = fluids::li_forcing(n);
  fluids::SpectralVorticity solver(n, nu, f);
  solver.advance(t, 0.1);
  const double lambda = 2.0 * kTwoPi * kTwoPi * nu;
  std::vector<double> exact(f.size());
  for (std::size_t k = 0; k < f.size(); ++k)
    exact[k] = f[k] * (1.0 - std::exp(-lambda * t)) / lambda;
  EXPECT_LT(max_abs_difference(solver.vorticity(), exact), 1e-9);
}

// A flow whose modes interact: psi = (sin 2 pi x sin 2 pi y + cos 4 pi x sin 2 pi y) / (2 pi).
// The MAC solver (second order, 128^2) and the spectral one (64^2) must agree at t = 0.5 s far
// more closely than either differs from the purely viscous decay (which ignores advection).
TEST(SpectralVorticity, AgreesWithTheMacSolverWhereAdvectionActs) {
  constexpr double nu = 0.01, t_end = 0.5;
  // Analytic psi derivatives: u = dpsi/dy, v = -dpsi/dx, w = -laplace psi.
  const auto u_at = [](double x, double y) {
    return (std::sin(kTwoPi * x) + std::cos(2 * kTwoPi * x)) * std::cos(kTwoPi * y);
  };
  const auto v_at = [](double x, double y) {
    return -(std::cos(kTwoPi * x) - 2 * std::sin(2 * kTwoPi * x)) * std::sin(kTwoPi * y);
  };
  const auto w_at = [](double x, double y, double t) {
    const double k2 = kTwoPi * kTwoPi;
    return kTwoPi *
           (2 * std::sin(kTwoPi * x) * std::exp(-2 * k2 * nu * t) +
            5 * std::cos(2 * kTwoPi * x) * std::exp(-5 * k2 * nu * t)) *
           std::sin(kTwoPi * y);
  };

  constexpr int spectral_n = 64, mac_n = 128;
  fluids::SpectralVorticity spectral(spectral_n, nu);
  std::vector<double> w0(spectral_n * spectral_n), viscous(w0.size());
  for (int j = 0; j < spectral_n; ++j) {
    for (int i = 0; i < spectral_n; ++i) {
      const double x = double(i) / spectral_n, y = double(j) / spectral_n;
      w0[std::size_t(j * spectral_n + i)] = w_at(x, y, 0.0);
      viscous[std::size_t(j * spectral_n + i)] = w_at(x, y, t_end);
    }
  }
  spectral.set_vorticity(w0);
  spectral.advance(t_end, 0.01);
  const std::vector<double> w_spectral = spectral.vorticity();

  fluids::FlowDomain domain;
  domain.nx = domain.ny = mac_n;
  domain.h = 1.0 / mac_n;
  domain.periodic_x = domain.periodic_y = true;
  fluids::FlowOptions options;
  options.viscosity = nu;
  options.pressure_rtol = 1e-8;
  fluids::MacFlow mac(domain, options, Device::cpu());
  std::vector<double> u(mac_n * mac_n), v(mac_n * mac_n);
  for (int j = 0; j < mac_n; ++j) {
    for (int i = 0; i < mac_n; ++i) {
      u[std::size_t(j * mac_n + i)] = u_at(double(i) / mac_n, (j + 0.5) / mac_n);
      v[std::size_t(j * mac_n + i)] = v_at((i + 0.5) / mac_n, double(j) / mac_n);
    }
  }
  mac.set_velocity(u, v);
  while (mac.time() < t_end - 1e-12) mac.step(std::min(mac.stable_dt(), t_end - mac.time()));
  u = mac.u();
  v = mac.v();
  // The MAC vorticity at the cell corners (i h, j h), which include the spectral grid points.
  const auto wrap = [](int k) { return (k + mac_n) % mac_n; };
  double difference = 0.0, advection = 0.0, norm = 0.0;
  for (int j = 0; j < spectral_n; ++j) {
    for (int i = 0; i < spectral_n; ++i) {
      const int I = 2 * i, J = 2 * j;
      const double w_mac =
          (v[std::size_t(J * mac_n + I)] - v[std::size_t(J * mac_n + wrap(I - 1))] -
           u[std::size_t(J * mac_n + I)] + u[std::size_t(wrap(J - 1) * mac_n + I)]) *
          mac_n;
      const std::size_t p = std::size_t(j * spectral_n + i);
      difference += std::pow(w_mac - w_spectral[p], 2);
      advection += std::pow(w_spectral[p] - viscous[p], 2);
      norm += std::pow(w_spectral[p], 2);
    }
  }
  difference = std::sqrt(difference / norm);
  advection = std::sqrt(advection / norm);
  std::printf(
      "spectral 64^2 vs MAC 128^2 at t = %.1f: relative L2 difference %.2e; advection "
      "changed the field by %.2e\n",
      t_end, difference, advection);
  EXPECT_GT(advection, 0.1);
  EXPECT_LT(difference, 0.02 * advection);
}

TEST(GaussianRandomField, SeededZeroMeanAndSmooth) {
  constexpr int n = 64;
  const std::vector<double> a = fluids::gaussian_random_field(n, 7);
  EXPECT_EQ(a, fluids::gaussian_random_field(n, 7));
  EXPECT_NE(a, fluids::gaussian_random_field(n, 8));
  double mean = 0.0, variance = 0.0, gradient = 0.0;
  for (double value : a) mean += value / a.size();
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      const double value = a[std::size_t(j * n + i)];
      variance += (value - mean) * (value - mean) / a.size();
      gradient += std::pow(a[std::size_t(j * n + (i + 1) % n)] - value, 2) / a.size();
    }
  }
  EXPECT_NEAR(mean, 0.0, 1e-12);
  EXPECT_GT(variance, 0.0);
  // Smooth (alpha = 2.5): neighbouring points differ by far less than the field's spread.
  EXPECT_LT(gradient, 0.05 * variance);
}

}  // namespace
}  // namespace advect::testing
