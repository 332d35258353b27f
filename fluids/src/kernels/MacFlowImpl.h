// One body for MacFlowKernels on both backends (MacFlowCPU.cpp / MacFlowCUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/fluids/MacFlow.h"

namespace advect::fluids {
inline namespace ADVECT_BACKEND {

ADVECT_HD inline int wrap(int i, int n) {
  return ((i % n) + n) % n;
}

// Face values with the boundary ghosts: across a wall the normal component is mirrored with its
// sign flipped (zero on the wall) and the tangential one is 2 U_wall - u (U_wall on the wall).
struct FaceValues {
  MacGeometry g;
  const double* u;
  const double* v;

  ADVECT_HD double U(int i, int j) const {
    if (i >= 0 && i < g.nux && j >= 0 && j < g.ny) return u[std::int64_t(j) * g.nux + i];
    double sign = 1.0;
    if (g.periodic_x) {
      i = wrap(i, g.nx);
    } else if (g.channel && (i < 0 || i > g.nx)) {
      i = i < 0 ? 0 : g.nx;  // zero normal gradient beyond the inflow and the outflow
    } else if (i < 0) {
      i = -i;
      sign = -1.0;
    } else if (i > g.nx) {
      i = 2 * g.nx - i;
      sign = -1.0;
    }
    double wall = 0.0;
    bool ghost = false;
    if (g.periodic_y) {
      j = wrap(j, g.ny);
    } else if (j < 0) {
      j = -1 - j;
      ghost = true;
      wall = g.bottom;
    } else if (j >= g.ny) {
      j = 2 * g.ny - 1 - j;
      ghost = true;
      wall = g.top;
    }
    const double value = sign * u[std::int64_t(j) * g.nux + i];
    return ghost ? 2.0 * wall - value : value;
  }

  ADVECT_HD double V(int i, int j) const {
    if (i >= 0 && i < g.nx && j >= 0 && j < g.nvy) return v[std::int64_t(j) * g.nx + i];
    double sign = 1.0;
    if (g.periodic_y) {
      j = wrap(j, g.ny);
    } else if (j < 0) {
      j = -j;
      sign = -1.0;
    } else if (j > g.ny) {
      j = 2 * g.ny - j;
      sign = -1.0;
    }
    double wall = 0.0;
    bool ghost = false;
    if (g.periodic_x) {
      i = wrap(i, g.nx);
    } else if (g.channel && i >= g.nx) {
      i = g.nx - 1;      // outflow: zero normal gradient
    } else if (i < 0) {  // a wall, or the inflow with v = 0 (g.left is 0 there)
      i = -1 - i;
      ghost = true;
      wall = g.left;
    } else if (i >= g.nx) {
      i = 2 * g.nx - 1 - i;
      ghost = true;
      wall = g.right;
    }
    const double value = sign * v[std::int64_t(j) * g.nx + i];
    return ghost ? 2.0 * wall - value : value;
  }
};

// The transported value at the face between a0 and a1 (a-1, a0 | a1, a2 along the flow axis):
// the mean of the two neighbours (central), or QUICK's quadratic through the two upstream points
// and the downstream one.
ADVECT_HD inline double face_value(bool quick, double velocity, double a_1, double a0, double a1,
                                   double a2) {
  if (!quick) return 0.5 * (a0 + a1);
  return velocity >= 0.0 ? 0.75 * a0 + 0.375 * a1 - 0.125 * a_1
                         : 0.75 * a1 + 0.375 * a0 - 0.125 * a2;
}

// Which faces move: all on a periodic axis, all but the two walls otherwise.
ADVECT_HD inline bool u_moves(const MacGeometry& g, int i) {
  return g.periodic_x || (i > 0 && (i < g.nx || g.channel));  // a channel's outflow face moves
}
ADVECT_HD inline bool v_moves(const MacGeometry& g, int j) {
  return g.periodic_y || (j > 0 && j < g.ny);
}

struct URates {
  FaceValues f;
  double viscosity;
  bool quick;
  double force;
  double* du;
  ADVECT_HD void operator()(int i, int j) const {
    const MacGeometry& g = f.g;
    const std::int64_t k = std::int64_t(j) * g.nux + i;
    if (!u_moves(g, i)) {
      du[k] = 0.0;
      return;
    }
    const double c = f.U(i, j);
    const double ue = 0.5 * (c + f.U(i + 1, j)), uw = 0.5 * (f.U(i - 1, j) + c);
    const double vn = 0.5 * (f.V(i - 1, j + 1) + f.V(i, j + 1));
    const double vs = 0.5 * (f.V(i - 1, j) + f.V(i, j));
    const double east = ue * face_value(quick, ue, f.U(i - 1, j), c, f.U(i + 1, j), f.U(i + 2, j));
    const double west = uw * face_value(quick, uw, f.U(i - 2, j), f.U(i - 1, j), c, f.U(i + 1, j));
    const double north = vn * face_value(quick, vn, f.U(i, j - 1), c, f.U(i, j + 1), f.U(i, j + 2));
    const double south = vs * face_value(quick, vs, f.U(i, j - 2), f.U(i, j - 1), c, f.U(i, j + 1));
    const double laplace = f.U(i + 1, j) + f.U(i - 1, j) + f.U(i, j + 1) + f.U(i, j - 1) - 4.0 * c;
    du[k] = -(east - west + north - south) / g.h + viscosity * laplace / (g.h * g.h) + force;
  }
};

struct VRates {
  FaceValues f;
  double viscosity;
  bool quick;
  double force;
  double* dv;
  ADVECT_HD void operator()(int i, int j) const {
    const MacGeometry& g = f.g;
    const std::int64_t k = std::int64_t(j) * g.nx + i;
    if (!v_moves(g, j)) {
      dv[k] = 0.0;
      return;
    }
    const double c = f.V(i, j);
    const double vn = 0.5 * (c + f.V(i, j + 1)), vs = 0.5 * (f.V(i, j - 1) + c);
    const double ue = 0.5 * (f.U(i + 1, j - 1) + f.U(i + 1, j));
    const double uw = 0.5 * (f.U(i, j - 1) + f.U(i, j));
    const double north = vn * face_value(quick, vn, f.V(i, j - 1), c, f.V(i, j + 1), f.V(i, j + 2));
    const double south = vs * face_value(quick, vs, f.V(i, j - 2), f.V(i, j - 1), c, f.V(i, j + 1));
    const double east = ue * face_value(quick, ue, f.V(i - 1, j), c, f.V(i + 1, j), f.V(i + 2, j));
    const double west = uw * face_value(quick, uw, f.V(i - 2, j), f.V(i - 1, j), c, f.V(i + 1, j));
    const double laplace = f.V(i + 1, j) + f.V(i - 1, j) + f.V(i, j + 1) + f.V(i, j - 1) - 4.0 * c;
    dv[k] = -(east - west + north - south) / g.h + viscosity * laplace / (g.h * g.h) + force;
  }
};

struct Combine {
  double a;
  const double* x;
  double b;
  const double* y;
  double c;
  const double* z;
  double* out;
  ADVECT_HD void operator()(std::int64_t k) const { out[k] = a * x[k] + b * y[k] + c * z[k]; }
};

struct Divergence {
  FaceValues f;
  double scale;
  double* out;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t k = std::int64_t(j) * f.g.nx + i;
    out[k] = scale * (f.U(i + 1, j) - f.U(i, j) + f.V(i, j + 1) - f.V(i, j)) / f.g.h;
  }
};

// Only faces that move are touched, so the cell behind a face at i = 0 (or j = 0) exists only on
// a periodic axis, where it is the last one; a face at i = nx is a periodic duplicate (not stored)
// or a channel's outflow.
struct SubtractGradientU {
  MacGeometry g;
  double dt;
  const double* p;
  double* u;
  ADVECT_HD void operator()(int i, int j) const {
    if (!u_moves(g, i)) return;
    const std::int64_t row = std::int64_t(j) * g.nx;
    const double inside = p[row + (i > 0 ? i - 1 : g.nx - 1)];
    // At the outflow face the ghost cell holds -p, which puts p = 0 on the face.
    const double outside = i == g.nx ? -inside : p[row + i];
    u[std::int64_t(j) * g.nux + i] -= dt * (outside - inside) / g.h;
  }
};

struct SubtractGradientV {
  MacGeometry g;
  double dt;
  const double* p;
  double* v;
  ADVECT_HD void operator()(int i, int j) const {
    if (!v_moves(g, j)) return;
    const double below = p[std::int64_t(j > 0 ? j - 1 : g.ny - 1) * g.nx + i];
    v[std::int64_t(j) * g.nx + i] -= dt * (p[std::int64_t(j) * g.nx + i] - below) / g.h;
  }
};

struct CellVelocity {
  FaceValues f;
  double* out;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t k = std::int64_t(j) * f.g.nx + i;
    out[2 * k] = 0.5 * (f.U(i, j) + f.U(i + 1, j));
    out[2 * k + 1] = 0.5 * (f.V(i, j) + f.V(i, j + 1));
  }
};

struct CellVorticity {
  FaceValues f;
  double* out;
  // At the corner (i h, j h); the ghosts make the wall corners see the wall's velocity.
  ADVECT_HD double corner(int i, int j) const {
    return (f.V(i, j) - f.V(i - 1, j) - f.U(i, j) + f.U(i, j - 1)) / f.g.h;
  }
  ADVECT_HD void operator()(int i, int j) const {
    out[std::int64_t(j) * f.g.nx + i] =
        0.25 * (corner(i, j) + corner(i + 1, j) + corner(i, j + 1) + corner(i + 1, j + 1));
  }
};

// h^2 (a - dp/dn) on the faces of a box along one axis; `stride` steps to the cell behind the
// face (1 for u, nx for v).
struct BoxFaceTerm {
  const double* a;
  const double* p;
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
      value -= (p[cell] - p[cell - stride]) / h;
    }
    return h * h * value;
  }
};
struct Sum {
  ADVECT_HD double operator()(double x, double y) const { return x + y; }
};

struct Absolute {
  const double* a;
  ADVECT_HD double operator()(std::int64_t k) const { return a[k] < 0.0 ? -a[k] : a[k]; }
};
struct Larger {
  ADVECT_HD double operator()(double x, double y) const { return x > y ? x : y; }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void MacFlowKernels<B>::rates(const MacGeometry& g, const FlowOptions& options, const double* u,
                              const double* v, double* du, double* dv) {
  const FaceValues faces{g, u, v};
  const bool quick = options.advection == Advection::quick;
  detail::parallel_for_2d(g.nux, g.ny,
                          URates{faces, options.viscosity, quick, options.force_x, du});
  detail::parallel_for_2d(g.nx, g.nvy,
                          VRates{faces, options.viscosity, quick, options.force_y, dv});
}

template <Backend B>
void MacFlowKernels<B>::combine(double a, const double* x, double b, const double* y, double c,
                                const double* z, double* out, std::int64_t n) {
  detail::parallel_for(n, Combine{a, x, b, y, c, z, out}, detail::kMinParallelLightIterations);
}

template <Backend B>
void MacFlowKernels<B>::divergence(const MacGeometry& g, const double* u, const double* v,
                                   double scale, double* out) {
  detail::parallel_for_2d(g.nx, g.ny, Divergence{FaceValues{g, u, v}, scale, out});
}

template <Backend B>
void MacFlowKernels<B>::subtract_gradient(const MacGeometry& g, double dt, const double* p,
                                          double* u, double* v) {
  detail::parallel_for_2d(g.nux, g.ny, SubtractGradientU{g, dt, p, u});
  detail::parallel_for_2d(g.nx, g.nvy, SubtractGradientV{g, dt, p, v});
}

template <Backend B>
double MacFlowKernels<B>::max_abs(const double* a, std::int64_t n) {
  return detail::transform_reduce(n, 0.0, Larger{}, Absolute{a},
                                  detail::kMinParallelLightIterations);
}

template <Backend B>
std::array<double, 2> MacFlowKernels<B>::box_sums(const MacGeometry& g, const CellBox& box,
                                                  const double* a_u, const double* a_v,
                                                  const double* p) {
  const int u_columns = box.i1 - box.i0 + 1, u_rows = box.j1 - box.j0;
  const int v_columns = box.i1 - box.i0, v_rows = box.j1 - box.j0 + 1;
  const BoxFaceTerm u_term{a_u, p, g.nux, box.i0, box.j0, u_columns, 1, g.nx, g.h};
  const BoxFaceTerm v_term{a_v, p, g.nx, box.i0, box.j0, v_columns, g.nx, g.nx, g.h};
  return {detail::transform_reduce(std::int64_t(u_columns) * u_rows, 0.0, Sum{}, u_term),
          detail::transform_reduce(std::int64_t(v_columns) * v_rows, 0.0, Sum{}, v_term)};
}

template <Backend B>
void MacFlowKernels<B>::cell_velocity(const MacGeometry& g, const double* u, const double* v,
                                      double* out) {
  detail::parallel_for_2d(g.nx, g.ny, CellVelocity{FaceValues{g, u, v}, out});
}

template <Backend B>
void MacFlowKernels<B>::vorticity(const MacGeometry& g, const double* u, const double* v,
                                  double* out) {
  detail::parallel_for_2d(g.nx, g.ny, CellVorticity{FaceValues{g, u, v}, out});
}

template struct MacFlowKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::fluids
