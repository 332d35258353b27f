// One body for StateKernels<Backend::cpu> (StateKernelsCPU.cpp) and <Backend::gpu>
// (StateKernelsCUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "kernels/StateKernels.h"

namespace advect::detail {
inline namespace ADVECT_BACKEND {

ADVECT_HD inline double evaluate_sum(const LinearCombination& sum, std::int64_t i) {
  double value = 0.0;
  for (int j = 0; j < sum.terms; ++j) value += sum.coeff[j] * sum.vector[j][i];
  return value;
}

struct CombineOp {
  double* out;
  const double* base;
  LinearCombination sum;
  ADVECT_HD void operator()(std::int64_t i) const { out[i] = base[i] + evaluate_sum(sum, i); }
};

// Sum of squared scaled components of one state, divided by the dimension.
struct StateMeanSquare {
  LinearCombination sum;
  const double* ref0;
  const double* ref1;
  double rtol, atol;
  int dimension;
  ADVECT_HD double operator()(std::int64_t state) const {
    double total = 0.0;
    for (int d = 0; d < dimension; ++d) {
      const std::int64_t i = state * dimension + d;
      const double scale = atol + rtol * fmax(fabs(ref0[i]), fabs(ref1[i]));
      const double ratio = evaluate_sum(sum, i) / scale;
      total += ratio * ratio;
    }
    return total / dimension;
  }
};

struct Plus {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};
struct Load {
  const double* values;
  ADVECT_HD double operator()(std::int64_t i) const { return values[i]; }
};

// max that keeps NaN (fmax would drop it and hide a blown-up state).
struct MaxKeepNaN {
  ADVECT_HD double operator()(double a, double b) const { return (a > b || a != a) ? a : b; }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void StateKernels<B>::combine(double* out, const double* base, const LinearCombination& sum,
                              std::int64_t count) {
  parallel_for(count, CombineOp{out, base, sum});
}

template <Backend B>
double StateKernels<B>::scaled_norm(const LinearCombination& sum, const double* ref0,
                                    const double* ref1, double rtol, double atol,
                                    std::int64_t n_states, int dimension, NormKind kind) {
  if (n_states == 0) return 0.0;
  const StateMeanSquare per_state{sum, ref0, ref1, rtol, atol, dimension};
  if (kind == NormKind::rms) {
    return std::sqrt(transform_reduce(n_states, 0.0, Plus{}, per_state) / double(n_states));
  }
  return std::sqrt(transform_reduce(n_states, 0.0, MaxKeepNaN{}, per_state));
}

template <Backend B>
double StateKernels<B>::fold_mean_squares(const double* mean_squares, std::int64_t n_states,
                                          NormKind kind) {
  if (n_states == 0) return 0.0;
  const Load values{mean_squares};
  if (kind == NormKind::rms) {
    return std::sqrt(transform_reduce(n_states, 0.0, Plus{}, values) / double(n_states));
  }
  return std::sqrt(transform_reduce(n_states, 0.0, MaxKeepNaN{}, values));
}

template struct StateKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::detail
