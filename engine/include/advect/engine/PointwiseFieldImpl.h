// Kernel body of PointwiseField<Law>::evaluate. Include only from a backend source pair
// (FooCPU.cpp / FooCUDA.cu) and instantiate each law there:
//
//   #include "advect/engine/PointwiseFieldImpl.h"
//   ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::RotationLaw)
#pragma once

#include <cmath>
#include <utility>

#include "advect/engine/ParallelFor.h"
#include "advect/engine/PointwiseField.h"

namespace advect {
namespace detail {
inline namespace ADVECT_BACKEND {

// The law at one time (PointwiseField.h): its at_time(t) if it has one, else itself.
template <class Law>
auto law_at(const Law& law, double t) {
  if constexpr (requires { law.at_time(t); }) {
    return law.at_time(t);
  } else {
    return law;
  }
}
template <class Law>
using LawAt = decltype(law_at(std::declval<const Law&>(), 0.0));

template <class Law>
struct EvaluateLaw {
  LawAt<Law> law;
  double t;
  const double* x;
  double* v;
  ADVECT_HD void operator()(std::int64_t i) const {
    law(x + i * Law::dimension, t, v + i * Law::dimension);
  }
};

// All stages of one state's step in registers (D = Law::dimension is known at compile time);
// law[s] is the law at stage s's time. (Making the tableau's shape a compile-time constant too
// was measured: no faster.)
template <class Law>
struct FusedStepOp {
  LawAt<Law> law[FusedStep::kMaxStages];
  FusedStep s;
  ADVECT_HD void operator()(std::int64_t i) const {
    constexpr int D = Law::dimension;
    const int explicit_stages = s.fsal ? s.stages - 1 : s.stages;
    const double* y = s.y + i * D;
    double k[FusedStep::kMaxStages][D];
    double input[D], y_new[D];
    if (s.k0) {
      for (int d = 0; d < D; ++d) k[0][d] = s.k0[i * D + d];
    } else {
      law[0](y, s.time[0], k[0]);
    }
    for (int stage = 1; stage < explicit_stages; ++stage) {
      for (int d = 0; d < D; ++d) {
        double sum = 0.0;
        for (int j = 0; j < stage; ++j) sum += s.a[stage][j] * k[j][d];
        input[d] = y[d] + sum;
      }
      law[stage](input, s.time[stage], k[stage]);
    }
    for (int d = 0; d < D; ++d) {
      double sum = 0.0;
      for (int j = 0; j < explicit_stages; ++j) sum += s.b[j] * k[j][d];
      y_new[d] = y[d] + sum;
      s.y_new[i * D + d] = y_new[d];
    }
    if (s.fsal) law[s.stages - 1](y_new, s.time[s.stages - 1], k[s.stages - 1]);
    for (int j = 0; j < s.stages; ++j) {
      if (s.stage[j]) {
        for (int d = 0; d < D; ++d) s.stage[j][i * D + d] = k[j][d];
      }
    }
    if (s.error_mean_square) {
      double total = 0.0;
      for (int d = 0; d < D; ++d) {
        double error = 0.0;
        for (int j = 0; j < s.stages; ++j) error += s.e[j] * k[j][d];
        const double scale = s.atol + s.rtol * fmax(fabs(y[d]), fabs(y_new[d]));
        total += (error / scale) * (error / scale);
      }
      s.error_mean_square[i] = total / D;
    }
  }
};

}  // namespace ADVECT_BACKEND
}  // namespace detail

template <Backend B>
template <class Law>
void PointwiseFieldKernels<B>::evaluate(const Law& law, double t, const double* x, double* v,
                                        std::int64_t n) {
  detail::parallel_for(n, detail::EvaluateLaw<Law>{detail::law_at(law, t), t, x, v});
}

template <Backend B>
template <class Law>
void PointwiseFieldKernels<B>::step(const Law& law, const FusedStep& step) {
  detail::FusedStepOp<Law> op{{}, step};
  for (int stage = 0; stage < step.stages; ++stage) {
    op.law[stage] = detail::law_at(law, step.time[stage]);
  }
  detail::parallel_for(step.n, op);
}

}  // namespace advect

#define ADVECT_INSTANTIATE_POINTWISE_FIELD(Law)                                    \
  template void advect::PointwiseFieldKernels<ADVECT_THIS_BACKEND>::evaluate<Law>( \
      const Law&, double, const double*, double*, std::int64_t);                   \
  template void advect::PointwiseFieldKernels<ADVECT_THIS_BACKEND>::step<Law>(     \
      const Law&, const advect::FusedStep&);
