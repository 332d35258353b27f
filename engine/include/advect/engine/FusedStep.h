// One explicit Runge-Kutta step of a whole batch, taken state by state with every stage in
// registers: what a pointwise field (PointwiseField.h) offers the solver (OdeSolver.h) instead of
// one batch evaluation per stage, which reads and writes every stage's states through memory.
// States are n x D doubles, state-major.
#pragma once

#include <cstdint>

namespace advect {

struct FusedStep {
  static constexpr int kMaxStages = 7;
  int stages = 0;
  bool fsal = false;                   // the last stage is f(t + h, y_new)
  std::int64_t n = 0;                  // states
  double time[kMaxStages]{};           // stage times t + c_s h, seconds
  double a[kMaxStages][kMaxStages]{};  // h * a_sj
  double b[kMaxStages]{};              // h * b_j
  double e[kMaxStages]{};              // h * (b_j - embedded b_j); all 0: no error estimate
  const double* y = nullptr;           // the state at t
  const double* k0 = nullptr;          // f(t, y) if known, else nullptr: computed in the step
  double* y_new = nullptr;             // the state at t + h
  double* stage[kMaxStages]{};         // where to keep stage j's derivatives (nullptr: not kept)
  // Per state, if not nullptr: the mean over its components of (err / (atol + rtol * max(|y|,
  // |y_new|)))^2, err = sum_j e_j k_j (the solver folds these into its error norm).
  double* error_mean_square = nullptr;
  double rtol = 0.0, atol = 0.0;
};

}  // namespace advect
