// The three exact test problems of the time-integration tests: a rigid rotation, a linear ODE
// (damped spiral with axial growth) and a time-dependent (pulsating) rotation.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ExactSolutions.h"
#include "advect/engine/AnalyticFields.h"

namespace advect::testing {

struct TestProblem {
  std::string name;
  std::unique_ptr<VectorField> field;
  std::function<Vec3(const Vec3& x0, double t0, double t)> exact;
};

inline std::vector<TestProblem> test_problems() {
  std::vector<TestProblem> problems;
  {
    const Vec3 axis = {1.0 / 3, 2.0 / 3, 2.0 / 3}, centre = {0.5, -0.3, 0.2};
    const double omega = 1.3;
    RotationLaw law;
    for (int d = 0; d < 3; ++d) law.axis[d] = axis[d], law.centre[d] = centre[d];
    law.omega = omega;
    problems.push_back(
        {"rotation", make_rotation_field(law), [=](const Vec3& x0, double t0, double t) {
           return rotate_about(x0, axis, centre, omega * (t - t0));
         }});
  }
  {
    // dx/dt = -0.2 x - y, dy/dt = x - 0.2 y, dz/dt = 0.3 z.
    LinearLaw law;
    const double a[9] = {-0.2, -1.0, 0.0, 1.0, -0.2, 0.0, 0.0, 0.0, 0.3};
    for (int i = 0; i < 9; ++i) law.a[i] = a[i];
    problems.push_back({"linear", make_linear_field(law), [](const Vec3& x0, double t0, double t) {
                          const double s = t - t0, decay = std::exp(-0.2 * s);
                          return Vec3{decay * (std::cos(s) * x0[0] - std::sin(s) * x0[1]),
                                      decay * (std::sin(s) * x0[0] + std::cos(s) * x0[1]),
                                      std::exp(0.3 * s) * x0[2]};
                        }});
  }
  {
    // omega(t) = 0.9 (1 + 0.5 sin(3 t)) about z: angle(t) = 0.9 (t + 0.5 (1 - cos 3t) / 3).
    RotationLaw law;
    law.omega = 0.9;
    law.pulse_amplitude = 0.5;
    law.pulse_frequency = 3.0;
    const auto angle = [](double t) { return 0.9 * (t + 0.5 * (1.0 - std::cos(3.0 * t)) / 3.0); };
    problems.push_back(
        {"pulsating-rotation", make_rotation_field(law), [=](const Vec3& x0, double t0, double t) {
           return rotate_about(x0, {0, 0, 1}, {0, 0, 0}, angle(t) - angle(t0));
         }});
  }
  return problems;
}

// Largest Euclidean distance between computed states and the exact solution at time t.
inline double max_error(const TestProblem& problem, const std::vector<double>& initial,
                        const double* computed, double t0, double t) {
  double worst = 0.0;
  for (std::size_t i = 0; i < initial.size() / 3; ++i) {
    const Vec3 exact =
        problem.exact({initial[3 * i], initial[3 * i + 1], initial[3 * i + 2]}, t0, t);
    double squared = 0.0;
    for (int d = 0; d < 3; ++d) squared += std::pow(computed[3 * i + d] - exact[d], 2);
    worst = std::max(worst, std::sqrt(squared));
  }
  return worst;
}

// Per-state errors relative to the exact state's length (the exact states here stay away from
// 0), folded by their maximum or their root mean square.
inline std::vector<double> relative_errors(const TestProblem& problem,
                                           const std::vector<double>& initial,
                                           const double* computed, double t0, double t) {
  std::vector<double> errors;
  for (std::size_t i = 0; i < initial.size() / 3; ++i) {
    const Vec3 exact =
        problem.exact({initial[3 * i], initial[3 * i + 1], initial[3 * i + 2]}, t0, t);
    double squared = 0.0, length = 0.0;
    for (int d = 0; d < 3; ++d) {
      squared += std::pow(computed[3 * i + d] - exact[d], 2);
      length += exact[d] * exact[d];
    }
    errors.push_back(std::sqrt(squared / length));
  }
  return errors;
}
inline double max_relative_error(const TestProblem& problem, const std::vector<double>& initial,
                                 const double* computed, double t0, double t) {
  const std::vector<double> errors = relative_errors(problem, initial, computed, t0, t);
  return *std::max_element(errors.begin(), errors.end());
}
inline double rms_relative_error(const TestProblem& problem, const std::vector<double>& initial,
                                 const double* computed, double t0, double t) {
  double sum = 0.0;
  for (double e : relative_errors(problem, initial, computed, t0, t)) sum += e * e;
  return std::sqrt(sum / double(initial.size() / 3));
}

}  // namespace advect::testing
