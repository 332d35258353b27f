// Measured order of the fixed-step methods on three problems with exact solutions: the slope of
// log(error) against log(step) must be within 0.2 of the theoretical order.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "TestProblems.h"
#include "advect/engine/OdeSolver.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// Least-squares slope of log(error) over log(step).
double fitted_order(const std::vector<double>& steps, const std::vector<double>& errors) {
  double mean_x = 0, mean_y = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    mean_x += std::log(steps[i]) / double(steps.size());
    mean_y += std::log(errors[i]) / double(steps.size());
  }
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double dx = std::log(steps[i]) - mean_x;
    sxy += dx * (std::log(errors[i]) - mean_y);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

class FixedStepConvergence : public PerDevice {};

TEST_P(FixedStepConvergence, MeasuredOrderMatchesTheory) {
  const double t0 = 0.0, t_end = 2.0;
  const std::vector<double> initial = random_points(64, 7);
  const Buffer<double> start = Buffer<double>::from_host(initial, device());
  const std::vector<double> times = {t0, t_end};
  std::printf("%-10s %-20s %s\n", "method", "problem", "errors at 32/64/128/256 steps -> order");
  for (OdeMethod method :
       {OdeMethod::euler, OdeMethod::heun, OdeMethod::midpoint, OdeMethod::rk4}) {
    for (const TestProblem& problem : test_problems()) {
      std::vector<double> steps, errors;
      for (int n : {32, 64, 128, 256}) {
        OdeOptions options;
        options.method = method;
        options.step = (t_end - t0) / n;
        const OdeResult result = integrate(*problem.field, start, times, options);
        ASSERT_TRUE(result.ok()) << result.message;
        EXPECT_EQ(result.stats.accepted_steps, n);
        const std::vector<double> states = result.states.to_host();
        steps.push_back(options.step);
        errors.push_back(max_error(problem, initial, states.data() + initial.size(), t0, t_end));
      }
      const double order = fitted_order(steps, errors);
      std::printf("%-10s %-20s %.2e %.2e %.2e %.2e -> %.3f (theory %d)\n",
                  std::string(to_string(method)).c_str(), problem.name.c_str(), errors[0],
                  errors[1], errors[2], errors[3], order, order_of(method));
      EXPECT_NEAR(order, order_of(method), 0.2) << to_string(method) << " on " << problem.name;
    }
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(FixedStepConvergence);

}  // namespace
}  // namespace advect::testing
