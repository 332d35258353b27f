// One body for PoissonKernels on both backends (PoissonCPU.cpp / PoissonCUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/fluids/Poisson.h"

namespace advect::fluids {
inline namespace ADVECT_BACKEND {

// The neighbour sum and diagonal of cell (i, j): (A p)_c = scale * (diagonal * p_c - neighbours).
struct Stencil {
  double neighbours = 0.0, diagonal = 0.0;
};

// A face's share of the diagonal: 1 towards a neighbour (inside or periodic), 2 on a zero-value
// face (ghost = -p_c puts p = 0 on the face), 0 on a wall.
ADVECT_HD inline double face_diagonal(bool inside, Side side) {
  return inside || side == Side::periodic ? 1.0 : (side == Side::zero ? 2.0 : 0.0);
}

ADVECT_HD inline void add_face(const double* p, bool inside, Side side, std::int64_t neighbour,
                               std::int64_t wrapped, Stencil& s) {
  s.diagonal += face_diagonal(inside, side);
  if (inside) {
    s.neighbours += p[neighbour];
  } else if (side == Side::periodic) {
    s.neighbours += p[wrapped];
  }
}

ADVECT_HD inline Stencil stencil(const PoissonLevel& L, const double* p, int i, int j) {
  const std::int64_t row = std::int64_t(j) * L.nx, c = row + i;
  Stencil s;
  if (i > 0 && i < L.nx - 1 && j > 0 && j < L.ny - 1) {  // most cells: no boundary face
    s.neighbours = p[c - 1] + p[c + 1] + p[c - L.nx] + p[c + L.nx];
    s.diagonal = 4.0;
    return s;
  }
  add_face(p, i > 0, L.sides[0], c - 1, row + L.nx - 1, s);
  add_face(p, i < L.nx - 1, L.sides[1], c + 1, row, s);
  add_face(p, j > 0, L.sides[2], c - L.nx, std::int64_t(L.ny - 1) * L.nx + i, s);
  add_face(p, j < L.ny - 1, L.sides[3], c + L.nx, i, s);
  return s;
}

ADVECT_HD inline double diagonal(const PoissonLevel& L, int i, int j) {
  return face_diagonal(i > 0, L.sides[0]) + face_diagonal(i < L.nx - 1, L.sides[1]) +
         face_diagonal(j > 0, L.sides[2]) + face_diagonal(j < L.ny - 1, L.sides[3]);
}

// (A p) at cell (i, j).
ADVECT_HD inline double operator_at(const PoissonLevel& L, const double* p, int i, int j) {
  const Stencil s = stencil(L, p, i, j);
  return L.scale * (s.diagonal * p[std::int64_t(j) * L.nx + i] - s.neighbours);
}

struct ApplyOperator {
  PoissonLevel L;
  const double* p;
  double* out;
  ADVECT_HD void operator()(int i, int j) const {
    out[std::int64_t(j) * L.nx + i] = operator_at(L, p, i, j);
  }
};

struct Residual {
  PoissonLevel L;
  const double* f;
  const double* p;
  double* r;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t c = std::int64_t(j) * L.nx + i;
    r[c] = f[c] - operator_at(L, p, i, j);
  }
};

// Half the cells, those of one colour: the k-th cell of the colour in row j.
struct GaussSeidelColour {
  PoissonLevel L;
  const double* f;
  double* p;
  int colour;
  double h2;  // 1 / L.scale: multiplied, not divided, in the inner loop
  ADVECT_HD void operator()(int k, int j) const {
    const int i = 2 * k + ((j + colour) & 1);
    if (i >= L.nx) return;
    const std::int64_t c = std::int64_t(j) * L.nx + i;
    const Stencil s = stencil(L, p, i, j);
    p[c] = (f[c] * h2 + s.neighbours) / s.diagonal;
  }
};

struct JacobiScale {
  PoissonLevel L;
  const double* r;
  double* z;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t c = std::int64_t(j) * L.nx + i;
    z[c] = r[c] / (L.scale * diagonal(L, i, j));
  }
};

// The coarse cells a fine cell's interpolated value comes from along one axis: its parent (3/4)
// and the parent's neighbour on its side (1/4), or a ghost at the boundary: a wall mirrors the
// parent (gradient 0), a zero-value face negates it (value 0 on the face), periodic wraps.
struct AxisWeights {
  int index[2] = {0, 0};
  double weight[2] = {0.0, 0.0};
};

ADVECT_HD inline AxisWeights prolongation_weights(int i, int coarse, Side low, Side high) {
  AxisWeights w;
  const int parent = i / 2, other = (i % 2 == 0) ? parent - 1 : parent + 1;
  w.index[0] = w.index[1] = parent;
  w.weight[0] = 0.75;
  if (other >= 0 && other < coarse) {
    w.index[1] = other;
    w.weight[1] = 0.25;
  } else {
    const Side side = other < 0 ? low : high;
    if (side == Side::periodic) {
      w.index[1] = (other + coarse) % coarse;
      w.weight[1] = 0.25;
    } else {
      w.weight[1] = side == Side::wall ? 0.25 : -0.25;  // on the parent itself
    }
  }
  return w;
}

ADVECT_HD inline double weight_to(const AxisWeights& w, int coarse_index) {
  return (w.index[0] == coarse_index ? w.weight[0] : 0.0) +
         (w.index[1] == coarse_index ? w.weight[1] : 0.0);
}

struct ProlongAdd {
  PoissonLevel fine, coarse;
  const double* e;
  double* p;
  ADVECT_HD void operator()(int i, int j) const {
    const std::int64_t c = std::int64_t(j) * fine.nx + i;
    if (i > 0 && i < fine.nx - 1 && j > 0 && j < fine.ny - 1) {  // both neighbours inside
      const std::int64_t near = std::int64_t(j / 2) * coarse.nx + i / 2;
      const int dx = (i % 2 == 0) ? -1 : 1;
      const std::int64_t dy = (j % 2 == 0) ? -coarse.nx : coarse.nx;
      p[c] +=
          0.5625 * e[near] + 0.1875 * (e[near + dx] + e[near + dy]) + 0.0625 * e[near + dx + dy];
      return;
    }
    const AxisWeights wx = prolongation_weights(i, coarse.nx, fine.sides[0], fine.sides[1]);
    const AxisWeights wy = prolongation_weights(j, coarse.ny, fine.sides[2], fine.sides[3]);
    double value = 0.0;
    for (int b = 0; b < 2; ++b) {
      for (int a = 0; a < 2; ++a) {
        value +=
            wx.weight[a] * wy.weight[b] * e[std::int64_t(wy.index[b]) * coarse.nx + wx.index[a]];
      }
    }
    p[c] += value;
  }
};

// The transpose of ProlongAdd divided by 4 (so that a constant restricts to itself): the fine
// cells 2I - 1 .. 2I + 2 along each axis can interpolate from coarse cell I.
struct RestrictResidual {
  PoissonLevel fine, coarse;
  const double* r;
  double* f;

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
      constexpr double w[4] = {0.25, 0.75, 0.75, 0.25};
      double sum = 0.0;
      for (int b = 0; b < 4; ++b) {
        const double* row = r + std::int64_t(2 * J - 1 + b) * fine.nx + 2 * I - 1;
        sum += w[b] * (w[0] * row[0] + w[1] * row[1] + w[2] * row[2] + w[3] * row[3]);
      }
      f[c] = 0.25 * sum;
      return;
    }
    // The four candidate fine columns and their weights towards I, found once.
    int columns[4];
    double wx[4];
    for (int di = -1; di <= 2; ++di) {
      const int slot = di + 1;
      wx[slot] = 0.0;
      if (!fine_index(2 * I + di, fine.nx, fine.sides[0], &columns[slot])) continue;
      wx[slot] = weight_to(
          prolongation_weights(columns[slot], coarse.nx, fine.sides[0], fine.sides[1]), I);
    }
    double sum = 0.0;
    for (int dj = -1; dj <= 2; ++dj) {
      int j;
      if (!fine_index(2 * J + dj, fine.ny, fine.sides[2], &j)) continue;
      const double wy =
          weight_to(prolongation_weights(j, coarse.ny, fine.sides[2], fine.sides[3]), J);
      if (wy == 0.0) continue;
      const double* row = r + std::int64_t(j) * fine.nx;
      for (int slot = 0; slot < 4; ++slot) {
        if (wx[slot] != 0.0) sum += wx[slot] * wy * row[columns[slot]];
      }
    }
    f[c] = 0.25 * sum;
  }
};

struct Product {
  const double* a;
  const double* b;
  ADVECT_HD double operator()(std::int64_t i) const { return a[i] * b[i]; }
};
struct Value {
  const double* a;
  ADVECT_HD double operator()(std::int64_t i) const { return a[i]; }
};
struct Plus {
  ADVECT_HD double operator()(double x, double y) const { return x + y; }
};
struct Fill {
  double* a;
  double value;
  ADVECT_HD void operator()(std::int64_t i) const { a[i] = value; }
};
struct Copy {
  const double* x;
  double* y;
  ADVECT_HD void operator()(std::int64_t i) const { y[i] = x[i]; }
};
struct AddConstant {
  double* a;
  double value;
  ADVECT_HD void operator()(std::int64_t i) const { a[i] += value; }
};
struct Axpy {
  double alpha;
  const double* x;
  double* y;
  ADVECT_HD void operator()(std::int64_t i) const { y[i] += alpha * x[i]; }
};
struct Xpby {
  const double* x;
  double beta;
  double* y;
  ADVECT_HD void operator()(std::int64_t i) const { y[i] = x[i] + beta * y[i]; }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void PoissonKernels<B>::apply(const PoissonLevel& level, const double* p, double* out) {
  detail::parallel_for_2d(level.nx, level.ny, ApplyOperator{level, p, out});
}
template <Backend B>
void PoissonKernels<B>::residual(const PoissonLevel& level, const double* f, const double* p,
                                 double* r) {
  detail::parallel_for_2d(level.nx, level.ny, Residual{level, f, p, r});
}
template <Backend B>
void PoissonKernels<B>::gauss_seidel(const PoissonLevel& level, const double* f, double* p,
                                     int colour) {
  detail::parallel_for_2d((level.nx + 1) / 2, level.ny,
                          GaussSeidelColour{level, f, p, colour, 1.0 / level.scale});
}
template <Backend B>
void PoissonKernels<B>::jacobi(const PoissonLevel& level, const double* r, double* z) {
  detail::parallel_for_2d(level.nx, level.ny, JacobiScale{level, r, z});
}
template <Backend B>
void PoissonKernels<B>::restrict_residual(const PoissonLevel& fine, const PoissonLevel& coarse,
                                          const double* r, double* f_coarse) {
  detail::parallel_for_2d(coarse.nx, coarse.ny, RestrictResidual{fine, coarse, r, f_coarse});
}
template <Backend B>
void PoissonKernels<B>::prolong_add(const PoissonLevel& fine, const PoissonLevel& coarse,
                                    const double* e, double* p) {
  detail::parallel_for_2d(fine.nx, fine.ny, ProlongAdd{fine, coarse, e, p});
}
template <Backend B>
double PoissonKernels<B>::dot(const double* a, const double* b, std::int64_t n) {
  return detail::transform_reduce(n, 0.0, Plus{}, Product{a, b},
                                  detail::kMinParallelLightIterations);
}
template <Backend B>
double PoissonKernels<B>::sum(const double* a, std::int64_t n) {
  return detail::transform_reduce(n, 0.0, Plus{}, Value{a}, detail::kMinParallelLightIterations);
}
template <Backend B>
void PoissonKernels<B>::fill(double* a, double value, std::int64_t n) {
  detail::parallel_for(n, Fill{a, value}, detail::kMinParallelLightIterations);
}
template <Backend B>
void PoissonKernels<B>::copy(const double* x, double* y, std::int64_t n) {
  detail::parallel_for(n, Copy{x, y}, detail::kMinParallelLightIterations);
}
template <Backend B>
void PoissonKernels<B>::add_constant(double* a, double value, std::int64_t n) {
  detail::parallel_for(n, AddConstant{a, value}, detail::kMinParallelLightIterations);
}
template <Backend B>
void PoissonKernels<B>::axpy(double a, const double* x, double* y, std::int64_t n) {
  detail::parallel_for(n, Axpy{a, x, y}, detail::kMinParallelLightIterations);
}
template <Backend B>
void PoissonKernels<B>::xpby(const double* x, double b, double* y, std::int64_t n) {
  detail::parallel_for(n, Xpby{x, b, y}, detail::kMinParallelLightIterations);
}

template struct PoissonKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::fluids
