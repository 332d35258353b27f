// The component model: models made from JSON documents, checked against finite differences, the
// standalone parts they are made of, the definitions of the losses, the update rule of Adam, and a
// function they must learn.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>

#include "advect/neural/Adam.h"
#include "advect/neural/Components.h"
#include "advect/neural/ExponentialDecay.h"
#include "advect/neural/HashEncoding.h"
#include "advect/neural/Mlp.h"
#include "advect/neural/NetworkWithEncoding.h"
#include "advect/neural/Trainer.h"
#include "support/CentralDifference.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using neural::GradientMode;
using neural::NetworkWithEncoding;
using nlohmann::json;

std::vector<float> uniform(std::size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> draw(lo, hi);
  std::vector<float> values(n);
  for (float& v : values) v = draw(rng);
  return values;
}

class Components : public PerDevice {};

// L = sum(weights * model(x)): its analytic gradients against central differences, for the
// parameters (both parts) and, where the encoding has one, the input.
void check_gradients(NetworkWithEncoding& model, const Device& device, bool input_gradient) {
  const std::int64_t n = 6;
  const int in = model.input_dims(), out = model.output_dims();
  const auto x_host = uniform(std::size_t(n * in), 0.05f, 0.95f, 1);
  const auto w_host = uniform(std::size_t(n * out), -1.0f, 1.0f, 2);
  Buffer<float> x = Buffer<float>::from_host(x_host, device);
  const Buffer<float> w = Buffer<float>::from_host(w_host, device);
  Buffer<float> y(std::size_t(n * out), device), d_x(std::size_t(n * in), device);
  const auto loss = [&] {
    model.forward(x.data(), n, y.data());
    const auto values = y.to_host();
    double sum = 0;
    for (std::size_t i = 0; i < values.size(); ++i) sum += double(w_host[i]) * values[i];
    return sum;
  };
  auto context = model.forward(x.data(), n, y.data());
  model.backward(*context, x.data(), w.data(), input_gradient ? d_x.data() : nullptr,
                 GradientMode::overwrite);
  const auto analytic = model.gradients().to_host();
  const auto central = [&](BufferView<float> values, std::size_t i, float h) {
    return central_difference(values, i, h, loss);
  };
  // Every network parameter, and a spread of the encoding's (most hash entries are never hit).
  const std::size_t count = analytic.size();
  const std::size_t network = std::size_t(model.network_parameter_count());
  int checked = 0;
  for (std::size_t i = 0; i < count; i += i < network ? 1 : 7) {
    if (i >= network && analytic[i] == 0.0f) continue;
    EXPECT_NEAR(analytic[i], central(model.parameters(), i, 1e-2f),
                3e-3 * (1 + std::abs(analytic[i])))
        << "parameter " << i << (i < network ? " (network)" : " (encoding)");
    ++checked;
  }
  if (count > network) {
    EXPECT_GT(checked, int(network));  // encoding parameters were checked too
  }
  if (input_gradient) {
    const auto d_input = d_x.to_host();
    for (std::size_t i = 0; i < d_input.size(); ++i) {
      EXPECT_NEAR(d_input[i], central(x, i, 1e-3f), 3e-3 * (1 + std::abs(d_input[i])))
          << "input " << i;
    }
  }
}

TEST_P(Components, HashGridModelGradientsMatchFiniteDifferences) {
  const json config = {{"encoding",
                        {{"otype", "HashGrid"},
                         {"n_levels", 3},
                         {"n_features_per_level", 2},
                         {"log2_hashmap_size", 6},
                         {"base_resolution", 2},
                         {"per_level_scale", 2.0}}},
                       {"network",
                        {{"otype", "FullyFusedMLP"},
                         {"n_neurons", 8},
                         {"n_hidden_layers", 2},
                         {"activation", "Tanh"},
                         {"output_activation", "None"}}}};
  auto model = NetworkWithEncoding::from_json(config, 3, 2, device(), 7);
  // The paper's 1e-4 initial tables would make every table gradient tiny; spread them.
  auto table = uniform(std::size_t(model->encoding().parameter_count()), -1.0f, 1.0f, 3);
  model->encoding().parameters().copy_from_host(table);
  check_gradients(*model, device(), false);
}

TEST_P(Components, FrequencyModelGradientsMatchFiniteDifferencesIncludingTheInput) {
  const json config = {
      {"encoding", {{"otype", "Frequency"}, {"n_frequencies", 2}, {"include_input", true}}},
      {"network",
       {{"otype", "MLP"}, {"n_neurons", 8}, {"n_hidden_layers", 1}, {"activation", "Tanh"}}}};
  auto model = NetworkWithEncoding::from_json(config, 2, 3, device(), 11);
  EXPECT_EQ(model->encoding().output_dims(), 2 + 2 * 2 * 2);
  EXPECT_EQ(model->encoding().parameter_count(), 0);
  check_gradients(*model, device(), true);
}

TEST_P(Components, ModelIsItsPartsWithTheirParametersInOneBuffer) {
  const json encoding = {{"otype", "HashGrid"},
                         {"n_levels", 4},
                         {"log2_hashmap_size", 8},
                         {"base_resolution", 4},
                         {"per_level_scale", 1.5}};
  const json network = {{"otype", "CutlassMLP"}, {"n_neurons", 16}, {"n_hidden_layers", 2}};
  auto model = NetworkWithEncoding::from_json({{"encoding", encoding}, {"network", network}}, 3, 4,
                                              device(), 5);
  // The same parts on their own, from the same seeds (network: seed, encoding: seed + 1).
  const neural::HashEncoding hash(neural::HashEncodingConfig::from_json(encoding), device(), 6);
  neural::MlpConfig mlp_config = neural::MlpConfig::from_json(network);
  mlp_config.input_dims = hash.output_dims();
  mlp_config.output_dims = 4;
  const neural::Mlp mlp(mlp_config, device(), 5);
  ASSERT_EQ(model->parameter_count(), mlp.parameter_count() + hash.parameter_count());
  ASSERT_EQ(model->network_parameter_count(), mlp.parameter_count());

  auto expected = mlp.parameters().to_host();
  const auto tables = hash.parameters().to_host();
  expected.insert(expected.end(), tables.begin(), tables.end());
  EXPECT_EQ(model->parameters().to_host(), expected);

  const std::int64_t n = 100;
  const Buffer<float> x = Buffer<float>::from_host(uniform(3 * n, 0.0f, 1.0f, 9), device());
  Buffer<float> features(std::size_t(n * hash.output_dims()), device());
  Buffer<float> y_model(std::size_t(4 * n), device()), y_parts(std::size_t(4 * n), device());
  model->forward(x.data(), n, y_model.data());
  hash.forward(x.data(), n, features.data());
  neural::MlpWorkspace workspace;
  mlp.forward(features.data(), n, y_parts.data(), workspace);
  EXPECT_EQ(y_model.to_host(), y_parts.to_host());

  // The parts read the model's buffer: all zero parameters give all zero outputs.
  model->parameters().copy_from_host(std::vector<float>(expected.size(), 0.0f));
  model->forward(x.data(), n, y_model.data());
  EXPECT_EQ(y_model.to_host(), std::vector<float>(std::size_t(4 * n), 0.0f));
}

TEST_P(Components, AccumulatedGradientsAreTheSumOfTwoBatches) {
  auto model = NetworkWithEncoding::from_json(
      {{"encoding", {{"otype", "HashGrid"}, {"n_levels", 2}, {"log2_hashmap_size", 6}}},
       {"network", {{"otype", "MLP"}, {"n_neurons", 8}, {"n_hidden_layers", 1}}}},
      3, 1, device(), 3);
  const std::int64_t n = 32;
  const Buffer<float> a = Buffer<float>::from_host(uniform(3 * n, 0.0f, 1.0f, 1), device());
  const Buffer<float> b = Buffer<float>::from_host(uniform(3 * n, 0.0f, 1.0f, 2), device());
  const Buffer<float> ones = Buffer<float>::from_host(std::vector<float>(n, 1.0f), device());
  Buffer<float> y(std::size_t(n), device());
  const auto gradient = [&](const Buffer<float>& x, GradientMode mode) {
    auto context = model->forward(x.data(), n, y.data());
    model->backward(*context, x.data(), ones.data(), nullptr, mode);
    return model->gradients().to_host();
  };
  const auto ga = gradient(a, GradientMode::overwrite);
  const auto gb = gradient(b, GradientMode::overwrite);
  gradient(a, GradientMode::overwrite);
  const auto sum = gradient(b, GradientMode::accumulate);
  for (std::size_t i = 0; i < sum.size(); ++i) {
    EXPECT_NEAR(sum[i], ga[i] + gb[i], 1e-5 * (1 + std::abs(ga[i]) + std::abs(gb[i]))) << i;
  }
}

TEST_P(Components, LossesMatchTheirDefinitionsAndTheirGradientsTheirValues) {
  const std::vector<float> ps = {0.5f, -1.25f, 2.0f, 0.03f, -0.4f, 1.5f};
  const std::vector<float> ys = {0.0f, 0.75f, 2.5f, 0.0f, -0.35f, -0.5f};
  const Buffer<float> pred = Buffer<float>::from_host(ps, device());
  const Buffer<float> target = Buffer<float>::from_host(ys, device());
  Buffer<float> grad(ps.size(), device());
  struct Case {
    const char* otype;
    double (*value)(double p, double y);
  };
  const Case cases[] = {
      {"L2", [](double p, double y) { return (p - y) * (p - y); }},
      {"L1", [](double p, double y) { return std::abs(p - y); }},
      {"RelativeL2", [](double p, double y) { return (p - y) * (p - y) / (p * p + 0.01); }},
      {"Huber",
       [](double p, double y) {
         const double e = std::abs(p - y);
         return e < 0.1 ? 0.5 * e * e / 0.1 : e - 0.05;
       }},
  };
  for (const Case& c : cases) {
    const auto loss = neural::create_loss({{"otype", c.otype}});
    EXPECT_EQ(loss->name(), c.otype);
    double expected = 0;
    for (std::size_t i = 0; i < ps.size(); ++i) expected += c.value(ps[i], ys[i]);
    expected /= double(ps.size());
    // 2 rows of 3 values.
    EXPECT_NEAR(loss->evaluate(pred.data(), target.data(), 2, 3, grad.data(), device()), expected,
                1e-6 * (1 + expected))
        << c.otype;
    const auto g = grad.to_host();
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (std::string(c.otype) == "RelativeL2") {
        // The denominator is held constant: the gradient is 2 (p - y) / (p^2 + 0.01) / N.
        EXPECT_NEAR(g[i], 2.0 * (ps[i] - ys[i]) / (ps[i] * ps[i] + 0.01) / 6.0, 1e-5) << i;
        continue;
      }
      const double h = 1e-4;
      const double slope = (c.value(ps[i] + h, ys[i]) - c.value(ps[i] - h, ys[i])) / (2 * h) / 6.0;
      EXPECT_NEAR(g[i], slope, 1e-5) << c.otype << " value " << i;
    }
  }
}

TEST_P(Components, ExponentialDecayShowsInTheSizeOfAdamsSteps) {
  // With a constant gradient every Adam step moves a parameter by exactly the learning rate.
  const json config = {{"otype", "ExponentialDecay"},
                       {"decay_base", 0.5},
                       {"decay_start", 2},
                       {"decay_interval", 2},
                       {"decay_end", 4},
                       {"nested", {{"otype", "Adam"}, {"learning_rate", 0.25}, {"epsilon", 0.0}}}};
  const auto optimiser = neural::create_optimizer(config, 1, 1, device());
  Buffer<float> p = Buffer<float>::from_host(std::vector<float>{0.0f}, device());
  const Buffer<float> g = Buffer<float>::from_host(std::vector<float>{-3.0f}, device());
  const double expected[] = {0.25, 0.25, 0.125, 0.125, 0.0625, 0.0625, 0.0625};
  float before = 0.0f;
  for (double step : expected) {
    optimiser->step(p.data(), g.data());
    const float after = p.to_host()[0];
    EXPECT_NEAR(after - before, step, 1e-6) << "update " << optimiser->steps();
    before = after;
  }
}

TEST_P(Components, AdamWeightDecayCoversOnlyTheRegularisedParameters) {
  const auto optimiser = neural::create_optimizer(
      {{"otype", "Adam"}, {"learning_rate", 0.1}, {"l2_reg", 0.5}}, 3, 2, device());
  Buffer<float> p = Buffer<float>::from_host(std::vector<float>{1.0f, -2.0f, 1.0f}, device());
  const Buffer<float> zero = Buffer<float>::from_host(std::vector<float>(3, 0.0f), device());
  optimiser->step(p.data(), zero.data());
  // Regularised: the gradient is 0.5 p, so the first step moves by the rate against sign(p).
  const auto values = p.to_host();
  EXPECT_NEAR(values[0], 0.9f, 1e-6);
  EXPECT_NEAR(values[1], -1.9f, 1e-6);
  EXPECT_EQ(values[2], 1.0f);
}

TEST_P(Components, TrainerLearnsAFunctionFromOneJsonDocument) {
  const json config = {
      {"encoding",
       {{"otype", "HashGrid"},
        {"n_levels", 8},
        {"n_features_per_level", 2},
        {"log2_hashmap_size", 12},
        {"base_resolution", 4},
        {"per_level_scale", 1.5}}},
      {"network",
       {{"otype", "FullyFusedMLP"},
        {"n_neurons", 32},
        {"n_hidden_layers", 2},
        {"activation", "ReLU"},
        {"output_activation", "None"}}},
      {"loss", {{"otype", "L2"}}},
      {"optimizer",
       {{"otype", "ExponentialDecay"},
        {"decay_start", 400},
        {"decay_interval", 100},
        {"decay_base", 0.5},
        {"nested",
         {{"otype", "Adam"}, {"learning_rate", 1e-2}, {"beta2", 0.99}, {"epsilon", 1e-15}}}}}};
  neural::Trainer trainer(config, 2, 1, device(), 1);
  const auto f = [](double x, double y) {
    return 0.5 + 0.4 * std::sin(2 * std::numbers::pi * x) * std::cos(3 * std::numbers::pi * y);
  };
  const std::int64_t batch = 1024;
  std::mt19937 rng(4);
  std::uniform_real_distribution<float> draw(0.0f, 1.0f);
  std::vector<float> x(2 * batch), t(batch);
  Buffer<float> xs(x.size(), device()), ts(t.size(), device());
  double first = 0, last = 0;
  for (int step = 0; step < 600; ++step) {
    for (std::int64_t i = 0; i < batch; ++i) {
      x[2 * i] = draw(rng);
      x[2 * i + 1] = draw(rng);
      t[i] = float(f(x[2 * i], x[2 * i + 1]));
    }
    xs.copy_from_host(x);
    ts.copy_from_host(t);
    last = trainer.step(xs.data(), ts.data(), batch);
    if (step == 0) first = last;
  }
  // Held-out points on a grid.
  const int side = 64;
  std::vector<float> grid(2 * side * side);
  for (int j = 0; j < side; ++j) {
    for (int i = 0; i < side; ++i) {
      grid[2 * (j * side + i)] = (i + 0.5f) / side;
      grid[2 * (j * side + i) + 1] = (j + 0.5f) / side;
    }
  }
  const Buffer<float> gx = Buffer<float>::from_host(grid, device());
  Buffer<float> gy(std::size_t(side * side), device());
  trainer.predict(gx.data(), side * side, gy.data());
  const auto predicted = gy.to_host();
  double squared = 0;
  for (int k = 0; k < side * side; ++k) {
    squared += std::pow(predicted[std::size_t(k)] - f(grid[2 * k], grid[2 * k + 1]), 2);
  }
  const double rmse = std::sqrt(squared / (side * side));
  std::printf("[          ] trainer: loss %.3g -> %.3g, held-out RMSE %.4f (signal std 0.2)\n",
              first, last, rmse);
  EXPECT_LT(rmse, 0.005);
  EXPECT_EQ(trainer.optimizer().steps(), 600);
  EXPECT_NEAR(trainer.optimizer().learning_rate(), 1e-2 * std::pow(0.5, 2), 1e-9);
}

ADVECT_INSTANTIATE_PER_DEVICE(Components);

TEST(ComponentFactories, RefuseBadDocumentsNamingTheProblem) {
  const Device cpu = Device::cpu();
  const auto refuses = [](auto make, const std::string& words) {
    try {
      make();
      ADD_FAILURE() << "accepted; expected an error mentioning '" << words << "'";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
  };
  refuses([&] { neural::create_encoding({{"otype", "Wavelet"}}, 3, cpu, 0); }, "'Wavelet'");
  refuses([&] { neural::create_encoding({{"n_levels", 4}}, 3, cpu, 0); }, "otype");
  refuses(
      [&] {
        neural::create_encoding({{"otype", "HashGrid"}, {"n_level", 4}}, 3, cpu, 0);
      },
      "'n_level'");
  refuses(
      [&] {
        neural::create_encoding({{"otype", "HashGrid"}, {"n_levels", "many"}}, 3, cpu, 0);
      },
      "hash encoding");
  refuses(
      [&] {
        neural::create_encoding({{"otype", "HashGrid"}, {"n_input_dims", 4}}, 3, cpu, 0);
      },
      "n_input_dims");
  refuses(
      [&] {
        neural::create_encoding({{"otype", "SphericalHarmonics"}, {"degree", 3}}, 3, cpu, 0);
      },
      "degree 4");
  refuses([&] { neural::create_network({{"otype", "ResNet"}}, 3, 1, cpu, 0); }, "'ResNet'");
  refuses(
      [&] {
        neural::create_network({{"otype", "MLP"}, {"n_neurons", -4}}, 3, 1, cpu, 0);
      },
      "positive");
  refuses([&] { neural::create_loss({{"otype", "L3"}}); }, "'L3'");
  refuses([&] { neural::create_loss({{"otype", "Huber"}, {"delta", 0}}); }, "delta");
  refuses(
      [&] {
        neural::create_optimizer({{"otype", "Adam"}, {"beta1", 1.5}}, 4, 4, cpu);
      },
      "beta1");
  refuses(
      [&] {
        neural::create_optimizer({{"otype", "Adam"}, {"adabound", true}}, 4, 4, cpu);
      },
      "'adabound'");
  refuses([&] { neural::create_optimizer({{"otype", "ExponentialDecay"}}, 4, 4, cpu); }, "nested");
  refuses(
      [&] {
        NetworkWithEncoding::from_json({{"encoding", {{"otype", "Identity"}}}}, 3, 1, cpu, 0);
      },
      "\"network\"");
}

TEST(ComponentFactories, EncodingsWithoutAnInputGradientSaySo) {
  const Device cpu = Device::cpu();
  for (const char* otype : {"SphericalHarmonics"}) {
    auto encoding = neural::create_encoding({{"otype", otype}}, 3, cpu, 0);
    std::vector<float> x = {0.0f, 0.0f, 1.0f}, y(std::size_t(encoding->output_dims()));
    std::vector<float> dy(y.size(), 1.0f), dx(3);
    auto context = encoding->forward(x.data(), 1, y.data());
    EXPECT_THROW(
        encoding->backward(*context, x.data(), dy.data(), dx.data(), GradientMode::overwrite),
        std::logic_error)
        << otype;
  }
}

}  // namespace
}  // namespace advect::testing
