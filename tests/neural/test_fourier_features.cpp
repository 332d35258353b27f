// Fourier features against their definition, and the backward pass against finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/neural/FourierFeatures.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

class FourierFeaturesOnDevice : public PerDevice {
 protected:
  std::vector<float> encode(const neural::FourierFeatures& e, const std::vector<float>& x) const {
    const auto n = std::int64_t(x.size()) / e.input_dims;
    const Buffer<float> in = Buffer<float>::from_host(x, device());
    Buffer<float> out(std::size_t(n * e.output_dims()), device());
    neural::encode(e, in.data(), out.data(), n, device());
    return out.to_host();
  }
};

TEST_P(FourierFeaturesOnDevice, MatchesTheDefinition) {
  const neural::FourierFeatures e{2, 4, true};
  ASSERT_EQ(e.output_dims(), 2 + 2 * 4 * 2);
  const std::vector<float> x = {0.25f, -0.6f, 1.3f, 0.0f};
  const std::vector<float> y = encode(e, x);
  for (int row = 0; row < 2; ++row) {
    const float* out = y.data() + row * e.output_dims();
    EXPECT_EQ(out[0], x[std::size_t(2 * row)]);
    EXPECT_EQ(out[1], x[std::size_t(2 * row + 1)]);
    for (int l = 0; l < 4; ++l) {
      for (int d = 0; d < 2; ++d) {
        const double angle = std::pow(2.0, l) * std::numbers::pi * x[std::size_t(2 * row + d)];
        EXPECT_NEAR(out[2 + 4 * l + d], std::sin(angle), 1e-6);
        EXPECT_NEAR(out[2 + 4 * l + 2 + d], std::cos(angle), 1e-6);
      }
    }
  }
}

TEST_P(FourierFeaturesOnDevice, BackwardIsTheGradientOfTheEncoding) {
  // L(x) = sum_f w_f gamma_f(x) for random w: dL/dx from encode_backward against central
  // differences.
  const neural::FourierFeatures e{3, 5, true};
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> x(3 * 16), w(std::size_t(16 * e.output_dims()));
  for (float& v : x) v = uniform(rng);
  for (float& v : w) v = uniform(rng);
  const Buffer<float> xs = Buffer<float>::from_host(x, device()),
                      ws = Buffer<float>::from_host(w, device());
  Buffer<float> dx(x.size(), device());
  neural::encode_backward(e, xs.data(), ws.data(), dx.data(), 16, device());
  const std::vector<float> gradient = dx.to_host();
  const auto loss = [&](const std::vector<float>& at) {
    const std::vector<float> y = encode(e, at);
    double sum = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) sum += double(w[i]) * y[i];
    return sum;
  };
  const float h = 1e-3f;
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::vector<float> up = x, down = x;
    up[i] += h;
    down[i] -= h;
    const double numeric = (loss(up) - loss(down)) / double(up[i] - down[i]);
    EXPECT_NEAR(gradient[i], numeric, 1e-2 * std::max(1.0, std::fabs(numeric))) << i;
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(FourierFeaturesOnDevice);

TEST(FourierFeatures, RejectsBadConfigurations) {
  float x = 0, y = 0;
  EXPECT_THROW(neural::encode({0, 4, true}, &x, &y, 1, Device::cpu()), std::invalid_argument);
  EXPECT_THROW(neural::encode({3, 40, true}, &x, &y, 1, Device::cpu()), std::invalid_argument);
}

}  // namespace
}  // namespace advect::testing
