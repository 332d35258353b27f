// The pressure Poisson solver against exact solutions of -laplace(p) = f on the unit square with
// each kind of boundary, its residual checked by an independent stencil, and the multigrid
// preconditioner's iteration count against the grid size (and against Jacobi's).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numbers>

#include "advect/engine/Buffer.h"
#include "advect/fluids/Poisson.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using fluids::Side;
constexpr double pi = std::numbers::pi;

struct Case {
  std::array<Side, 4> sides;
  std::function<double(double, double)> exact;
  double eigenvalue;  // -laplace(exact) = eigenvalue * exact
};

// p = cos(pi x) cos(pi y): walls everywhere (dp/dn = 0).
Case walls() {
  return {{Side::wall, Side::wall, Side::wall, Side::wall},
          [](double x, double y) { return std::cos(pi * x) * std::cos(pi * y); },
          2 * pi * pi};
}
// p = sin(pi x) sin(pi y): zero on every face.
Case zero_faces() {
  return {{Side::zero, Side::zero, Side::zero, Side::zero},
          [](double x, double y) { return std::sin(pi * x) * std::sin(pi * y); },
          2 * pi * pi};
}
// p = sin(2 pi x) cos(2 pi y): periodic both ways.
Case periodic() {
  return {{Side::periodic, Side::periodic, Side::periodic, Side::periodic},
          [](double x, double y) { return std::sin(2 * pi * x) * std::cos(2 * pi * y); },
          8 * pi * pi};
}
// p = cos(pi x / 2) cos(pi y): walls, except zero at x = 1 (a channel's outflow).
Case outflow() {
  return {{Side::wall, Side::zero, Side::wall, Side::wall},
          [](double x, double y) { return std::cos(0.5 * pi * x) * std::cos(pi * y); },
          1.25 * pi * pi};
}

std::vector<std::pair<const char*, Case>> every_boundary() {
  return {{"walls", walls()},
          {"zero faces", zero_faces()},
          {"periodic", periodic()},
          {"outflow", outflow()}};
}

// -laplace on the host, written out independently of the kernels, for checking residuals.
double reference_residual(const fluids::PoissonGrid& g, const std::vector<double>& f,
                          const std::vector<double>& p, bool singular) {
  const auto at = [&](int i, int j) { return p[std::size_t(j * g.nx + i)]; };
  double mean_f = 0.0;
  if (singular) {
    for (const double v : f) mean_f += v;
    mean_f /= double(f.size());
  }
  double r2 = 0.0, f2 = 0.0;
  for (int j = 0; j < g.ny; ++j) {
    for (int i = 0; i < g.nx; ++i) {
      const double c = at(i, j);
      double sum = 0.0;
      const auto face = [&](int ii, int jj, Side side) {
        if (ii >= 0 && ii < g.nx && jj >= 0 && jj < g.ny) {
          sum += c - at(ii, jj);
        } else if (side == Side::periodic) {
          sum += c - at((ii + g.nx) % g.nx, (jj + g.ny) % g.ny);
        } else if (side == Side::zero) {
          sum += 2 * c;
        }
      };
      face(i - 1, j, g.sides[0]);
      face(i + 1, j, g.sides[1]);
      face(i, j - 1, g.sides[2]);
      face(i, j + 1, g.sides[3]);
      const double b = f[std::size_t(j * g.nx + i)] - mean_f;
      r2 += std::pow(b - sum / (g.h * g.h), 2);
      f2 += b * b;
    }
  }
  return std::sqrt(r2 / f2);
}

struct Solved {
  double max_error = 0.0;
  double residual = 0.0;  // independent check
  fluids::PoissonResult result;
};

// Solves in fields of Real values (double or float); the checks are in double.
template <class Real = double>
Solved solve_case(const Case& c, int n, fluids::Preconditioner preconditioner, double rtol,
                  const Device& device) {
  fluids::PoissonGrid grid;
  grid.nx = grid.ny = n;
  grid.h = 1.0 / n;
  grid.sides = c.sides;
  std::vector<double> f(std::size_t(n) * n), exact(f.size());
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      const double x = (i + 0.5) * grid.h, y = (j + 0.5) * grid.h;
      exact[std::size_t(j * n + i)] = c.exact(x, y);
      f[std::size_t(j * n + i)] = c.eigenvalue * c.exact(x, y);
    }
  }
  fluids::PoissonOptions options;
  options.preconditioner = preconditioner;
  options.rtol = rtol;
  fluids::PoissonSolver<Real> solver(grid, options, device);
  const auto rhs = Buffer<Real>::from_host(std::vector<Real>(f.begin(), f.end()), device);
  Buffer<Real> p(f.size(), device);
  p.copy_from_host(std::vector<Real>(f.size(), Real(0)));
  Solved out;
  out.result = solver.solve(rhs.data(), p.data());
  const std::vector<Real> stored = p.to_host();
  const std::vector<double> solution(stored.begin(), stored.end());
  double mean_exact = 0.0;
  if (solver.singular()) {
    for (const double v : exact) mean_exact += v;
    mean_exact /= double(exact.size());
  }
  for (std::size_t k = 0; k < f.size(); ++k) {
    out.max_error = std::max(out.max_error, std::abs(solution[k] - (exact[k] - mean_exact)));
  }
  out.residual = reference_residual(grid, f, solution, solver.singular());
  return out;
}

class PoissonTest : public PerDevice {};

TEST_P(PoissonTest, SecondOrderAccurateWithEveryKindOfBoundary) {
  for (const auto& [name, c] : every_boundary()) {
    SCOPED_TRACE(name);
    const Solved coarse = solve_case(c, 32, fluids::Preconditioner::multigrid, 1e-11, device());
    const Solved fine = solve_case(c, 64, fluids::Preconditioner::multigrid, 1e-11, device());
    ASSERT_TRUE(coarse.result.converged && fine.result.converged);
    EXPECT_LT(coarse.residual, 1e-10);
    EXPECT_LT(fine.residual, 1e-10);
    const double order = std::log2(coarse.max_error / fine.max_error);
    std::printf("%-10s max error %.3e (32^2) %.3e (64^2): order %.2f; MG-PCG %d / %d iterations\n",
                name, coarse.max_error, fine.max_error, order, coarse.result.iterations,
                fine.result.iterations);
    EXPECT_GT(order, 1.9);
    EXPECT_LT(order, 2.1);
  }
}

TEST_P(PoissonTest, MultigridIterationsStayFlatAsTheGridGrows) {
  std::vector<int> counts;
  for (const int n : {32, 64, 128, 256}) {
    const Solved s = solve_case(walls(), n, fluids::Preconditioner::multigrid, 1e-8, device());
    ASSERT_TRUE(s.result.converged) << n;
    EXPECT_LT(s.residual, 1e-8);
    counts.push_back(s.result.iterations);
  }
  const Solved jacobi = solve_case(walls(), 128, fluids::Preconditioner::jacobi, 1e-8, device());
  ASSERT_TRUE(jacobi.result.converged);
  std::printf(
      "MG-PCG iterations to rtol 1e-8 at 32, 64, 128, 256: %d %d %d %d; Jacobi-PCG at 128: "
      "%d\n",
      counts[0], counts[1], counts[2], counts[3], jacobi.result.iterations);
  EXPECT_LE(*std::max_element(counts.begin(), counts.end()), 12);
  EXPECT_LE(counts[3] - counts[0], 3);
  EXPECT_GT(jacobi.result.iterations, 8 * counts[2]);
}

// Float fields to float's tolerance: the discretisation error at 32^2 and 64^2 (1e-3, 2e-4) is
// far above float's rounding, so the errors, their order and the iterations are double's.
TEST_P(PoissonTest, FloatFieldsSolveToFloatResolution) {
  for (const auto& [name, c] : every_boundary()) {
    SCOPED_TRACE(name);
    const auto mg = fluids::Preconditioner::multigrid;
    const Solved coarse = solve_case<float>(c, 32, mg, 1e-6, device());
    const Solved fine = solve_case<float>(c, 64, mg, 1e-6, device());
    const Solved twin = solve_case(c, 64, mg, 1e-6, device());
    ASSERT_TRUE(coarse.result.converged && fine.result.converged);
    std::printf(
        "%-10s float: max error %.4e (32^2) %.4e (64^2; double %.4e), residual %.1e; %d / %d "
        "iterations (double %d)\n",
        name, coarse.max_error, fine.max_error, twin.max_error, fine.residual,
        coarse.result.iterations, fine.result.iterations, twin.result.iterations);
    // Measured independently, in double. Rounding the solution to float alone leaves a residual
    // of up to (8 / h^2) eps |p| against |f| = eigenvalue |p|: the float floor.
    const double floor = 8.0 * 64 * 64 * std::numeric_limits<float>::epsilon() / c.eigenvalue;
    EXPECT_LT(fine.residual, floor);
    EXPECT_NEAR(fine.max_error, twin.max_error, 0.01 * twin.max_error);
    EXPECT_GT(std::log2(coarse.max_error / fine.max_error), 1.9);
    EXPECT_LE(fine.result.iterations, twin.result.iterations + 1);
  }
}

TEST(Poisson, RejectsInconsistentGrids) {
  fluids::PoissonGrid grid;
  grid.nx = 7;
  grid.ny = 8;
  grid.sides = {Side::periodic, Side::periodic, Side::wall, Side::wall};
  EXPECT_THROW(fluids::PoissonSolver(grid, {}, Device::cpu()), std::invalid_argument);
  grid.nx = 8;
  grid.sides = {Side::periodic, Side::wall, Side::wall, Side::wall};
  EXPECT_THROW(fluids::PoissonSolver(grid, {}, Device::cpu()), std::invalid_argument);
  grid.nx = 1;
  EXPECT_THROW(fluids::PoissonSolver(grid, {}, Device::cpu()), std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(PoissonTest);

}  // namespace
}  // namespace advect::testing
