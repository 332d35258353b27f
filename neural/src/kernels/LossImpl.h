// One body for LossKernels on both backends (LossCPU.cpp / LossCUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "kernels/LossKernels.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

struct LossValue {
  float value, gradient;
};

ADVECT_HD inline LossValue loss_value(LossKind kind, float delta, float p, float y) {
  const float e = p - y;
  switch (kind) {
    case LossKind::l2:
      return {e * e, 2.0f * e};
    case LossKind::l1:
      return {fabsf(e), float((e > 0.0f) - (e < 0.0f))};
    case LossKind::relative_l2: {
      const float scale = 1.0f / (p * p + 0.01f);
      return {e * e * scale, 2.0f * e * scale};
    }
    case LossKind::huber:
      if (fabsf(e) < delta) return {0.5f * e * e / delta, e / delta};
      return {fabsf(e) - 0.5f * delta, float((e > 0.0f) - (e < 0.0f))};
  }
  return {0.0f, 0.0f};
}

struct LossTerm {
  LossKind kind;
  float delta;
  const float* p;
  const float* y;
  ADVECT_HD double operator()(std::int64_t i) const {
    return double(loss_value(kind, delta, p[i], y[i]).value);
  }
};

struct LossGradient {
  LossKind kind;
  float delta;
  const float* p;
  const float* y;
  float scale;
  float* d_p;
  ADVECT_HD void operator()(std::int64_t i) const {
    d_p[i] = scale * loss_value(kind, delta, p[i], y[i]).gradient;
  }
};

struct AddLoss {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
double LossKernels<B>::evaluate(LossKind kind, float huber_delta, const float* prediction,
                                const float* target, std::int64_t count, float scale,
                                float* d_prediction) {
  if (d_prediction) {
    detail::parallel_for(count,
                         LossGradient{kind, huber_delta, prediction, target, scale, d_prediction},
                         detail::kMinParallelLightIterations);
  }
  return detail::transform_reduce(count, 0.0, AddLoss{},
                                  LossTerm{kind, huber_delta, prediction, target},
                                  detail::kMinParallelLightIterations);
}

template struct LossKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
