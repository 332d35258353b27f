// One body for PoissonKernels on both backends (PoissonCPU.cpp / PoissonCUDA.cu), for float and
// double fields. The constants are float literals: exact in both types, and they keep float
// arithmetic in float.
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/fluids/Poisson.h"
#include "kernels/PoissonKernels.h"

namespace advect::fluids {
inline namespace ADVECT_BACKEND {

// The neighbour sum and diagonal of cell (i, j): (A p)_c = scale * (diagonal * p_c - neighbours).
template <class Real>
struct Stencil {
  Real neighbours = 0, diagonal = 0;
};

// A face's share of the diagonal: 1 towards a neighbour (inside or periodic), 2 on a zero-value
// face (ghost = -p_c puts p = 0 on the face), 0 on a wall.
ADVECT_HD inline int face_diagonal(bool inside, Side side) {
  return inside || side == Side::periodic ? 1 : (side == Side::zero ? 2 : 0);
}

template <class Real>
ADVECT_HD inline void add_face(const Real* p, bool inside, Side side, std::int64_t neighbour,
                               std::int64_t wrapped, Stencil<Real>& s) {
  s.diagonal += Real(face_diagonal(inside, side));
  if (inside) {
    s.neighbours += p[neighbour];
  } else if (side == Side::periodic) {
    s.neighbours += p[wrapped];
  }
}

template <class Real>
ADVECT_HD inline Stencil<Real> stencil(const PoissonLevel<Real>& L, const Real* p, int i, int j) {
  const std::int64_t row = std::int64_t(j) * L.nx, c = row + i;
  Stencil<Real> s;
  if (i > 0 && i < L.nx - 1 && j > 0 && j < L.ny - 1) {  // most cells: no boundary face
    s.neighbours = p[c - 1] + p[c + 1] + p[c - L.nx] + p[c + L.nx];
    s.diagonal = 4;
    return s;
  }
  add_face(p, i > 0, L.sides[0], c - 1, row + L.nx - 1, s);
  add_face(p, i < L.nx - 1, L.sides[1], c + 1, row, s);
  add_face(p, j > 0, L.sides[2], c - L.nx, std::int64_t(L.ny - 1) * L.nx + i, s);
  add_face(p, j < L.ny - 1, L.sides[3], c + L.nx, i, s);
  return s;
}

template <class Real>
ADVECT_HD inline int diagonal(const PoissonLevel<Real>& L, int i, int j) {
  return face_diagonal(i > 0, L.sides[0]) + face_diagonal(i < L.nx - 1, L.sides[1]) +
         face_diagonal(j > 0, L.sides[2]) + face_diagonal(j < L.ny - 1, L.sides[3]);
}

// (A p) at cell (i, j).
template <class Real>
ADVECT_HD inline Real operator_at(const PoissonLevel<Real>& L, const Real* p, int i, int j) {
  const Stencil<Real> s = stencil(L, p, i, j);
  return L.scale * (s.diagonal * p[std::int64_t(j) * L.nx + i] - s.neighbours);
}

template <class Real>
struct ApplyOperator {
  PoissonLevel<Real> L;
  const Real* p;
  Real* out;
  ADVECT_HD void operator()(int i, int j) const {
    out[std::int64_t(j) * L.nx + i] = operator_at(L, p, i, j);
  }
};

template <class Real>
struct Residual {
  PoissonLevel<Real> L;
  const Real* f;
  const Real* p;
  Real* r;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t c = std::int64_t(j) * L.nx + i;
    r[c] = f[c] - operator_at(L, p, i, j);
  }
};

// Half the cells, those of one colour: the k-th cell of the colour in row j.
template <class Real>
struct GaussSeidelColour {
  PoissonLevel<Real> L;
  const Real* f;
  Real* p;
  int colour;
  Real h2;  // 1 / L.scale: multiplied, not divided, in the inner loop
  ADVECT_HD void operator()(int k, int j) const {
    const int i = 2 * k + ((j + colour) & 1);
    if (i >= L.nx) return;
    const std::int64_t c = std::int64_t(j) * L.nx + i;
    const Stencil<Real> s = stencil(L, p, i, j);
    p[c] = (f[c] * h2 + s.neighbours) / s.diagonal;
  }
};

template <class Real>
struct JacobiScale {
  PoissonLevel<Real> L;
  const Real* r;
  Real* z;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t c = std::int64_t(j) * L.nx + i;
    z[c] = r[c] / (L.scale * Real(diagonal(L, i, j)));
  }
};

// The coarse cells a fine cell's interpolated value comes from along one axis: its parent (3/4)
// and the parent's neighbour on its side (1/4), or a ghost at the boundary: a wall mirrors the
// parent (gradient 0), a zero-value face negates it (value 0 on the face), periodic wraps.
struct AxisWeights {
  int index[2] = {0, 0};
  float weight[2] = {0, 0};  // quarters: exact in float
};

ADVECT_HD inline AxisWeights prolongation_weights(int i, int coarse, Side low, Side high) {
  AxisWeights w;
  const int parent = i / 2, other = (i % 2 == 0) ? parent - 1 : parent + 1;
  w.index[0] = w.index[1] = parent;
  w.weight[0] = 0.75f;
  if (other >= 0 && other < coarse) {
    w.index[1] = other;
    w.weight[1] = 0.25f;
  } else {
    const Side side = other < 0 ? low : high;
    if (side == Side::periodic) {
      w.index[1] = (other + coarse) % coarse;
      w.weight[1] = 0.25f;
    } else {
      w.weight[1] = side == Side::wall ? 0.25f : -0.25f;  // on the parent itself
    }
  }
  return w;
}

ADVECT_HD inline float weight_to(const AxisWeights& w, int coarse_index) {
  return (w.index[0] == coarse_index ? w.weight[0] : 0.0f) +
         (w.index[1] == coarse_index ? w.weight[1] : 0.0f);
}

template <class Real>
struct ProlongAdd {
  PoissonLevel<Real> fine, coarse;
  const Real* e;
  Real* p;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t c = std::int64_t(j) * fine.nx + i;
    if (i > 0 && i < fine.nx - 1 && j > 0 && j < fine.ny - 1) {  // both neighbours inside
      const std::int64_t near = std::int64_t(j / 2) * coarse.nx + i / 2;
      const int dx = (i % 2 == 0) ? -1 : 1;
      const std::int64_t dy = (j % 2 == 0) ? -coarse.nx : coarse.nx;
      p[c] +=
          0.5625f * e[near] + 0.1875f * (e[near + dx] + e[near + dy]) + 0.0625f * e[near + dx + dy];
      return;
    }
    const AxisWeights wx = prolongation_weights(i, coarse.nx, fine.sides[0], fine.sides[1]);
    const AxisWeights wy = prolongation_weights(j, coarse.ny, fine.sides[2], fine.sides[3]);
    Real value = 0;
    for (int b = 0; b < 2; ++b) {
      for (int a = 0; a < 2; ++a) {
        value += Real(wx.weight[a] * wy.weight[b]) *
                 e[std::int64_t(wy.index[b]) * coarse.nx + wx.index[a]];
      }
    }
    p[c] += value;
  }
};

// The transpose of ProlongAdd divided by 4 (so that a constant restricts to itself): the fine
// cells 2I - 1 .. 2I + 2 along each axis can interpolate from coarse cell I.
template <class Real>
struct RestrictResidual {
  PoissonLevel<Real> fine, coarse;
  const Real* r;
  Real* f;

  ADVECT_HD bool fine_index(int i, int n, Side low, int* out) const {
    if (i < 0 || i >= n) {
      if (low != Side::periodic) return false;  // periodic axes wrap (both sides periodic)
      i = (i + n) % n;
    }
    *out = i;
    return true;
  }

  ADVECT_HD void operator()(int I, int J) const {
    const std::int64_t c = std::int64_t(J) * coarse.nx + I;
    if (I > 0 && I < coarse.nx - 1 && J > 0 && J < coarse.ny - 1) {  // fine cells all inside
      // Weights 1/4, 3/4, 3/4, 1/4 along each axis over fine cells 2I - 1 .. 2I + 2.
      constexpr float w[4] = {0.25f, 0.75f, 0.75f, 0.25f};
      Real sum = 0;
      for (int b = 0; b < 4; ++b) {
        const Real* row = r + std::int64_t(2 * J - 1 + b) * fine.nx + 2 * I - 1;
        sum += w[b] * (w[0] * row[0] + w[1] * row[1] + w[2] * row[2] + w[3] * row[3]);
      }
      f[c] = 0.25f * sum;
      return;
    }
    // The four candidate fine columns and their weights towards I, found once.
    int columns[4];
    float wx[4];
    for (int di = -1; di <= 2; ++di) {
      const int slot = di + 1;
      wx[slot] = 0;
      if (!fine_index(2 * I + di, fine.nx, fine.sides[0], &columns[slot])) continue;
      wx[slot] = weight_to(
          prolongation_weights(columns[slot], coarse.nx, fine.sides[0], fine.sides[1]), I);
    }
    Real sum = 0;
    for (int dj = -1; dj <= 2; ++dj) {
      int j;
      if (!fine_index(2 * J + dj, fine.ny, fine.sides[2], &j)) continue;
      const float wy =
          weight_to(prolongation_weights(j, coarse.ny, fine.sides[2], fine.sides[3]), J);
      if (wy == 0) continue;
      const Real* row = r + std::int64_t(j) * fine.nx;
      for (int slot = 0; slot < 4; ++slot) {
        if (wx[slot] != 0) sum += Real(wx[slot] * wy) * row[columns[slot]];
      }
    }
    f[c] = 0.25f * sum;
  }
};

// Products and sums accumulate in double, whatever the fields hold.
template <class Real>
struct Product {
  const Real* a;
  const Real* b;
  ADVECT_HD double operator()(std::int64_t i) const { return double(a[i]) * double(b[i]); }
};
template <class Real>
struct Value {
  const Real* a;
  ADVECT_HD double operator()(std::int64_t i) const { return a[i]; }
};
struct Plus {
  ADVECT_HD double operator()(double x, double y) const { return x + y; }
};
template <class Real>
struct Fill {
  Real* a;
  Real value;
  ADVECT_HD void operator()(std::int64_t i) const { a[i] = value; }
};
template <class Real>
struct Copy {
  const Real* x;
  Real* y;
  ADVECT_HD void operator()(std::int64_t i) const { y[i] = x[i]; }
};
template <class Real>
struct AddConstant {
  Real* a;
  Real value;
  ADVECT_HD void operator()(std::int64_t i) const { a[i] += value; }
};
template <class Real>
struct Axpy {
  Real alpha;
  const Real* x;
  Real* y;
  ADVECT_HD void operator()(std::int64_t i) const { y[i] += alpha * x[i]; }
};
template <class Real>
struct Xpby {
  const Real* x;
  Real beta;
  Real* y;
  ADVECT_HD void operator()(std::int64_t i) const { y[i] = x[i] + beta * y[i]; }
};

}  // namespace ADVECT_BACKEND

template <Backend B, class Real>
void PoissonKernels<B, Real>::apply(const Level& level, const Real* p, Real* out) {
  detail::parallel_for_2d(level.nx, level.ny, ApplyOperator<Real>{level, p, out});
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::residual(const Level& level, const Real* f, const Real* p, Real* r) {
  detail::parallel_for_2d(level.nx, level.ny, Residual<Real>{level, f, p, r});
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::gauss_seidel(const Level& level, const Real* f, Real* p, int colour) {
  detail::parallel_for_2d((level.nx + 1) / 2, level.ny,
                          GaussSeidelColour<Real>{level, f, p, colour, 1 / level.scale});
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::jacobi(const Level& level, const Real* r, Real* z) {
  detail::parallel_for_2d(level.nx, level.ny, JacobiScale<Real>{level, r, z});
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::restrict_residual(const Level& fine, const Level& coarse,
                                                const Real* r, Real* f_coarse) {
  detail::parallel_for_2d(coarse.nx, coarse.ny, RestrictResidual<Real>{fine, coarse, r, f_coarse});
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::prolong_add(const Level& fine, const Level& coarse, const Real* e,
                                          Real* p) {
  detail::parallel_for_2d(fine.nx, fine.ny, ProlongAdd<Real>{fine, coarse, e, p});
}
template <Backend B, class Real>
double PoissonKernels<B, Real>::dot(const Real* a, const Real* b, std::int64_t n) {
  return detail::transform_reduce(n, 0.0, Plus{}, Product<Real>{a, b},
                                  detail::kMinParallelLightIterations);
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::remove_mean(Real* a, std::int64_t n) {
  const double sum =
      detail::transform_reduce(n, 0.0, Plus{}, Value<Real>{a}, detail::kMinParallelLightIterations);
  detail::parallel_for(n, AddConstant<Real>{a, Real(-sum / double(n))},
                       detail::kMinParallelLightIterations);
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::fill(Real* a, Real value, std::int64_t n) {
  detail::parallel_for(n, Fill<Real>{a, value}, detail::kMinParallelLightIterations);
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::copy(const Real* x, Real* y, std::int64_t n) {
  detail::parallel_for(n, Copy<Real>{x, y}, detail::kMinParallelLightIterations);
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::axpy(Real a, const Real* x, Real* y, std::int64_t n) {
  detail::parallel_for(n, Axpy<Real>{a, x, y}, detail::kMinParallelLightIterations);
}
template <Backend B, class Real>
void PoissonKernels<B, Real>::xpby(const Real* x, Real b, Real* y, std::int64_t n) {
  detail::parallel_for(n, Xpby<Real>{x, b, y}, detail::kMinParallelLightIterations);
}

template struct PoissonKernels<ADVECT_THIS_BACKEND, float>;
template struct PoissonKernels<ADVECT_THIS_BACKEND, double>;

}  // namespace advect::fluids
