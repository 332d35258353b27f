// The pressure equation of a projection method: -laplace(p) = f on a uniform 2-D grid of cell
// centres, five-point stencil, solved by conjugate gradients preconditioned with one geometric
// multigrid V-cycle (or, for comparison, with the diagonal: Jacobi-PCG), on either device.
//
// Layout: nx * ny values per field, x fastest (cell (i, j) at j * nx + i, centre ((i + 1/2) h,
// (j + 1/2) h)). Boundaries are per side: a wall (dp/dn = 0), a zero value on the face (p = 0
// there, e.g. an outflow), or periodic (both sides of that axis). With no zero-value side the
// problem is singular: f is projected onto zero mean and p is returned with zero mean.
//
// Real is the storage and arithmetic type of the fields (double, or float for half the memory
// traffic); dot products and sums accumulate in double either way.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"

namespace advect::fluids {

enum class Side : std::uint8_t { wall, zero, periodic };  // dp/dn = 0, p = 0 on the face, wrap

struct PoissonGrid {
  int nx = 0, ny = 0;
  double h = 1.0;  // cell edge, metres
  // x low, x high, y low, y high
  std::array<Side, 4> sides{Side::wall, Side::wall, Side::wall, Side::wall};
};

enum class Preconditioner { multigrid, jacobi };

struct PoissonOptions {
  Preconditioner preconditioner = Preconditioner::multigrid;
  double rtol = 1e-8;  // stop when |f - A p|_2 <= rtol |f|_2
  int max_iterations = 10000;
  // Red-black Gauss-Seidel sweeps before and after each coarse correction.
  int smoothing_sweeps = 2;
};

struct PoissonResult {
  int iterations = 0;
  double relative_residual = 0.0;
  bool converged = false;
};

// One level of the hierarchy as the kernels see it: the operator is
// (A p)_c = scale * sum over faces of c of (p_c - p_neighbour), with a zero-value face counting
// (p_c - (-p_c)) = 2 p_c and a wall face nothing. scale = 1 / h^2 on the finest level.
template <class Real>
struct PoissonLevel {
  int nx = 0, ny = 0;
  Real scale = 1;
  Side sides[4] = {Side::wall, Side::wall, Side::wall, Side::wall};
};

template <class Real = double>
class PoissonSolver {
 public:
  PoissonSolver(const PoissonGrid& grid, const PoissonOptions& options, const Device& device);
  ~PoissonSolver();
  PoissonSolver(const PoissonSolver&) = delete;
  PoissonSolver& operator=(const PoissonSolver&) = delete;

  // Solves A p = f: f and p (the initial guess, overwritten) hold nx * ny values on the solver's
  // device. f is not modified. Stops when |f - A p|_2 <= rtol * max(|f|_2, reference_norm): a
  // caller solving for a small correction can measure it against the size of the whole problem.
  PoissonResult solve(const Real* f, Real* p, double reference_norm = 0.0);
  // out = A p (the operator solved for), on the solver's device.
  void apply(const Real* p, Real* out) const;
  int levels() const { return int(levels_.size()); }
  bool singular() const { return singular_; }

 private:
  struct Level;
  void v_cycle(std::size_t level);
  void precondition(const Real* r, Real* z);

  PoissonOptions options_;
  Device device_;
  bool singular_ = false;
  std::vector<std::unique_ptr<Level>> levels_;
  Buffer<Real> residual_, search_, product_, preconditioned_, work_;
};

}  // namespace advect::fluids
