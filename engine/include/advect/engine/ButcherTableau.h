// Explicit Runge-Kutta tableaus and their dense-output weights: the steppers of integrate()
// (OdeSolver.h), public so that code differentiating through fixed steps (neural/) uses the
// very same coefficients.
#pragma once

#include <array>

#include "advect/engine/OdeSolver.h"

namespace advect::detail {

inline constexpr int kMaxStages = 7;

enum class DenseOutput {
  hermite,  // cubic Hermite through (y0, f0) and (y1, f1): order 3
  dopri5,   // Dormand-Prince's continuous extension: order 4
};

struct ButcherTableau {
  int stages = 0;
  int order = 0;        // order of the propagated solution
  int error_order = 0;  // the embedded error estimate is O(h^error_order); 0: no estimate
  bool fsal = false;    // last stage is f(t + h, y_new): reused as the next step's first
  std::array<double, kMaxStages> c{};
  std::array<std::array<double, kMaxStages>, kMaxStages> a{};
  std::array<double, kMaxStages> b{};
  std::array<double, kMaxStages> e{};  // b - b_embedded
  DenseOutput dense = DenseOutput::hermite;
};

const ButcherTableau& tableau_of(OdeMethod method);

// Weights w of the dense output y(t + theta h) = y + h * (sum_j w[j] k_j + w_end f_end), where
// f_end = f(t + h, y_new) (for FSAL tableaus the last stage itself, then w_end is folded into
// w[stages - 1] and returned as 0).
struct DenseWeights {
  std::array<double, kMaxStages> stage{};
  double end = 0.0;
};
DenseWeights dense_weights(const ButcherTableau& tableau, double theta);

}  // namespace advect::detail
