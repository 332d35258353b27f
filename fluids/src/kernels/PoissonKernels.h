// The kernel family behind advect/fluids/Poisson.h: declared here, one body for both backends in
// the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/fluids/Poisson.h"

namespace advect::fluids {

template <Backend B, class Real>
struct PoissonKernels {
  using Level = PoissonLevel<Real>;
  static void apply(const Level& level, const Real* p, Real* out);
  // r = f - A p
  static void residual(const Level& level, const Real* f, const Real* p, Real* r);
  // One half-sweep of Gauss-Seidel on the cells with (i + j) % 2 == colour.
  static void gauss_seidel(const Level& level, const Real* f, Real* p, int colour);
  // z = r / diagonal
  static void jacobi(const Level& level, const Real* r, Real* z);
  // Coarse right-hand side from a fine residual: the adjoint of prolongation, divided by 4.
  static void restrict_residual(const Level& fine, const Level& coarse, const Real* r,
                                Real* f_coarse);
  // p += bilinear interpolation of the coarse correction e (cell centres, boundary ghosts).
  static void prolong_add(const Level& fine, const Level& coarse, const Real* e, Real* p);
  static double dot(const Real* a, const Real* b, std::int64_t n);  // accumulated in double
  // a -= mean(a): the part of a vector that a singular problem's operator can reach.
  static void remove_mean(Real* a, std::int64_t n);
  static void fill(Real* a, Real value, std::int64_t n);
  static void copy(const Real* x, Real* y, std::int64_t n);  // y = x
  // y = a * x + y
  static void axpy(Real a, const Real* x, Real* y, std::int64_t n);
  // y = x + b * y
  static void xpby(const Real* x, Real b, Real* y, std::int64_t n);
};

}  // namespace advect::fluids
