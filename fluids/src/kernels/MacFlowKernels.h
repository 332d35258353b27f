// The kernel family behind advect/fluids/MacFlow.h: declared here, one body for both backends in
// the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/fluids/MacFlow.h"

namespace advect::fluids {

template <Backend B, class Real>
struct MacFlowKernels {
  // du/dt and dv/dt without the pressure: -div(u u) + nu laplace u + body force.
  static void rates(const MacGeometry& g, const FlowOptions& options, const Real* u, const Real* v,
                    Real* du, Real* dv);
  // out = a * x + b * y + c * z (any may alias out), n values.
  static void combine(double a, const Real* x, double b, const Real* y, double c, const Real* z,
                      Real* out, std::int64_t n);
  // out = scale * div u at the cell centres.
  static void divergence(const MacGeometry& g, const Real* u, const Real* v, double scale,
                         Real* out);
  // u -= dt grad p on the faces that are not walls.
  static void subtract_gradient(const MacGeometry& g, double dt, const Real* p, Real* u, Real* v);
  static double max_abs(const Real* a, std::int64_t n);
  // h^2 times the sums over the box's faces (see MacFlow::momentum) of a_u - dp/dx and of
  // a_v - dp/dy; p may be null (no gradient).
  static std::array<double, 2> box_sums(const MacGeometry& g, const CellBox& box, const Real* a_u,
                                        const Real* a_v, const Real* p);
  static void cell_velocity(const MacGeometry& g, const Real* u, const Real* v, Real* out);
  static void vorticity(const MacGeometry& g, const Real* u, const Real* v, Real* out);
};

}  // namespace advect::fluids
