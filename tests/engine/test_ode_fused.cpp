// The fused step (FusedStep.h: every stage of a state's step in registers, which pointwise
// fields take) against the stage-by-stage path, one batch evaluation per stage, that every other
// field takes: the same states to round-off and the same step statistics, for every method,
// forward and backward, with output times inside steps (dense output).
#include <gtest/gtest.h>

#include <cmath>

#include "TestProblems.h"
#include "advect/engine/OdeSolver.h"
#include "advect/engine/TimeGrid.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// The same field seen only through evaluate(): the solver must step it stage by stage.
class StageByStage final : public VectorField {
 public:
  explicit StageByStage(const VectorField& field) : field_(field) {}
  int dimension() const override { return field_.dimension(); }
  void evaluate(double t, const double* x, double* v, std::int64_t n,
                const Device& device) const override {
    field_.evaluate(t, x, v, n, device);
  }
  std::string describe() const override { return field_.describe(); }

 private:
  const VectorField& field_;
};

class FusedSteps : public PerDevice {};

TEST_P(FusedSteps, MatchTheStageByStagePathForEveryMethod) {
  const std::vector<double> initial = random_points(300, 5, 2.0);
  const Buffer<double> start = Buffer<double>::from_host(initial, device());
  for (const bool backward : {false, true}) {
    // Eleven output times over 2.5 s: with steps of 0.3 s most fall inside a step.
    std::vector<double> times = evenly_spaced_times(0.0, 2.5, 11);
    if (backward) {
      for (double& t : times) t = 2.5 - t;
    }
    for (const OdeMethod method : {OdeMethod::euler, OdeMethod::heun, OdeMethod::midpoint,
                                   OdeMethod::rk4, OdeMethod::bs3, OdeMethod::dopri5}) {
      for (const TestProblem& problem : test_problems()) {
        OdeOptions options;
        options.method = method;
        options.step = is_adaptive(method) ? 0.0 : 0.3;
        options.rtol = 1e-7;
        const OdeResult fused = integrate(*problem.field, start, times, options);
        const OdeResult staged = integrate(StageByStage(*problem.field), start, times, options);
        const std::string what = std::string(to_string(method)) + " on " + problem.name +
                                 (backward ? " backward" : " forward");
        ASSERT_TRUE(fused.ok()) << what << ": " << fused.message;
        ASSERT_TRUE(staged.ok()) << what << ": " << staged.message;
        EXPECT_EQ(fused.stats.accepted_steps, staged.stats.accepted_steps) << what;
        EXPECT_EQ(fused.stats.rejected_steps, staged.stats.rejected_steps) << what;
        EXPECT_EQ(fused.stats.field_evaluations, staged.stats.field_evaluations) << what;
        const std::vector<double> a = fused.states.to_host(), b = staged.states.to_host();
        ASSERT_EQ(a.size(), b.size());
        double worst = 0.0;
        for (std::size_t i = 0; i < a.size(); ++i) {
          worst = std::max(worst, std::fabs(a[i] - b[i]) / std::max(1.0, std::fabs(b[i])));
        }
        // Only the order of floating-point operations differs (contractions into FMAs).
        EXPECT_LE(worst, 1e-12) << what;
      }
    }
  }
}

TEST_P(FusedSteps, ReportANonFiniteStateLikeTheStagedPath) {
  // Linear growth at rate 300 /s overflows a double within 2.5 s.
  LinearLaw law;
  for (int d = 0; d < 3; ++d) law.a[4 * d] = 300.0;
  const auto field = make_linear_field(law);
  const std::vector<double> initial = {1.0, 1.0, 1.0, 0.0, 0.0, 0.0};
  const Buffer<double> start = Buffer<double>::from_host(initial, device());
  const std::vector<double> times = evenly_spaced_times(0.0, 2.5, 6);
  OdeOptions options;
  options.method = OdeMethod::rk4;
  options.step = 0.01;
  const OdeResult fused = integrate(*field, start, times, options);
  const OdeResult staged = integrate(StageByStage(*field), start, times, options);
  EXPECT_EQ(fused.status, OdeStatus::non_finite);
  EXPECT_EQ(fused.status, staged.status);
  EXPECT_EQ(fused.times_reached, staged.times_reached);
  EXPECT_EQ(fused.message, staged.message);
}

INSTANTIATE_TEST_SUITE_P(Devices, FusedSteps, ::testing::Values(DeviceType::cpu, DeviceType::cuda),
                         device_name);

}  // namespace
}  // namespace advect::testing
