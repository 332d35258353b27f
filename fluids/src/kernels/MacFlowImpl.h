// One body for MacFlowKernels on both backends (MacFlowCPU.cpp / MacFlowCUDA.cu), for float and
// double fields. The constants are float literals: exact in both types, and they keep float
// arithmetic in float.
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/fluids/MacFlow.h"
#include "kernels/MacFlowKernels.h"

namespace advect::fluids {
inline namespace ADVECT_BACKEND {

ADVECT_HD inline int wrap(int i, int n) {
  return ((i % n) + n) % n;
}

// Face values with the boundary ghosts: across a wall the normal component is mirrored with its
// sign flipped (zero on the wall) and the tangential one is 2 U_wall - u (U_wall on the wall).
template <class Real>
struct FaceValues {
  MacGeometry g;  // sizes and boundary kinds; its spacing and wall velocities in Real below
  Real h, left, right, bottom, top;
  const Real* u;
  const Real* v;

  FaceValues(const MacGeometry& geometry, const Real* u_faces, const Real* v_faces)
      : g(geometry),
        h(Real(geometry.h)),
        left(Real(geometry.left)),
        right(Real(geometry.right)),
        bottom(Real(geometry.bottom)),
        top(Real(geometry.top)),
        u(u_faces),
        v(v_faces) {}

  ADVECT_HD Real U(int i, int j) const {
    if (i >= 0 && i < g.nux && j >= 0 && j < g.ny) return u[std::int64_t(j) * g.nux + i];
    Real sign = 1;
    if (g.periodic_x) {
      i = wrap(i, g.nx);
    } else if (g.channel && (i < 0 || i > g.nx)) {
      i = i < 0 ? 0 : g.nx;  // zero normal gradient beyond the inflow and the outflow
    } else if (i < 0) {
      i = -i;
      sign = -1;
    } else if (i > g.nx) {
      i = 2 * g.nx - i;
      sign = -1;
    }
    Real wall = 0;
    bool ghost = false;
    if (g.periodic_y) {
      j = wrap(j, g.ny);
    } else if (j < 0) {
      j = -1 - j;
      ghost = true;
      wall = bottom;
    } else if (j >= g.ny) {
      j = 2 * g.ny - 1 - j;
      ghost = true;
      wall = top;
    }
    const Real value = sign * u[std::int64_t(j) * g.nux + i];
    return ghost ? 2 * wall - value : value;
  }

  ADVECT_HD Real V(int i, int j) const {
    if (i >= 0 && i < g.nx && j >= 0 && j < g.nvy) return v[std::int64_t(j) * g.nx + i];
    Real sign = 1;
    if (g.periodic_y) {
      j = wrap(j, g.ny);
    } else if (j < 0) {
      j = -j;
      sign = -1;
    } else if (j > g.ny) {
      j = 2 * g.ny - j;
      sign = -1;
    }
    Real wall = 0;
    bool ghost = false;
    if (g.periodic_x) {
      i = wrap(i, g.nx);
    } else if (g.channel && i >= g.nx) {
      i = g.nx - 1;      // outflow: zero normal gradient
    } else if (i < 0) {  // a wall, or the inflow with v = 0 (g.left is 0 there)
      i = -1 - i;
      ghost = true;
      wall = left;
    } else if (i >= g.nx) {
      i = 2 * g.nx - 1 - i;
      ghost = true;
      wall = right;
    }
    const Real value = sign * v[std::int64_t(j) * g.nx + i];
    return ghost ? 2 * wall - value : value;
  }
};

// The transported value at the face between a0 and a1 (a-1, a0 | a1, a2 along the flow axis):
// the mean of the two neighbours (central), or QUICK's quadratic through the two upstream points
// and the downstream one.
template <class Real>
ADVECT_HD inline Real face_value(bool quick, Real velocity, Real a_1, Real a0, Real a1, Real a2) {
  if (!quick) return 0.5f * (a0 + a1);
  return velocity >= 0 ? 0.75f * a0 + 0.375f * a1 - 0.125f * a_1
                       : 0.75f * a1 + 0.375f * a0 - 0.125f * a2;
}

// Which faces move: all on a periodic axis, all but the two walls otherwise.
ADVECT_HD inline bool u_moves(const MacGeometry& g, int i) {
  return g.periodic_x || (i > 0 && (i < g.nx || g.channel));  // a channel's outflow face moves
}
ADVECT_HD inline bool v_moves(const MacGeometry& g, int j) {
  return g.periodic_y || (j > 0 && j < g.ny);
}

template <class Real>
struct URates {
  FaceValues<Real> f;
  Real viscosity;
  bool quick;
  Real force;
  Real* du;
  ADVECT_HD void operator()(int i, int j) const {
    const MacGeometry& g = f.g;
    const std::int64_t k = std::int64_t(j) * g.nux + i;
    if (!u_moves(g, i)) {
      du[k] = 0;
      return;
    }
    const Real c = f.U(i, j);
    const Real ue = 0.5f * (c + f.U(i + 1, j)), uw = 0.5f * (f.U(i - 1, j) + c);
    const Real vn = 0.5f * (f.V(i - 1, j + 1) + f.V(i, j + 1));
    const Real vs = 0.5f * (f.V(i - 1, j) + f.V(i, j));
    const Real east = ue * face_value(quick, ue, f.U(i - 1, j), c, f.U(i + 1, j), f.U(i + 2, j));
    const Real west = uw * face_value(quick, uw, f.U(i - 2, j), f.U(i - 1, j), c, f.U(i + 1, j));
    const Real north = vn * face_value(quick, vn, f.U(i, j - 1), c, f.U(i, j + 1), f.U(i, j + 2));
    const Real south = vs * face_value(quick, vs, f.U(i, j - 2), f.U(i, j - 1), c, f.U(i, j + 1));
    const Real laplace = f.U(i + 1, j) + f.U(i - 1, j) + f.U(i, j + 1) + f.U(i, j - 1) - 4 * c;
    du[k] = -(east - west + north - south) / f.h + viscosity * laplace / (f.h * f.h) + force;
  }
};

template <class Real>
struct VRates {
  FaceValues<Real> f;
  Real viscosity;
  bool quick;
  Real force;
  Real* dv;
  ADVECT_HD void operator()(int i, int j) const {
    const MacGeometry& g = f.g;
    const std::int64_t k = std::int64_t(j) * g.nx + i;
    if (!v_moves(g, j)) {
      dv[k] = 0;
      return;
    }
    const Real c = f.V(i, j);
    const Real vn = 0.5f * (c + f.V(i, j + 1)), vs = 0.5f * (f.V(i, j - 1) + c);
    const Real ue = 0.5f * (f.U(i + 1, j - 1) + f.U(i + 1, j));
    const Real uw = 0.5f * (f.U(i, j - 1) + f.U(i, j));
    const Real north = vn * face_value(quick, vn, f.V(i, j - 1), c, f.V(i, j + 1), f.V(i, j + 2));
    const Real south = vs * face_value(quick, vs, f.V(i, j - 2), f.V(i, j - 1), c, f.V(i, j + 1));
    const Real east = ue * face_value(quick, ue, f.V(i - 1, j), c, f.V(i + 1, j), f.V(i + 2, j));
    const Real west = uw * face_value(quick, uw, f.V(i - 2, j), f.V(i - 1, j), c, f.V(i + 1, j));
    const Real laplace = f.V(i + 1, j) + f.V(i - 1, j) + f.V(i, j + 1) + f.V(i, j - 1) - 4 * c;
    dv[k] = -(east - west + north - south) / f.h + viscosity * laplace / (f.h * f.h) + force;
  }
};

template <class Real>
struct Combine {
  Real a;
  const Real* x;
  Real b;
  const Real* y;
  Real c;
  const Real* z;
  Real* out;
  ADVECT_HD void operator()(std::int64_t k) const { out[k] = a * x[k] + b * y[k] + c * z[k]; }
};

template <class Real>
struct Divergence {
  FaceValues<Real> f;
  Real scale;
  Real* out;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t k = std::int64_t(j) * f.g.nx + i;
    out[k] = scale * (f.U(i + 1, j) - f.U(i, j) + f.V(i, j + 1) - f.V(i, j)) / f.h;
  }
};

// Only faces that move are touched, so the cell behind a face at i = 0 (or j = 0) exists only on
// a periodic axis, where it is the last one; a face at i = nx is a periodic duplicate (not stored)
// or a channel's outflow.
template <class Real>
struct SubtractGradientU {
  MacGeometry g;
  Real dt, h;
  const Real* p;
  Real* u;
  ADVECT_HD void operator()(int i, int j) const {
    if (!u_moves(g, i)) return;
    const std::int64_t row = std::int64_t(j) * g.nx;
    const Real inside = p[row + (i > 0 ? i - 1 : g.nx - 1)];
    // At the outflow face the ghost cell holds -p, which puts p = 0 on the face.
    const Real outside = i == g.nx ? -inside : p[row + i];
    u[std::int64_t(j) * g.nux + i] -= dt * (outside - inside) / h;
  }
};

template <class Real>
struct SubtractGradientV {
  MacGeometry g;
  Real dt, h;
  const Real* p;
  Real* v;
  ADVECT_HD void operator()(int i, int j) const {
    if (!v_moves(g, j)) return;
    const Real below = p[std::int64_t(j > 0 ? j - 1 : g.ny - 1) * g.nx + i];
    v[std::int64_t(j) * g.nx + i] -= dt * (p[std::int64_t(j) * g.nx + i] - below) / h;
  }
};

template <class Real>
struct CellVelocity {
  FaceValues<Real> f;
  Real* out;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t k = std::int64_t(j) * f.g.nx + i;
    out[2 * k] = 0.5f * (f.U(i, j) + f.U(i + 1, j));
    out[2 * k + 1] = 0.5f * (f.V(i, j) + f.V(i, j + 1));
  }
};

template <class Real>
struct CellVorticity {
  FaceValues<Real> f;
  Real* out;
  // At the corner (i h, j h); the ghosts make the wall corners see the wall's velocity.
  ADVECT_HD Real corner(int i, int j) const {
    return (f.V(i, j) - f.V(i - 1, j) - f.U(i, j) + f.U(i, j - 1)) / f.h;
  }
  ADVECT_HD void operator()(int i, int j) const {
    out[std::int64_t(j) * f.g.nx + i] =
        0.25f * (corner(i, j) + corner(i + 1, j) + corner(i, j + 1) + corner(i + 1, j + 1));
  }
};

// h^2 (a - dp/dn) on the faces of a box along one axis; `stride` steps to the cell behind the
// face (1 for u, nx for v). Summed in double.
template <class Real>
struct BoxFaceTerm {
  const Real* a;
  const Real* p;
  int width;            // of the component's array
  int i0, j0, count_i;  // first face, faces per row of the box
  std::int64_t stride;
  int nx;  // cells per row
  double h;
  ADVECT_HD double operator()(std::int64_t k) const {
    const int i = i0 + int(k % count_i), j = j0 + int(k / count_i);
    double value = a[std::int64_t(j) * width + i];
    if (p != nullptr) {
      const std::int64_t cell = std::int64_t(j) * nx + i;
      value -= (double(p[cell]) - double(p[cell - stride])) / h;
    }
    return h * h * value;
  }
};
struct Sum {
  ADVECT_HD double operator()(double x, double y) const { return x + y; }
};

template <class Real>
struct Absolute {
  const Real* a;
  ADVECT_HD double operator()(std::int64_t k) const { return a[k] < 0 ? -a[k] : a[k]; }
};
struct Larger {
  ADVECT_HD double operator()(double x, double y) const { return x > y ? x : y; }
};

}  // namespace ADVECT_BACKEND

template <Backend B, class Real>
void MacFlowKernels<B, Real>::rates(const MacGeometry& g, const FlowOptions& options, const Real* u,
                                    const Real* v, Real* du, Real* dv) {
  const FaceValues<Real> faces(g, u, v);
  const bool quick = options.advection == Advection::quick;
  const auto nu = Real(options.viscosity);
  detail::parallel_for_2d(g.nux, g.ny, URates<Real>{faces, nu, quick, Real(options.force_x), du});
  detail::parallel_for_2d(g.nx, g.nvy, VRates<Real>{faces, nu, quick, Real(options.force_y), dv});
}

template <Backend B, class Real>
void MacFlowKernels<B, Real>::combine(double a, const Real* x, double b, const Real* y, double c,
                                      const Real* z, Real* out, std::int64_t n) {
  detail::parallel_for(n, Combine<Real>{Real(a), x, Real(b), y, Real(c), z, out},
                       detail::kMinParallelLightIterations);
}

template <Backend B, class Real>
void MacFlowKernels<B, Real>::divergence(const MacGeometry& g, const Real* u, const Real* v,
                                         double scale, Real* out) {
  detail::parallel_for_2d(g.nx, g.ny,
                          Divergence<Real>{FaceValues<Real>(g, u, v), Real(scale), out});
}

template <Backend B, class Real>
void MacFlowKernels<B, Real>::subtract_gradient(const MacGeometry& g, double dt, const Real* p,
                                                Real* u, Real* v) {
  detail::parallel_for_2d(g.nux, g.ny, SubtractGradientU<Real>{g, Real(dt), Real(g.h), p, u});
  detail::parallel_for_2d(g.nx, g.nvy, SubtractGradientV<Real>{g, Real(dt), Real(g.h), p, v});
}

template <Backend B, class Real>
double MacFlowKernels<B, Real>::max_abs(const Real* a, std::int64_t n) {
  return detail::transform_reduce(n, 0.0, Larger{}, Absolute<Real>{a},
                                  detail::kMinParallelLightIterations);
}

template <Backend B, class Real>
std::array<double, 2> MacFlowKernels<B, Real>::box_sums(const MacGeometry& g, const CellBox& box,
                                                        const Real* a_u, const Real* a_v,
                                                        const Real* p) {
  const int u_columns = box.i1 - box.i0 + 1, u_rows = box.j1 - box.j0;
  const int v_columns = box.i1 - box.i0, v_rows = box.j1 - box.j0 + 1;
  const BoxFaceTerm<Real> u_term{a_u, p, g.nux, box.i0, box.j0, u_columns, 1, g.nx, g.h};
  const BoxFaceTerm<Real> v_term{a_v, p, g.nx, box.i0, box.j0, v_columns, g.nx, g.nx, g.h};
  return {detail::transform_reduce(std::int64_t(u_columns) * u_rows, 0.0, Sum{}, u_term),
          detail::transform_reduce(std::int64_t(v_columns) * v_rows, 0.0, Sum{}, v_term)};
}

template <Backend B, class Real>
void MacFlowKernels<B, Real>::cell_velocity(const MacGeometry& g, const Real* u, const Real* v,
                                            Real* out) {
  detail::parallel_for_2d(g.nx, g.ny, CellVelocity<Real>{FaceValues<Real>(g, u, v), out});
}

template <Backend B, class Real>
void MacFlowKernels<B, Real>::vorticity(const MacGeometry& g, const Real* u, const Real* v,
                                        Real* out) {
  detail::parallel_for_2d(g.nx, g.ny, CellVorticity<Real>{FaceValues<Real>(g, u, v), out});
}

template struct MacFlowKernels<ADVECT_THIS_BACKEND, float>;
template struct MacFlowKernels<ADVECT_THIS_BACKEND, double>;

}  // namespace advect::fluids
