// The MLP against an independent double-precision reference (forward and backward), a
// finite-difference gradient check, deterministic initialisation, JSON configuration and a fit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "advect/neural/Adam.h"
#include "advect/neural/Mlp.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using neural::Activation;
using neural::MlpConfig;

double activate(double z, Activation a) {
  switch (a) {
    case Activation::relu:
      return z > 0 ? z : 0;
    case Activation::tanh:
      return std::tanh(z);
    case Activation::sigmoid:
      return 1 / (1 + std::exp(-z));
    case Activation::none:
      break;
  }
  return z;
}
double slope(double z, Activation a) {
  switch (a) {
    case Activation::relu:
      return z > 0 ? 1 : 0;
    case Activation::tanh:
      return 1 - std::tanh(z) * std::tanh(z);
    case Activation::sigmoid:
      return activate(z, a) * (1 - activate(z, a));
    case Activation::none:
      break;
  }
  return 1;
}

// Loops in double over the documented parameter layout: per layer W (out x in, column-major), b.
struct Reference {
  std::vector<double> output, d_parameters, d_input;
};
Reference reference(const MlpConfig& c, const std::vector<float>& p, const std::vector<float>& x,
                    int batch, const std::vector<float>& d_out) {
  std::vector<int> widths = {c.input_dims};
  for (int l = 0; l < c.hidden_layers; ++l) widths.push_back(c.hidden_width);
  widths.push_back(c.output_dims);
  const int layers = int(widths.size()) - 1;
  Reference r;
  r.d_parameters.assign(p.size(), 0.0);
  r.d_input.assign(x.size(), 0.0);
  for (int s = 0; s < batch; ++s) {
    std::vector<std::vector<double>> z(static_cast<std::size_t>(layers)),
        a(static_cast<std::size_t>(layers + 1));
    a[0].assign(x.begin() + s * c.input_dims, x.begin() + (s + 1) * c.input_dims);
    std::size_t offset = 0;
    std::vector<std::size_t> offsets;
    for (int l = 0; l < layers; ++l) {
      const int in = widths[std::size_t(l)], out = widths[std::size_t(l + 1)];
      offsets.push_back(offset);
      const Activation act = l == layers - 1 ? c.output_activation : c.activation;
      for (int i = 0; i < out; ++i) {
        double sum = p[offset + std::size_t(in * out + i)];
        for (int j = 0; j < in; ++j)
          sum += p[offset + std::size_t(i + j * out)] * a[std::size_t(l)][std::size_t(j)];
        z[std::size_t(l)].push_back(sum);
        a[std::size_t(l + 1)].push_back(activate(sum, act));
      }
      offset += std::size_t(in * out + out);
    }
    r.output.insert(r.output.end(), a.back().begin(), a.back().end());
    std::vector<double> delta(d_out.begin() + s * c.output_dims,
                              d_out.begin() + (s + 1) * c.output_dims);
    for (int l = layers - 1; l >= 0; --l) {
      const int in = widths[std::size_t(l)], out = widths[std::size_t(l + 1)];
      const Activation act = l == layers - 1 ? c.output_activation : c.activation;
      for (int i = 0; i < out; ++i)
        delta[std::size_t(i)] *= slope(z[std::size_t(l)][std::size_t(i)], act);
      std::vector<double> previous(std::size_t(in), 0.0);
      for (int i = 0; i < out; ++i) {
        r.d_parameters[offsets[std::size_t(l)] + std::size_t(in * out + i)] +=
            delta[std::size_t(i)];
        for (int j = 0; j < in; ++j) {
          r.d_parameters[offsets[std::size_t(l)] + std::size_t(i + j * out)] +=
              delta[std::size_t(i)] * a[std::size_t(l)][std::size_t(j)];
          previous[std::size_t(j)] +=
              p[offsets[std::size_t(l)] + std::size_t(i + j * out)] * delta[std::size_t(i)];
        }
      }
      delta = previous;
    }
    for (int j = 0; j < c.input_dims; ++j)
      r.d_input[std::size_t(s * c.input_dims + j)] = delta[std::size_t(j)];
  }
  return r;
}

std::vector<float> uniform(std::size_t n, unsigned seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

void expect_close(const std::vector<float>& got, const std::vector<double>& want, double tolerance,
                  const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], tolerance * (1.0 + std::fabs(want[i]))) << what << " " << i;
  }
}

MlpConfig config_of(int input, int output, int width, int hidden, Activation activation) {
  MlpConfig config;
  config.input_dims = input;
  config.output_dims = output;
  config.hidden_width = width;
  config.hidden_layers = hidden;
  config.activation = activation;
  return config;
}

class MlpOnDevice : public PerDevice {};

// One forward and backward pass of `mlp` on a batch, and the double-precision reference's; with
// `accumulate`, the backward pass runs twice and the reference's gradients are doubled.
struct Pass {
  std::vector<float> output, d_parameters, d_input;
  Reference want;
};
Pass pass_of(neural::Mlp& mlp, const Device& device, int batch, bool accumulate = false) {
  const MlpConfig& config = mlp.config();
  const std::vector<float> x = uniform(std::size_t(batch * config.input_dims), 1),
                           d_out = uniform(std::size_t(batch * config.output_dims), 2);
  const Buffer<float> input = Buffer<float>::from_host(x, device),
                      d_output = Buffer<float>::from_host(d_out, device);
  Buffer<float> output(std::size_t(batch * config.output_dims), device), d_input(x.size(), device);
  neural::MlpWorkspace workspace;
  mlp.forward(input.data(), batch, output.data(), workspace);
  mlp.backward(input.data(), d_output.data(), workspace, d_input.data());
  Pass pass{{}, {}, {}, reference(config, mlp.parameters().to_host(), x, batch, d_out)};
  if (accumulate) {
    mlp.backward(input.data(), d_output.data(), workspace, nullptr,
                 neural::GradientMode::accumulate);
    for (double& g : pass.want.d_parameters) g *= 2.0;
  }
  pass.output = output.to_host();
  pass.d_parameters = mlp.gradients().to_host();
  pass.d_input = d_input.to_host();
  return pass;
}

// Element by element: outputs within `tolerance`, gradients (sums over the batch) within ten times.
void check_against_reference(neural::Mlp& mlp, const Device& device, int batch, double tolerance,
                             bool accumulate = false) {
  const Pass pass = pass_of(mlp, device, batch, accumulate);
  expect_close(pass.output, pass.want.output, tolerance, "output");
  expect_close(pass.d_parameters, pass.want.d_parameters, 10.0 * tolerance, "parameter gradient");
  expect_close(pass.d_input, pass.want.d_input, 10.0 * tolerance, "input gradient");
}

// |got - want| / |want| in the Euclidean norm.
double relative_error(const std::vector<float>& got, const std::vector<double>& want) {
  double error = 0.0, norm = 0.0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    error += (got[i] - want[i]) * (got[i] - want[i]);
    norm += want[i] * want[i];
  }
  return std::sqrt(error / norm);
}

TEST_P(MlpOnDevice, ForwardAndBackwardMatchTheReference) {
  for (Activation act : {Activation::relu, Activation::tanh, Activation::sigmoid}) {
    for (int hidden : {0, 1, 3}) {
      MlpConfig config = config_of(4, 3, 7, hidden, act);
      config.output_activation = hidden == 1 ? Activation::tanh : Activation::none;
      neural::Mlp mlp(config, device(), 42);
      SCOPED_TRACE(::testing::Message() << "activation " << int(act) << " hidden " << hidden);
      check_against_reference(mlp, device(), 13, 1e-5);
    }
  }
}

// Batches of 512 points and more take the CPU's block-by-block passes
// (kernels/BlockedMlpCPU.h): blocks of 128 points with a partial last one, sums over the points
// split in parts, layers wider than a register tile's 32 rows with partial panels, and the
// gradients added to (GradientMode::accumulate) as well as overwritten.
TEST_P(MlpOnDevice, LargeBatchesMatchTheReference) {
  for (Activation act : {Activation::relu, Activation::tanh, Activation::sigmoid}) {
    MlpConfig config = config_of(4, 3, 40, 2, act);
    config.output_activation = act == Activation::relu ? Activation::none : Activation::tanh;
    neural::Mlp mlp(config, device(), 5);
    SCOPED_TRACE(::testing::Message() << "activation " << int(act));
    check_against_reference(mlp, device(), 2500, 1e-5, act == Activation::tanh);
  }
  neural::Mlp nsfp_like(config_of(3, 3, 128, 2, Activation::relu), device(), 6);
  SCOPED_TRACE("3 -> 2 x 128 -> 3, 700 points: two parts of 350");
  check_against_reference(nsfp_like, device(), 700, 1e-5);
}

TEST_P(MlpOnDevice, GradientMatchesFiniteDifferences) {
  neural::Mlp mlp(config_of(3, 2, 6, 2, Activation::tanh), device(), 7);
  const int batch = 5;
  const std::vector<float> x = uniform(std::size_t(batch * 3), 3),
                           w = uniform(std::size_t(batch * 2), 4);
  const Buffer<float> input = Buffer<float>::from_host(x, device()),
                      weights = Buffer<float>::from_host(w, device());
  Buffer<float> output(std::size_t(batch * 2), device());
  neural::MlpWorkspace workspace;
  const auto loss = [&] {  // L = sum w * f(x), in double on the host
    mlp.forward(input.data(), batch, output.data(), workspace);
    const std::vector<float> out = output.to_host();
    double sum = 0.0;
    for (std::size_t i = 0; i < out.size(); ++i) sum += double(w[i]) * out[i];
    return sum;
  };
  loss();
  mlp.backward(input.data(), weights.data(), workspace);
  const std::vector<float> analytic = mlp.gradients().to_host();
  std::vector<float> parameters = mlp.parameters().to_host();
  for (std::size_t i = 0; i < parameters.size(); i += 3) {
    const float original = parameters[i], h = 1e-2f;
    parameters[i] = original + h;
    mlp.parameters().copy_from_host(parameters);
    const double up = loss();
    parameters[i] = original - h;
    mlp.parameters().copy_from_host(parameters);
    const double down = loss();
    parameters[i] = original;
    mlp.parameters().copy_from_host(parameters);
    EXPECT_NEAR(analytic[i], (up - down) / (2.0 * h), 2e-3 + 1e-2 * std::fabs(analytic[i]))
        << "parameter " << i;
  }
}

TEST_P(MlpOnDevice, AdamFitsASmoothFunction) {
  MlpConfig config = config_of(1, 1, 32, 2, Activation::tanh);
  config.init = neural::Init::xavier;
  neural::Mlp mlp(config, device(), 1);
  neural::AdamOptions options;
  options.learning_rate = 1e-2f;
  neural::Adam adam(mlp.parameter_count(), device(), options);
  const int batch = 128;
  std::vector<float> x(static_cast<std::size_t>(batch)), y(static_cast<std::size_t>(batch));
  for (int i = 0; i < batch; ++i) {
    x[std::size_t(i)] = -1.0f + 2.0f * float(i) / (batch - 1);
    y[std::size_t(i)] = std::sin(2.0f * x[std::size_t(i)]);
  }
  const Buffer<float> input = Buffer<float>::from_host(x, device());
  Buffer<float> output(std::size_t(batch), device()), d_output(std::size_t(batch), device());
  neural::MlpWorkspace workspace;
  double first = 0.0, mse = 0.0;
  for (int step = 0; step < 600; ++step) {
    mlp.forward(input.data(), batch, output.data(), workspace);
    const std::vector<float> out = output.to_host();
    std::vector<float> grad(static_cast<std::size_t>(batch));
    mse = 0.0;
    for (int i = 0; i < batch; ++i) {
      const double e = double(out[std::size_t(i)]) - y[std::size_t(i)];
      mse += e * e / batch;
      grad[std::size_t(i)] = float(2.0 * e / batch);
    }
    if (step == 0) first = mse;
    d_output.copy_from_host(grad);
    mlp.backward(input.data(), d_output.data(), workspace);
    adam.step(mlp.parameters().data(), mlp.gradients().data());
  }
  EXPECT_LT(mse, 1e-3);
  EXPECT_LT(mse, first / 100.0);
}

// The tanh activation is computed by our own arithmetic (kernels/TanhFloat.h), not the C
// library's: a 1 -> 1 layer with weight 1 and bias 0 applies it to every input, compared with
// tanh in double over magnitudes from 1e-30 to 1e3, both signs, and the special values.
TEST_P(MlpOnDevice, TanhIsWithinFourUlpOfTanh) {
  MlpConfig config = config_of(1, 1, 1, 0, Activation::none);
  config.output_activation = Activation::tanh;
  neural::Mlp mlp(config, device(), 1);
  mlp.parameters().copy_from_host(std::vector<float>{1.0f, 0.0f});
  std::vector<float> x;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> exponent(-30.0f, 3.0f), mantissa(1.0f, 10.0f);
  for (int i = 0; i < 1 << 20; ++i) {
    const float v = mantissa(rng) * std::pow(10.0f, exponent(rng));
    x.push_back(i % 2 ? v : -v);
  }
  for (float v = -12.0f; v <= 12.0f; v += 1.0f / 64) x.push_back(v);  // every exponent branch
  const float inf = std::numeric_limits<float>::infinity();
  x.insert(x.end(), {0.0f, inf, -inf, std::numeric_limits<float>::denorm_min()});
  const Buffer<float> input = Buffer<float>::from_host(x, device());
  Buffer<float> output(x.size(), device());
  neural::MlpWorkspace workspace;
  mlp.forward(input.data(), std::int64_t(x.size()), output.data(), workspace);
  const std::vector<float> got = output.to_host();
  double worst = 0.0;
  float worst_at = 0.0f;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double want = std::tanh(double(x[i]));
    // One ulp of the float nearest the truth, taken on the side towards zero at +-1.
    const float nearest = float(want);
    const double ulp = std::max(std::fabs(double(std::nextafter(nearest, 0.0f)) - nearest),
                                double(std::numeric_limits<float>::denorm_min()));
    const double error = std::fabs(double(got[i]) - want) / ulp;
    if (!(error <= worst)) worst = error, worst_at = x[i];
    if (x[i] != 0.0f) {
      EXPECT_EQ(std::signbit(got[i]), std::signbit(x[i])) << x[i];
    }
  }
  EXPECT_LE(worst, 4.0) << "at x = " << worst_at;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Buffer<float> bad = Buffer<float>::from_host(std::vector<float>{nan}, device());
  mlp.forward(bad.data(), 1, output.data(), workspace);
  EXPECT_TRUE(std::isnan(output.to_host()[0])) << "a NaN input must stay NaN";
}

ADVECT_INSTANTIATE_PER_DEVICE(MlpOnDevice);

// The CPU's block-by-block passes split the points between the threads, and their sums over the
// points in a fixed way: one thread and two give the same bits.
TEST(Mlp, LargeBatchesGiveTheSameBitsOnOneAndTwoThreads) {
  const int batch = 3000;
  const std::vector<float> x = uniform(std::size_t(batch * 3), 8),
                           d_out = uniform(std::size_t(batch * 3), 9);
  const auto pass_on = [&](int threads) {
    const int saved = cpu_thread_count();
    set_cpu_thread_count(threads);
    neural::Mlp mlp(config_of(3, 3, 128, 3, Activation::relu), Device::cpu(), 10);
    std::vector<float> output(x.size()), d_input(x.size());
    neural::MlpWorkspace workspace;
    mlp.forward(x.data(), batch, output.data(), workspace);
    mlp.backward(x.data(), d_out.data(), workspace, d_input.data());
    set_cpu_thread_count(saved);
    std::vector<float> all = mlp.gradients().to_host();
    all.insert(all.end(), output.begin(), output.end());
    all.insert(all.end(), d_input.begin(), d_input.end());
    return all;
  };
  EXPECT_EQ(pass_on(1), pass_on(2));
}

// bf16 products round both operands to 8 significant bits (relative error up to 2^-9) and sum in
// float32: each of the passes' arrays within 1 % of the float64 reference in norm, on a small
// batch (layer by layer) and a large one (block by block).
TEST(Mlp, Bf16PassesStayNearTheReference) {
  MlpConfig config = config_of(3, 3, 64, 2, Activation::tanh);
  config.precision = neural::MatmulPrecision::bf16;
  if (!neural::Blas<Backend::cpu>::supports(config.precision))
    GTEST_SKIP() << "skipped: no bf16 products here (the CPU lacks AVX512-BF16)";
  for (int batch : {100, 2000}) {
    neural::Mlp mlp(config, Device::cpu(), 11);
    const Pass pass = pass_of(mlp, Device::cpu(), batch);
    SCOPED_TRACE(::testing::Message() << "batch " << batch);
    EXPECT_LT(relative_error(pass.output, pass.want.output), 1e-2);
    EXPECT_LT(relative_error(pass.d_parameters, pass.want.d_parameters), 1e-2);
    EXPECT_LT(relative_error(pass.d_input, pass.want.d_input), 1e-2);
  }
}

TEST(Mlp, InitialisationIsSeededAndBounded) {
  MlpConfig config;  // NSFP's shape: 3 -> 8 x 128 ReLU -> 3, PyTorch's default init
  const neural::Mlp a(config, Device::cpu(), 5), b(config, Device::cpu(), 5),
      c(config, Device::cpu(), 6);
  EXPECT_EQ(a.parameter_count(), 3 * 128 + 128 + 7 * (128 * 128 + 128) + 128 * 3 + 3);
  const std::vector<float> pa = a.parameters().to_host();
  EXPECT_EQ(pa, b.parameters().to_host());
  EXPECT_NE(pa, c.parameters().to_host());
  for (std::size_t i = 0; i < 3 * 128 + 128; ++i)
    EXPECT_LE(std::fabs(pa[i]), 1.0f / std::sqrt(3.0f));
  for (std::size_t i = 3 * 128 + 128; i < pa.size(); ++i)
    EXPECT_LE(std::fabs(pa[i]), 1.0f / std::sqrt(128.0f));
}

TEST(Mlp, ConfiguredFromJson) {
  const auto config = MlpConfig::from_json(nlohmann::json::parse(
      R"({"otype": "FullyFusedMLP", "n_input_dims": 4, "n_output_dims": 2, "n_neurons": 64,
          "n_hidden_layers": 3, "activation": "Tanh", "output_activation": "None", "init": "xavier"})"));
  EXPECT_EQ(config.input_dims, 4);
  EXPECT_EQ(config.hidden_width, 64);
  EXPECT_EQ(config.hidden_layers, 3);
  EXPECT_EQ(config.activation, Activation::tanh);
  EXPECT_EQ(config.init, neural::Init::xavier);
  EXPECT_EQ(config.precision, neural::MatmulPrecision::fp32);
  EXPECT_EQ(MlpConfig::from_json(nlohmann::json::parse(R"({"precision": "bf16"})")).precision,
            neural::MatmulPrecision::bf16);
  EXPECT_THROW(MlpConfig::from_json(nlohmann::json::parse(R"({"precision": "fp16"})")),
               std::invalid_argument);
  EXPECT_THROW(MlpConfig::from_json(nlohmann::json::parse(R"({"n_nerons": 4})")),
               std::invalid_argument);
  EXPECT_THROW(MlpConfig::from_json(nlohmann::json::parse(R"({"activation": "Swish"})")),
               std::invalid_argument);
  EXPECT_THROW(MlpConfig::from_json(nlohmann::json::parse(R"({"n_neurons": "wide"})")),
               std::invalid_argument);
}

TEST(Adam, MatchesTheUpdateRuleByHand) {
  // Two steps on three parameters, computed from the published rule with PyTorch's L2 decay.
  for (bool decoupled : {false, true}) {
    neural::AdamOptions options;
    options.learning_rate = 0.1f;
    options.weight_decay = 0.5f;
    options.decoupled_weight_decay = decoupled;
    neural::Adam adam(3, Device::cpu(), options);
    std::vector<float> p = {1.0f, -2.0f, 0.5f};
    const std::vector<std::vector<float>> gradients = {{0.3f, -0.1f, 0.0f}, {-0.2f, 0.4f, 1.0f}};
    std::vector<double> expected(p.begin(), p.end()), m(3, 0.0), v(3, 0.0);
    for (int t = 1; t <= 2; ++t) {
      adam.step(p.data(), gradients[std::size_t(t - 1)].data());
      for (std::size_t i = 0; i < 3; ++i) {
        if (decoupled) expected[i] *= 1.0 - 0.1 * 0.5;
        const double g = gradients[std::size_t(t - 1)][i] + (decoupled ? 0.0 : 0.5 * expected[i]);
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        const double m_hat = m[i] / (1 - std::pow(0.9, t)), v_hat = v[i] / (1 - std::pow(0.999, t));
        expected[i] -= 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8);
      }
      for (std::size_t i = 0; i < 3; ++i)
        EXPECT_NEAR(p[i], expected[i], 1e-5) << "step " << t << " decoupled " << decoupled;
    }
  }
}

}  // namespace
}  // namespace advect::testing
