#include "advect/fluids/Poisson.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "advect/engine/Dispatch.h"
#include "kernels/PoissonKernels.h"

namespace advect::fluids {

template <class Real>
struct PoissonSolver<Real>::Level {
  PoissonLevel<Real> geometry;
  Buffer<Real> f, p, r;
  std::int64_t cells() const { return std::int64_t(geometry.nx) * geometry.ny; }
};

namespace {

// Coarsening halves both sizes while they are even and the coarse level keeps at least 2 x 2
// cells (4 x 4 when an axis is periodic, so that the wrapped neighbours stay distinct).
template <class Real>
bool can_coarsen(const PoissonLevel<Real>& L) {
  const auto fits = [](int n, bool periodic) { return n % 2 == 0 && n / 2 >= (periodic ? 4 : 2); };
  return fits(L.nx, L.sides[0] == Side::periodic) && fits(L.ny, L.sides[2] == Side::periodic);
}

}  // namespace

template <class Real>
PoissonSolver<Real>::PoissonSolver(const PoissonGrid& grid, const PoissonOptions& options,
                                   const Device& device)
    : options_(options), device_(device) {
  if (grid.nx < 2 || grid.ny < 2 || !(grid.h > 0.0)) {
    throw std::invalid_argument("Poisson grid: at least 2 x 2 cells and h > 0");
  }
  for (const int axis : {0, 1}) {
    const bool low = grid.sides[std::size_t(2 * axis)] == Side::periodic;
    const bool high = grid.sides[std::size_t(2 * axis + 1)] == Side::periodic;
    if (low != high) throw std::invalid_argument("Poisson grid: periodic needs both sides");
    if (low && (axis == 0 ? grid.nx : grid.ny) % 2 != 0) {
      throw std::invalid_argument("Poisson grid: a periodic axis needs an even number of cells");
    }
  }
  if (options.smoothing_sweeps < 1 || !(options.rtol > 0.0)) {
    throw std::invalid_argument("Poisson options: smoothing_sweeps >= 1 and rtol > 0");
  }
  singular_ = true;
  for (const Side side : grid.sides) singular_ = singular_ && side != Side::zero;

  PoissonLevel<Real> level;
  level.nx = grid.nx;
  level.ny = grid.ny;
  level.scale = Real(1.0 / (grid.h * grid.h));
  for (int s = 0; s < 4; ++s) level.sides[s] = grid.sides[std::size_t(s)];
  for (;;) {
    auto entry = std::make_unique<Level>();
    entry->geometry = level;
    const auto n = std::size_t(entry->cells());
    entry->f = Buffer<Real>(n, device);
    entry->p = Buffer<Real>(n, device);
    entry->r = Buffer<Real>(n, device);
    levels_.push_back(std::move(entry));
    if (options.preconditioner != Preconditioner::multigrid || !can_coarsen(level)) break;
    level.nx /= 2;
    level.ny /= 2;
    level.scale /= 4;  // the rediscretised operator at twice the spacing
  }
  const auto n = std::size_t(grid.nx) * std::size_t(grid.ny);
  residual_ = Buffer<Real>(n, device);
  search_ = Buffer<Real>(n, device);
  product_ = Buffer<Real>(n, device);
  preconditioned_ = Buffer<Real>(n, device);
  work_ = Buffer<Real>(n, device);
}

template <class Real>
PoissonSolver<Real>::~PoissonSolver() = default;

template <class Real>
void PoissonSolver<Real>::apply(const Real* p, Real* out) const {
  with_backend(device_,
               [&](auto b) { PoissonKernels<b, Real>::apply(levels_.front()->geometry, p, out); });
}

template <class Real>
void PoissonSolver<Real>::v_cycle(std::size_t index) {
  Level& L = *levels_[index];
  const PoissonLevel<Real>& g = L.geometry;
  with_backend(device_, [&](auto b) {
    using K = PoissonKernels<b, Real>;
    const bool coarsest = index + 1 == levels_.size();
    // The coarsest level is small: relax it to convergence with symmetric sweeps (a fixed count,
    // so that the V-cycle stays a symmetric operator, as CG needs).
    const int sweeps = coarsest ? 2 * (g.nx + g.ny) : options_.smoothing_sweeps;
    if (coarsest && singular_) K::remove_mean(L.f.data(), L.cells());
    for (int s = 0; s < sweeps; ++s) {
      K::gauss_seidel(g, L.f.data(), L.p.data(), 0);
      K::gauss_seidel(g, L.f.data(), L.p.data(), 1);
    }
    if (!coarsest) {
      Level& C = *levels_[index + 1];
      K::residual(g, L.f.data(), L.p.data(), L.r.data());
      K::restrict_residual(g, C.geometry, L.r.data(), C.f.data());
      K::fill(C.p.data(), 0, C.cells());
    }
    if (!coarsest) {
      v_cycle(index + 1);
      K::prolong_add(g, levels_[index + 1]->geometry, levels_[index + 1]->p.data(), L.p.data());
    }
    for (int s = 0; s < sweeps; ++s) {
      K::gauss_seidel(g, L.f.data(), L.p.data(), 1);
      K::gauss_seidel(g, L.f.data(), L.p.data(), 0);
    }
  });
}

template <class Real>
void PoissonSolver<Real>::precondition(const Real* r, Real* z) {
  Level& top = *levels_.front();
  with_backend(device_, [&](auto b) {
    using K = PoissonKernels<b, Real>;
    if (options_.preconditioner == Preconditioner::jacobi) {
      K::jacobi(top.geometry, r, z);
      return;
    }
    K::copy(r, top.f.data(), top.cells());
    K::fill(top.p.data(), 0, top.cells());
  });
  if (options_.preconditioner == Preconditioner::jacobi) return;
  v_cycle(0);
  with_backend(device_, [&](auto b) {
    using K = PoissonKernels<b, Real>;
    K::copy(top.p.data(), z, top.cells());
    if (singular_) K::remove_mean(z, top.cells());
  });
}

template <class Real>
PoissonResult PoissonSolver<Real>::solve(const Real* f, Real* p, double reference_norm) {
  const PoissonLevel<Real>& g = levels_.front()->geometry;
  const std::int64_t n = std::int64_t(g.nx) * g.ny;
  Real* b = work_.data();
  Real* r = residual_.data();
  Real* d = search_.data();
  Real* q = product_.data();
  Real* z = preconditioned_.data();
  PoissonResult result;
  double b_norm = 0.0, rz = 0.0;
  with_backend(device_, [&](auto backend) {
    using K = PoissonKernels<backend, Real>;
    K::copy(f, b, n);
    if (singular_) K::remove_mean(b, n);  // the solvable part of f
    b_norm = std::sqrt(K::dot(b, b, n));
    K::residual(g, b, p, r);
  });
  if (b_norm == 0.0) {  // A p = 0: p = 0
    with_backend(device_, [&](auto backend) { PoissonKernels<backend, Real>::fill(p, 0, n); });
    result.converged = true;
    return result;
  }
  const double scale = std::max(b_norm, reference_norm);
  precondition(r, z);
  with_backend(device_, [&](auto backend) {
    using K = PoissonKernels<backend, Real>;
    K::copy(z, d, n);
    rz = K::dot(r, z, n);
    result.relative_residual = std::sqrt(K::dot(r, r, n)) / scale;
  });
  while (result.relative_residual > options_.rtol && result.iterations < options_.max_iterations) {
    with_backend(device_, [&](auto backend) {
      using K = PoissonKernels<backend, Real>;
      K::apply(g, d, q);
      const double alpha = rz / K::dot(d, q, n);
      K::axpy(Real(alpha), d, p, n);
      K::axpy(Real(-alpha), q, r, n);
      // Rounding gives r a mean, which no step can reduce: in float it stalls CG near 1e-6, in
      // double it stays near 1e-16, below any tolerance, and the two passes are saved.
      if (std::is_same_v<Real, float> && singular_) K::remove_mean(r, n);
      result.relative_residual = std::sqrt(K::dot(r, r, n)) / scale;
    });
    ++result.iterations;
    if (result.relative_residual <= options_.rtol) break;
    precondition(r, z);
    with_backend(device_, [&](auto backend) {
      using K = PoissonKernels<backend, Real>;
      const double rz_next = K::dot(r, z, n);
      K::xpby(z, Real(rz_next / rz), d, n);
      rz = rz_next;
    });
  }
  if (singular_) {
    with_backend(device_, [&](auto backend) {
      using K = PoissonKernels<backend, Real>;
      K::remove_mean(p, n);
    });
  }
  result.converged = result.relative_residual <= options_.rtol;
  return result;
}

template class PoissonSolver<float>;
template class PoissonSolver<double>;

}  // namespace advect::fluids
