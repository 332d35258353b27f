#include "advect/engine/ButcherTableau.h"

namespace advect::detail {

namespace {

ButcherTableau make_euler() {
  ButcherTableau t;
  t.stages = 1;
  t.order = 1;
  t.b = {1.0};
  return t;
}

ButcherTableau make_heun() {
  ButcherTableau t;
  t.stages = 2;
  t.order = 2;
  t.c = {0.0, 1.0};
  t.a[1] = {1.0};
  t.b = {0.5, 0.5};
  return t;
}

ButcherTableau make_midpoint() {
  ButcherTableau t;
  t.stages = 2;
  t.order = 2;
  t.c = {0.0, 0.5};
  t.a[1] = {0.5};
  t.b = {0.0, 1.0};
  return t;
}

ButcherTableau make_rk4() {
  ButcherTableau t;
  t.stages = 4;
  t.order = 4;
  t.c = {0.0, 0.5, 0.5, 1.0};
  t.a[1] = {0.5};
  t.a[2] = {0.0, 0.5};
  t.a[3] = {0.0, 0.0, 1.0};
  t.b = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
  return t;
}

// Bogacki and Shampine, Appl. Math. Lett. 2(4), 1989: third-order solution, second-order
// embedded estimate, FSAL.
ButcherTableau make_bs3() {
  ButcherTableau t;
  t.stages = 4;
  t.order = 3;
  t.error_order = 3;
  t.fsal = true;
  t.c = {0.0, 0.5, 0.75, 1.0};
  t.a[1] = {0.5};
  t.a[2] = {0.0, 0.75};
  t.a[3] = {2.0 / 9, 1.0 / 3, 4.0 / 9};
  t.b = {2.0 / 9, 1.0 / 3, 4.0 / 9, 0.0};
  const std::array<double, kMaxStages> embedded = {7.0 / 24, 1.0 / 4, 1.0 / 3, 1.0 / 8};
  for (int j = 0; j < t.stages; ++j) t.e[j] = t.b[j] - embedded[j];
  return t;
}

// Dormand and Prince, J. Comput. Appl. Math. 6(1), 1980 (RK5(4)7M): fifth-order solution,
// fourth-order embedded estimate, FSAL.
ButcherTableau make_dopri5() {
  ButcherTableau t;
  t.stages = 7;
  t.order = 5;
  t.error_order = 5;
  t.fsal = true;
  t.dense = DenseOutput::dopri5;
  t.c = {0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0};
  t.a[1] = {1.0 / 5};
  t.a[2] = {3.0 / 40, 9.0 / 40};
  t.a[3] = {44.0 / 45, -56.0 / 15, 32.0 / 9};
  t.a[4] = {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729};
  t.a[5] = {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656};
  t.a[6] = {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84};
  t.b = {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0.0};
  const std::array<double, kMaxStages> embedded = {
      5179.0 / 57600, 0.0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40};
  for (int j = 0; j < t.stages; ++j) t.e[j] = t.b[j] - embedded[j];
  return t;
}

// Coefficients d_j of the Dormand-Prince dense output as in Hairer, Norsett and Wanner,
// "Solving ODEs I", II.6, and their DOPRI5 code (routine CONTD5).
constexpr std::array<double, kMaxStages> kDopri5Dense = {
    -12715105075.0 / 11282082432.0,  0.0,
    87487479700.0 / 32700410799.0,   -10690763975.0 / 1880347072.0,
    701980252875.0 / 199316789632.0, -1453857185.0 / 822651844.0,
    69997945.0 / 29380423.0};

}  // namespace

const ButcherTableau& tableau_of(OdeMethod method) {
  static const ButcherTableau euler = make_euler(), heun = make_heun(), midpoint = make_midpoint(),
                              rk4 = make_rk4(), bs3 = make_bs3(), dopri5 = make_dopri5();
  switch (method) {
    case OdeMethod::euler:
      return euler;
    case OdeMethod::heun:
      return heun;
    case OdeMethod::midpoint:
      return midpoint;
    case OdeMethod::rk4:
      return rk4;
    case OdeMethod::bs3:
      return bs3;
    case OdeMethod::dopri5:
      return dopri5;
  }
  return dopri5;
}

DenseWeights dense_weights(const ButcherTableau& tableau, double theta) {
  DenseWeights w;
  const double th2 = theta * theta, th3 = th2 * theta;
  if (tableau.dense == DenseOutput::dopri5) {
    // y0 + theta D + theta(1-theta)(h k1 - D) + theta^2(1-theta)(2D - h k1 - h k7)
    //    + theta^2 (1-theta)^2 h sum_j d_j k_j, with D = y1 - y0 = h sum_j b_j k_j.
    const double one_minus = 1.0 - theta;
    const double p1 = theta, p2 = theta * one_minus, p3 = th2 * one_minus,
                 p4 = th2 * one_minus * one_minus;
    for (int j = 0; j < tableau.stages; ++j) {
      const double first = j == 0 ? 1.0 : 0.0;
      const double last = j == tableau.stages - 1 ? 1.0 : 0.0;
      const double bj = tableau.b[j];
      w.stage[j] =
          p1 * bj + p2 * (first - bj) + p3 * (2.0 * bj - first - last) + p4 * kDopri5Dense[j];
    }
    return w;
  }
  // Cubic Hermite: y0 + h01 D + h (h10 f0 + h11 f1).
  const double h01 = 3.0 * th2 - 2.0 * th3, h10 = th3 - 2.0 * th2 + theta, h11 = th3 - th2;
  for (int j = 0; j < tableau.stages; ++j) w.stage[j] = h01 * tableau.b[j];
  w.stage[0] += h10;
  if (tableau.fsal) {
    w.stage[tableau.stages - 1] += h11;
  } else {
    w.end = h11;
  }
  return w;
}

}  // namespace advect::detail
