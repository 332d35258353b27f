// The latent ODE against the engine's integrate() (the same tableau, stepped in double) and its
// hand-written backward pass against central finite differences of the loss.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "advect/engine/OdeSolver.h"
#include "advect/neural/LatentOde.h"
#include "support/CentralDifference.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

neural::MlpConfig small_field(int dims) {
  neural::MlpConfig config;
  config.input_dims = dims;
  config.output_dims = dims;
  config.hidden_width = 16;
  config.hidden_layers = 2;
  config.activation = neural::Activation::tanh;
  config.init = neural::Init::xavier;
  return config;
}

std::vector<float> random_values(std::size_t n, std::uint32_t seed, float scale) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-scale, scale);
  std::vector<float> values(n);
  for (auto& v : values) v = uniform(rng);
  return values;
}

// The MLP as an engine vector field (CPU, double states), for integrate().
class MlpField : public VectorField {
 public:
  explicit MlpField(const neural::Mlp& mlp) : mlp_(mlp) {}
  int dimension() const override { return mlp_.config().input_dims; }
  void evaluate(double, const double* x, double* v, std::int64_t n, const Device&) const override {
    const auto count = std::size_t(n) * std::size_t(dimension());
    std::vector<float> in(x, x + count), out(count);
    neural::MlpWorkspace workspace;
    mlp_.forward(in.data(), n, out.data(), workspace);
    for (std::size_t i = 0; i < count; ++i) v[i] = out[i];
  }
  std::string describe() const override { return "mlp"; }

 private:
  const neural::Mlp& mlp_;
};

struct Problem {
  static constexpr int kDims = 4, kBatch = 3, kSteps = 5;
  static constexpr float kStep = 0.2f;
  std::vector<float> z0 = random_values(kDims * kBatch, 1, 1.0f);
  std::vector<float> weights = random_values(std::size_t(kSteps + 1) * kDims * kBatch, 2, 1.0f);
};

TEST(LatentOde, StepsMatchTheEngineIntegrator) {
  for (auto method : {OdeMethod::euler, OdeMethod::heun, OdeMethod::midpoint, OdeMethod::rk4}) {
    Problem p;
    neural::LatentOde ode(small_field(Problem::kDims), method, Device::cpu(), 7);
    std::vector<float> states(p.weights.size());
    ode.forward(p.z0.data(), Problem::kBatch, Problem::kSteps, Problem::kStep, states.data());

    MlpField field(ode.mlp());
    std::vector<double> initial(p.z0.begin(), p.z0.end()), times;
    for (int n = 0; n <= Problem::kSteps; ++n) times.push_back(n * double(Problem::kStep));
    OdeOptions options;
    options.method = method;
    options.step = Problem::kStep;
    const auto result =
        integrate(field, Buffer<double>::from_host(initial, Device::cpu()), times, options);
    ASSERT_TRUE(result.ok()) << result.message;
    const auto expected = result.states.to_host();
    ASSERT_EQ(expected.size(), states.size());
    for (std::size_t i = 0; i < states.size(); ++i) {
      EXPECT_NEAR(states[i], expected[i], 2e-6 * (1 + std::abs(expected[i])))
          << to_string(method) << " entry " << i;
    }
  }
}

class LatentOdeGradients : public PerDevice {};

// L = sum of weights * states; d_states = weights. Central differences in float with a step that
// keeps the truncation error (h^2) and the rounding error (eps / h) both near 1e-4 of L's scale.
TEST_P(LatentOdeGradients, MatchFiniteDifferences) {
  Problem p;
  neural::LatentOde ode(small_field(Problem::kDims), OdeMethod::rk4, device(), 11);
  const auto count = p.weights.size();
  auto z0 = Buffer<float>::from_host(p.z0, device());
  Buffer<float> states(count, device());
  auto loss = [&]() {
    ode.forward(z0.data(), Problem::kBatch, Problem::kSteps, Problem::kStep, states.data());
    const auto s = states.to_host();
    double total = 0;
    for (std::size_t i = 0; i < count; ++i) total += double(p.weights[i]) * s[i];
    return total;
  };
  loss();
  auto d_states = Buffer<float>::from_host(p.weights, device());
  Buffer<float> d_z0(p.z0.size(), device());
  ode.backward(d_states.data(), d_z0.data());
  const auto grad_z0 = d_z0.to_host();
  const auto grad_parameters = ode.gradients().to_host();

  const float h = 1e-2f;
  auto central = [&](BufferView<float> values, std::size_t i) {
    return central_difference(values, i, h, loss);
  };
  for (std::size_t i = 0; i < p.z0.size(); ++i) {
    EXPECT_NEAR(grad_z0[i], central(z0, i), 2e-3 * (1 + std::abs(grad_z0[i]))) << "z0 " << i;
  }
  // Every 7th parameter: weights and biases of all three layers.
  for (std::size_t i = 0; i < grad_parameters.size(); i += 7) {
    EXPECT_NEAR(grad_parameters[i], central(ode.parameters(), i),
                2e-3 * (1 + std::abs(grad_parameters[i])))
        << "parameter " << i;
  }
}
ADVECT_INSTANTIATE_PER_DEVICE(LatentOdeGradients);

TEST(LatentOde, RefusesAdaptiveMethodsAndNonSquareFields) {
  EXPECT_THROW(neural::LatentOde(small_field(4), OdeMethod::dopri5, Device::cpu(), 1),
               std::invalid_argument);
  auto config = small_field(4);
  config.output_dims = 3;
  EXPECT_THROW(neural::LatentOde(config, OdeMethod::rk4, Device::cpu(), 1), std::invalid_argument);
}

}  // namespace
}  // namespace advect::testing
