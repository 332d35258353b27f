// Bad arguments throw; solves that cannot finish say why and where they stopped.
#include <gtest/gtest.h>

#include <limits>

#include "ExactSolutions.h"
#include "advect/engine/AnalyticFields.h"
#include "advect/engine/OdeSolver.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// v = x^2 per component: blows up at t = 1/x0.
class BlowUpField final : public VectorField {
 public:
  int dimension() const override { return 3; }
  void evaluate(double, const double* x, double* v, std::int64_t n, const Device&) const override {
    for (std::int64_t i = 0; i < 3 * n; ++i) v[i] = x[i] * x[i];  // CPU only
  }
  std::string describe() const override { return "blow-up"; }
};

TEST(OdeArguments, RejectsInconsistentInput) {
  RotationLaw law;
  const auto field = make_rotation_field(law);
  const Buffer<double> four =
      Buffer<double>::from_host(std::vector<double>{1, 2, 3, 4}, Device::cpu());
  const Buffer<double> one = Buffer<double>::from_host(std::vector<double>{1, 2, 3}, Device::cpu());
  OdeOptions options;
  EXPECT_THROW(integrate(*field, four, std::vector<double>{0, 1}, options), std::invalid_argument);
  EXPECT_THROW(integrate(*field, one, std::vector<double>{0, 1, 0.5}, options),
               std::invalid_argument);
  EXPECT_THROW(integrate(*field, one, std::vector<double>{0, 0}, options), std::invalid_argument);
  EXPECT_THROW(integrate(*field, one, std::vector<double>{0, std::nan("")}, options),
               std::invalid_argument);
  EXPECT_THROW(integrate(*field, one, std::vector<double>{}, options), std::invalid_argument);
  options.method = OdeMethod::rk4;  // fixed step without a step
  EXPECT_THROW(integrate(*field, one, std::vector<double>{0, 1}, options), std::invalid_argument);
  options.method = OdeMethod::dopri5;
  options.rtol = options.atol = 0.0;
  EXPECT_THROW(integrate(*field, one, std::vector<double>{0, 1}, options), std::invalid_argument);
}

TEST(OdeFailures, BlowUpStopsWithStatusAndTime) {
  const BlowUpField field;
  const Buffer<double> start =
      Buffer<double>::from_host(std::vector<double>{1, 0.5, 0.25}, Device::cpu());
  OdeOptions options;  // dopri5: the step shrinks towards the singularity at t = 1
  const OdeResult result = integrate(field, start, std::vector<double>{0, 0.5, 2.0}, options);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.times_reached, 2u);  // t = 0.5 was reached; x(0.5) = 1 / (1 - 0.5) = 2
  EXPECT_NEAR(result.states.to_host()[3], 2.0, 1e-5);
  EXPECT_NE(result.message.find("at t = "), std::string::npos) << result.message;

  options.method = OdeMethod::euler;
  options.step = 0.1;
  const OdeResult euler = integrate(field, start, std::vector<double>{0, 50.0}, options);
  EXPECT_EQ(euler.status, OdeStatus::non_finite) << euler.message;
}

TEST(OdeFailures, MaxStepsIsReported) {
  RotationLaw law;
  const auto field = make_rotation_field(law);
  const Buffer<double> start =
      Buffer<double>::from_host(std::vector<double>{1, 0, 0}, Device::cpu());
  OdeOptions options;
  options.rtol = 1e-10;
  options.max_steps = 5;
  const OdeResult result = integrate(*field, start, std::vector<double>{0, 100}, options);
  EXPECT_EQ(result.status, OdeStatus::max_steps_reached);
  EXPECT_EQ(result.times_reached, 1u);
}

TEST(OdeMethods, NamesRoundTrip) {
  for (OdeMethod m : {OdeMethod::euler, OdeMethod::heun, OdeMethod::midpoint, OdeMethod::rk4,
                      OdeMethod::bs3, OdeMethod::dopri5}) {
    EXPECT_EQ(parse_ode_method(to_string(m)), m);
  }
  EXPECT_EQ(parse_ode_method("rk45"), OdeMethod::dopri5);
  EXPECT_FALSE(parse_ode_method("rk8").has_value());
}

}  // namespace
}  // namespace advect::testing
