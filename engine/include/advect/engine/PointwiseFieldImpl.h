// Kernel body of PointwiseField<Law>::evaluate. Include only from a backend source pair
// (FooCPU.cpp / FooCUDA.cu) and instantiate each law there:
//
//   #include "advect/engine/PointwiseFieldImpl.h"
//   ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::RotationLaw)
#pragma once

#include <cmath>
#include <utility>
// The SIMD path is GCC's: built with clang 14, libstdc++'s std::experimental::simd gave wrong
// states (python/tests/test_integrate.py, differences of order 1), so clang builds (the
// sanitizer tree) take the one-state-at-a-time kernel.
#if !defined(__CUDACC__) && !defined(__clang__)
#define ADVECT_SIMD_LAWS 1
#include <experimental/simd>
#endif

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

// How values of type T (one state's component, or a SIMD vector of consecutive states') are read
// from and written to state-major arrays of `dimension` components.
template <class T>
struct Lanes;

template <>
struct Lanes<double> {
  static constexpr int size = 1;
  ADVECT_HD static double load(const double* a, std::int64_t i, int dimension, int d) {
    return a[i * dimension + d];
  }
  ADVECT_HD static void store(double* a, std::int64_t i, int dimension, int d, double value) {
    a[i * dimension + d] = value;
  }
  ADVECT_HD static double largest_magnitude(double a, double b) { return fmax(fabs(a), fabs(b)); }
};

#if defined(ADVECT_SIMD_LAWS)
using SimdDouble = std::experimental::native_simd<double>;

template <>
struct Lanes<SimdDouble> {
  static constexpr int size = int(SimdDouble::size());
  static SimdDouble load(const double* a, std::int64_t i, int dimension, int d) {
    return SimdDouble([&](auto lane) { return a[(i + std::int64_t(lane)) * dimension + d]; });
  }
  static void store(double* a, std::int64_t i, int dimension, int d, const SimdDouble& value) {
    for (int lane = 0; lane < size; ++lane) a[(i + lane) * dimension + d] = value[lane];
  }
  static SimdDouble largest_magnitude(const SimdDouble& a, const SimdDouble& b) {
    return std::experimental::max(std::experimental::abs(a), std::experimental::abs(b));
  }
};

// Whether a law (at one time) also evaluates SIMD vectors of states.
template <class L>
concept SimdLaw = requires(const L& law, const SimdDouble* x, SimdDouble* v) {
  law(x, 0.0, v);
};
#endif

// All stages of a step in registers (D = Law::dimension is known at compile time) for the state
// i (T = double) or the Lanes<T>::size states from i (a SIMD vector); law[s] is the law at stage
// s's time. (Making the tableau's shape a compile-time constant too was measured: no faster.)
template <class Law>
struct FusedStepOp {
  LawAt<Law> law[FusedStep::kMaxStages];
  FusedStep s;

  template <class T>
  ADVECT_HD void step(std::int64_t i) const {
    using L = Lanes<T>;
    constexpr int D = Law::dimension;
    T y[D], k[FusedStep::kMaxStages][D], input[D], y_new[D];
    for (int d = 0; d < D; ++d) y[d] = L::load(s.y, i, D, d);
    if (s.k0) {
      for (int d = 0; d < D; ++d) k[0][d] = L::load(s.k0, i, D, d);
    } else {
      law[0](y, s.time[0], k[0]);
    }
    const int explicit_stages = s.fsal ? s.stages - 1 : s.stages;
    for (int stage = 1; stage < explicit_stages; ++stage) {
      for (int d = 0; d < D; ++d) {
        T sum = 0.0;
        for (int j = 0; j < stage; ++j) sum += s.a[stage][j] * k[j][d];
        input[d] = y[d] + sum;
      }
      law[stage](input, s.time[stage], k[stage]);
    }
    for (int d = 0; d < D; ++d) {
      T sum = 0.0;
      for (int j = 0; j < explicit_stages; ++j) sum += s.b[j] * k[j][d];
      y_new[d] = y[d] + sum;
      L::store(s.y_new, i, D, d, y_new[d]);
    }
    if (s.fsal) law[s.stages - 1](y_new, s.time[s.stages - 1], k[s.stages - 1]);
    for (int j = 0; j < s.stages; ++j) {
      if (s.stage[j]) {
        for (int d = 0; d < D; ++d) L::store(s.stage[j], i, D, d, k[j][d]);
      }
    }
    if (s.error_mean_square) {
      T total = 0.0;
      for (int d = 0; d < D; ++d) {
        T error = 0.0;
        for (int j = 0; j < s.stages; ++j) error += s.e[j] * k[j][d];
        const T scale = s.atol + s.rtol * L::largest_magnitude(y[d], y_new[d]);
        total += (error / scale) * (error / scale);
      }
      L::store(s.error_mean_square, i, 1, 0, total / D);
    }
  }

  ADVECT_HD void operator()(std::int64_t i) const { step<double>(i); }
};

#if defined(ADVECT_SIMD_LAWS)
// Block b of Lanes<SimdDouble>::size states as one SIMD vector; the last, partial block state by
// state.
template <class Law>
struct FusedSimdBlock {
  FusedStepOp<Law> op;
  void operator()(std::int64_t block) const {
    constexpr int width = Lanes<SimdDouble>::size;
    const std::int64_t first = block * width;
    if (first + width <= op.s.n) return op.template step<SimdDouble>(first);
    for (std::int64_t i = first; i < op.s.n; ++i) op.template step<double>(i);
  }
};
#endif

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
#if defined(ADVECT_SIMD_LAWS)
  if constexpr (detail::SimdLaw<detail::LawAt<Law>>) {
    constexpr int width = detail::Lanes<detail::SimdDouble>::size;
    detail::parallel_for((step.n + width - 1) / width, detail::FusedSimdBlock<Law>{op},
                         detail::kMinParallelIterations / width);
    return;
  }
#endif
  detail::parallel_for(step.n, op);
}

}  // namespace advect

#define ADVECT_INSTANTIATE_POINTWISE_FIELD(Law)                                    \
  template void advect::PointwiseFieldKernels<ADVECT_THIS_BACKEND>::evaluate<Law>( \
      const Law&, double, const double*, double*, std::int64_t);                   \
  template void advect::PointwiseFieldKernels<ADVECT_THIS_BACKEND>::step<Law>(     \
      const Law&, const advect::FusedStep&);
