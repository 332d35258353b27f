// Element-wise kernels of the time-integration core, one family per backend (see
// docs/kernels.md). States are n_states x dimension doubles, state-major.
#pragma once

#include <cstdint>
#include <stdexcept>

#include "advect/engine/HostDevice.h"

namespace advect::detail {

// sum_j coeff[j] * vector[j], element-wise; at most 8 terms (7 Dormand-Prince stages + one
// extra derivative for Hermite dense output).
struct LinearCombination {
  static constexpr int kMaxTerms = 8;
  int terms = 0;
  double coeff[kMaxTerms] = {};
  const double* vector[kMaxTerms] = {};

  void add(double c, const double* v) {
    if (terms == kMaxTerms) throw std::logic_error("LinearCombination holds at most 8 terms");
    coeff[terms] = c;
    vector[terms] = v;
    ++terms;
  }
};

enum class NormKind { rms, max_state_rms };

template <Backend B>
struct StateKernels {
  // out[i] = base[i] + sum.  `out` may alias `base` but none of sum's vectors.
  static void combine(double* out, const double* base, const LinearCombination& sum,
                      std::int64_t count);

  // Weighted RMS norm of v = sum with weights 1 / (atol + rtol * max(|ref0|, |ref1|)):
  // rms: over all components; max_state_rms: the largest per-state RMS. NaN in v or ref
  // propagates to the result.
  static double scaled_norm(const LinearCombination& sum, const double* ref0, const double* ref1,
                            double rtol, double atol, std::int64_t n_states, int dimension,
                            NormKind kind);

  // The same norm from per-state mean squares already computed (a fused step's).
  static double fold_mean_squares(const double* mean_squares, std::int64_t n_states, NormKind kind);
};

extern template struct StateKernels<Backend::cpu>;
#ifdef ADVECT_WITH_CUDA
extern template struct StateKernels<Backend::gpu>;
#endif

}  // namespace advect::detail
