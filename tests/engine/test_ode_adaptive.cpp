// Adaptive methods against exact solutions: tolerance met at the final time and at dense-output
// times, forward-then-backward round trips, and step statistics.
#include <gtest/gtest.h>

#include <cstdio>

#include "TestProblems.h"
#include "advect/engine/OdeSolver.h"
#include "advect/engine/TimeGrid.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

class AdaptiveSolve : public PerDevice {};

TEST_P(AdaptiveSolve, MeetsRelativeToleranceAtEveryOutputTime) {
  // Points in [1, 3]^3 keep every exact state well away from 0, so relative error is meaningful.
  const std::vector<double> initial = random_points(100, 11, 2.0);
  const Buffer<double> start = Buffer<double>::from_host(initial, device());
  const std::vector<double> times = evenly_spaced_times(0.0, 3.0, 31);  // most fall inside steps
  for (OdeMethod method : {OdeMethod::bs3, OdeMethod::dopri5}) {
    for (ErrorNorm norm : {ErrorNorm::rms, ErrorNorm::max_state_rms}) {
      for (const TestProblem& problem : test_problems()) {
        OdeOptions options;
        options.method = method;
        options.rtol = 1e-6;
        options.atol = 1e-12;
        options.norm = norm;
        const OdeResult result = integrate(*problem.field, start, times, options);
        ASSERT_TRUE(result.ok()) << result.message;
        ASSERT_EQ(result.times_reached, times.size());
        const std::vector<double> states = result.states.to_host();
        // max_state_rms holds every trajectory to the tolerance; rms only their root mean square.
        double error = 0.0;
        for (std::size_t k = 0; k < times.size(); ++k) {
          const double* state = states.data() + k * initial.size();
          error = std::max(error,
                           norm == ErrorNorm::max_state_rms
                               ? max_relative_error(problem, initial, state, times[0], times[k])
                               : rms_relative_error(problem, initial, state, times[0], times[k]));
        }
        std::printf("%-7s %-20s %-9s accepted %3ld rejected %2ld evaluations %4ld error %.2e\n",
                    std::string(to_string(method)).c_str(), problem.name.c_str(),
                    norm == ErrorNorm::rms ? "rms" : "max-state", long(result.stats.accepted_steps),
                    long(result.stats.rejected_steps), long(result.stats.field_evaluations), error);
        // The default (max-state) norm meets rtol on every trajectory. The rms norm controls the
        // average local error only; its global RMS error was measured at up to 1.2 rtol here.
        EXPECT_LE(error, norm == ErrorNorm::max_state_rms ? 1e-6 : 2e-6)
            << to_string(method) << " on " << problem.name
            << (norm == ErrorNorm::rms ? " (rms norm)" : " (max-state norm)");
        EXPECT_GT(result.stats.accepted_steps, 3);
      }
    }
  }
}

TEST_P(AdaptiveSolve, ForwardThenBackwardReturnsToStart) {
  const std::vector<double> initial = random_points(50, 3, 2.0);
  const Buffer<double> start = Buffer<double>::from_host(initial, device());
  for (OdeMethod method : {OdeMethod::bs3, OdeMethod::dopri5}) {
    for (const TestProblem& problem : test_problems()) {
      OdeOptions options;
      options.method = method;
      options.rtol = 1e-8;
      options.atol = 1e-12;
      const std::vector<double> forward_times = {0.5, 4.0}, backward_times = {4.0, 0.5};
      const OdeResult forward = integrate(*problem.field, start, forward_times, options);
      ASSERT_TRUE(forward.ok()) << forward.message;
      const std::vector<double> states = forward.states.to_host();
      const auto end = Buffer<double>::from_host(
          std::vector<double>(states.begin() + std::ptrdiff_t(initial.size()), states.end()),
          device());
      const OdeResult backward = integrate(*problem.field, end, backward_times, options);
      ASSERT_TRUE(backward.ok()) << backward.message;
      const std::vector<double> back = backward.states.to_host();
      double worst = 0.0;
      for (std::size_t i = 0; i < initial.size(); ++i) {
        worst = std::max(worst,
                         std::fabs(back[initial.size() + i] - initial[i]) / std::fabs(initial[i]));
      }
      EXPECT_LE(worst, 1e-7) << to_string(method) << " on " << problem.name;
    }
  }
}

TEST_P(AdaptiveSolve, CountsEvaluationsAndSteps) {
  const std::vector<double> initial = random_points(10, 5, 2.0);
  const Buffer<double> start = Buffer<double>::from_host(initial, device());
  const TestProblem problem = std::move(test_problems()[2]);
  const std::vector<double> times = {0.0, 5.0};
  // FSAL: one evaluation at the start, one for the automatic first step, then stages - 1 per try.
  for (auto [method, per_try] : {std::pair{OdeMethod::bs3, 3}, std::pair{OdeMethod::dopri5, 6}}) {
    OdeOptions options;
    options.method = method;
    options.rtol = 1e-9;
    options.atol = 1e-12;
    const OdeResult result = integrate(*problem.field, start, times, options);
    ASSERT_TRUE(result.ok());
    const OdeStats& s = result.stats;
    EXPECT_EQ(s.field_evaluations, 2 + per_try * (s.accepted_steps + s.rejected_steps));
  }
  // Classic RK4, outputs on the grid only: four evaluations per step.
  OdeOptions rk4;
  rk4.method = OdeMethod::rk4;
  rk4.step = 0.25;
  const OdeResult result = integrate(*problem.field, start, times, rk4);
  EXPECT_EQ(result.stats.accepted_steps, 20);
  EXPECT_EQ(result.stats.field_evaluations, 80);
}

TEST_P(AdaptiveSolve, FixedStepDenseOutputIsThirdOrderHermite) {
  // RK4 with outputs between grid points: the cubic Hermite interpolant has O(h^4) error.
  const std::vector<double> initial = random_points(20, 9);
  const Buffer<double> start = Buffer<double>::from_host(initial, device());
  const TestProblem problem = std::move(test_problems()[0]);
  const std::vector<double> times = {0.0, 0.33, 1.01, 1.7, 2.0};
  std::vector<double> errors;
  for (double step : {0.1, 0.05}) {
    OdeOptions options;
    options.method = OdeMethod::rk4;
    options.step = step;
    const OdeResult result = integrate(*problem.field, start, times, options);
    ASSERT_TRUE(result.ok());
    const std::vector<double> states = result.states.to_host();
    double worst = 0.0;
    for (std::size_t k = 1; k < times.size(); ++k) {
      worst = std::max(
          worst, max_error(problem, initial, states.data() + k * initial.size(), 0.0, times[k]));
    }
    errors.push_back(worst);
  }
  EXPECT_LT(errors[0], 1e-4);
  EXPECT_GT(std::log2(errors[0] / errors[1]), 3.5);  // halving the step gains ~2^4
}

ADVECT_INSTANTIATE_PER_DEVICE(AdaptiveSolve);

TEST(AdaptiveSolveCpuVsCuda, SameTrajectoriesOnBothBackends) {
  ADVECT_REQUIRE_CUDA_DEVICE();
  const std::vector<double> initial = random_points(5000, 17, 0.5);
  const std::vector<double> times = evenly_spaced_times(0.0, 10.0, 11);
  DoubleGyreLaw law;
  const auto field = make_double_gyre_field(law);
  for (OdeMethod method : {OdeMethod::rk4, OdeMethod::dopri5}) {
    OdeOptions options;
    options.method = method;
    options.step = method == OdeMethod::rk4 ? 0.05 : 0.0;
    const OdeResult cpu =
        integrate(*field, Buffer<double>::from_host(initial, Device::cpu()), times, options);
    const OdeResult gpu =
        integrate(*field, Buffer<double>::from_host(initial, Device::cuda()), times, options);
    ASSERT_TRUE(cpu.ok() && gpu.ok());
    EXPECT_EQ(cpu.stats.accepted_steps, gpu.stats.accepted_steps);
    const std::vector<double> a = cpu.states.to_host(), b = gpu.states.to_host();
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
    EXPECT_LE(worst, 1e-9) << to_string(method);  // only rounding (FMA contraction) differs
  }
}

}  // namespace
}  // namespace advect::testing
