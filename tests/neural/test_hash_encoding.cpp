// The hash encoding against a plain reference written from the paper (nested loops over corners,
// doubles), its backward pass against finite differences, and the CPU scatter's independence of
// the thread count.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/neural/HashEncoding.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// Müller et al. 2022, section 3, one point at one level, in doubles.
std::vector<double> reference_features(const neural::HashEncodingConfig& config,
                                       const std::vector<float>& table, const float* x) {
  const std::uint64_t primes[4] = {1u, 2654435761u, 805459861u, 3674653429u};
  const std::uint64_t t = std::uint64_t(1) << config.log2_table_size;
  const int d_count = config.input_dims, f_count = config.features_per_level;
  std::vector<double> out;
  std::uint64_t offset = 0;
  for (int l = 0; l < config.levels; ++l) {
    const auto n_l =
        std::uint64_t(std::floor(config.base_resolution * std::pow(config.per_level_scale, l)));
    std::uint64_t cells[4], vertices = 1;  // per axis: N_l, or the axis's cap where smaller
    for (int d = 0; d < d_count; ++d) {
      const auto cap = std::uint64_t(config.max_resolution[std::size_t(d)]);
      cells[d] = cap > 0 ? std::min(n_l, cap) : n_l;
      vertices *= cells[d] + 1;
    }
    const bool hashed = vertices > t;
    const std::uint64_t entries = hashed ? t : vertices;
    std::vector<double> sum(std::size_t(f_count), 0.0);
    for (int c = 0; c < (1 << d_count); ++c) {
      double weight = 1.0;
      std::uint64_t index = 0, stride = 1;
      std::uint32_t hash = 0;
      for (int d = 0; d < d_count; ++d) {
        const std::uint64_t n = cells[d];
        const double position = std::clamp(double(x[d]), 0.0, 1.0) * double(n);
        const auto lower = std::min<std::uint64_t>(std::uint64_t(position), n - 1);
        const std::uint64_t v = lower + ((c >> d) & 1);
        const double fraction = position - double(lower);
        weight *= (c >> d) & 1 ? fraction : 1.0 - fraction;
        index += v * stride;
        stride *= n + 1;
        hash ^= std::uint32_t(v * primes[d]);
      }
      const std::uint64_t entry = hashed ? hash % t : index;
      for (int f = 0; f < f_count; ++f) {
        sum[std::size_t(f)] +=
            weight * table[offset + entry * std::uint64_t(f_count) + std::uint64_t(f)];
      }
    }
    out.insert(out.end(), sum.begin(), sum.end());
    offset += entries * std::uint64_t(f_count);
  }
  return out;
}

std::vector<float> random_points(int n, int dims, std::uint64_t seed) {
  std::mt19937 rng(static_cast<std::uint32_t>(seed));
  std::uniform_real_distribution<float> u(-0.05f, 1.05f);  // a few outside: clamped
  std::vector<float> x(std::size_t(n * dims));
  for (float& v : x) v = u(rng);
  return x;
}

class HashEncodingOnDevice : public PerDevice {};

TEST_P(HashEncodingOnDevice, MatchesThePlainReferenceIn3And4Dimensions) {
  // The third case caps the last axis (time) at 5 cells: the fine levels are coarser along it.
  for (const int dims : {3, 4, -4}) {
    neural::HashEncodingConfig config;
    if (dims < 0) config.max_resolution = {0, 0, 0, 5};
    config.input_dims = std::abs(dims);
    config.levels = 8;
    config.log2_table_size = 12;  // coarse levels dense, fine levels hashed
    config.base_resolution = 4;
    config.per_level_scale = 1.6;
    neural::HashEncoding encoding(config, device(), 7);
    // Larger values than the initial 1e-4 make interpolation errors visible.
    std::vector<float> table(encoding.parameters().size());
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (float& v : table) v = u(rng);
    encoding.parameters().copy_from_host(table);
    int dense = 0, hashed = 0;
    for (const neural::HashLevel& level : encoding.levels()) (level.hashed ? hashed : dense)++;
    ASSERT_GT(dense, 0);
    ASSERT_GT(hashed, 0);

    const int n = 500;
    const std::vector<float> x = random_points(n, config.input_dims, 11);
    const Buffer<float> in = Buffer<float>::from_host(x, device());
    Buffer<float> out(std::size_t(n * config.output_dims()), device());
    encoding.forward(in.data(), n, out.data());
    const std::vector<float> y = out.to_host();
    for (int i = 0; i < n; ++i) {
      const std::vector<double> expected =
          reference_features(config, table, x.data() + i * config.input_dims);
      for (int k = 0; k < config.output_dims(); ++k) {
        ASSERT_NEAR(y[std::size_t(i * config.output_dims() + k)], expected[std::size_t(k)], 2e-5)
            << "dims " << dims << " point " << i << " feature " << k;
      }
    }
  }
}

TEST_P(HashEncodingOnDevice, BackwardMatchesFiniteDifferences) {
  neural::HashEncodingConfig config;
  config.levels = 4;
  config.features_per_level = 2;
  config.log2_table_size = 8;
  config.base_resolution = 3;
  config.per_level_scale = 2.0;
  neural::HashEncoding encoding(config, device(), 5);
  const int n = 64;
  const std::vector<float> x = random_points(n, 3, 2);
  std::vector<float> upstream(std::size_t(n * config.output_dims()));
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (float& v : upstream) v = u(rng);
  const Buffer<float> in = Buffer<float>::from_host(x, device());
  const Buffer<float> d_out = Buffer<float>::from_host(upstream, device());
  Buffer<float> out(upstream.size(), device());
  // L(theta) = sum(upstream * features(theta)) is linear in theta, so a central difference with
  // any step is exact up to rounding.
  const auto loss = [&] {
    encoding.forward(in.data(), n, out.data());
    const std::vector<float> y = out.to_host();
    double sum = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k) sum += double(y[k]) * upstream[k];
    return sum;
  };
  encoding.zero_gradients();
  encoding.backward(in.data(), d_out.data(), n);
  const std::vector<float> gradient = encoding.gradients().to_host();
  std::vector<float> table = encoding.parameters().to_host();
  int checked_nonzero = 0;
  for (std::size_t p = 0; p < table.size(); p += 7) {
    const float saved = table[p];
    table[p] = saved + 0.5f;
    encoding.parameters().copy_from_host(table);
    const double plus = loss();
    table[p] = saved - 0.5f;
    encoding.parameters().copy_from_host(table);
    const double minus = loss();
    table[p] = saved;
    EXPECT_NEAR(gradient[p], (plus - minus) / 1.0, 1e-3) << "parameter " << p;
    checked_nonzero += gradient[p] != 0.0f;
  }
  encoding.parameters().copy_from_host(table);
  EXPECT_GT(checked_nonzero, 20);
}

// dL/d x for L = sum(upstream * features(x)) against central differences of the double
// reference, in 3 and 4 dimensions with dense and hashed levels. Steps that would cross a cell
// boundary at any level are skipped (the features are only piecewise D-linear); outside the
// cube the gradient along that axis is zero (the input is clamped).
TEST_P(HashEncodingOnDevice, InputGradientMatchesFiniteDifferencesIn3And4Dimensions) {
  for (const int signed_dims : {3, 4, -4}) {  // -4: the last axis capped at 4 cells
    const int dims = std::abs(signed_dims);
    neural::HashEncodingConfig config;
    if (signed_dims < 0) config.max_resolution = {0, 0, 0, 4};
    config.input_dims = dims;
    config.levels = 5;
    config.log2_table_size = 10;
    config.base_resolution = 3;
    config.per_level_scale = 1.8;
    neural::HashEncoding encoding(config, device(), 13);
    std::vector<float> table(encoding.parameters().size());
    std::mt19937 rng(4);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (float& v : table) v = u(rng);
    encoding.parameters().copy_from_host(table);
    const int n = 40;
    std::vector<float> x = random_points(n, dims, 21);
    x[0] = -0.2f;  // clamped along axis 0 of point 0
    std::vector<float> upstream(std::size_t(n * config.output_dims()));
    for (float& v : upstream) v = u(rng);
    const Buffer<float> in = Buffer<float>::from_host(x, device());
    const Buffer<float> d_out = Buffer<float>::from_host(upstream, device());
    Buffer<float> d_in(x.size(), device());
    encoding.input_gradient(in.data(), d_out.data(), n, d_in.data());
    const std::vector<float> gradient = d_in.to_host();
    const auto loss = [&](const float* point, int i) {
      const std::vector<double> f = reference_features(config, table, point);
      double sum = 0.0;
      for (std::size_t k = 0; k < f.size(); ++k) {
        sum += f[k] * upstream[std::size_t(i * config.output_dims()) + k];
      }
      return sum;
    };
    int checked = 0;
    for (int i = 0; i < n; ++i) {
      for (int d = 0; d < dims; ++d) {
        float plus[4], minus[4];
        for (int e = 0; e < dims; ++e) plus[e] = minus[e] = x[std::size_t(i * dims + e)];
        plus[d] += 1e-4f;
        minus[d] -= 1e-4f;
        bool crosses = false;
        for (int l = 0; l < config.levels; ++l) {
          double cells = std::floor(3.0 * std::pow(1.8, l));
          if (config.max_resolution[std::size_t(d)] > 0) {
            cells = std::min(cells, double(config.max_resolution[std::size_t(d)]));
          }
          crosses = crosses || std::floor(std::clamp(plus[d], 0.0f, 1.0f) * cells) !=
                                   std::floor(std::clamp(minus[d], 0.0f, 1.0f) * cells);
        }
        if (crosses) continue;
        const double expected =
            (loss(plus, i) - loss(minus, i)) / (double(plus[d]) - double(minus[d]));
        EXPECT_NEAR(gradient[std::size_t(i * dims + d)], expected,
                    2e-3 * (1.0 + std::abs(expected)))
            << "dims " << dims << " point " << i << " axis " << d;
        ++checked;
      }
    }
    EXPECT_EQ(gradient[0], 0.0f);
    EXPECT_GT(checked, n * dims / 2);
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(HashEncodingOnDevice);

TEST(HashEncoding, CpuGradientsAreTheSameBitsOnOneAndTwoThreads) {
  neural::HashEncodingConfig config;
  config.log2_table_size = 10;
  neural::HashEncoding encoding(config, Device::cpu(), 1);
  const int n = 20000;
  const std::vector<float> x = random_points(n, 3, 4);
  std::vector<float> upstream(std::size_t(n * config.output_dims()), 0.37f);
  const auto gradients_on = [&](int threads) {
    const int saved = cpu_thread_count();
    set_cpu_thread_count(threads);
    encoding.zero_gradients();
    encoding.backward(x.data(), upstream.data(), n);
    set_cpu_thread_count(saved);
    return encoding.gradients().to_host();
  };
  EXPECT_EQ(gradients_on(1), gradients_on(2));
}

TEST(HashEncoding, RefusesBadSettings) {
  neural::HashEncodingConfig config;
  config.input_dims = 5;
  EXPECT_THROW(neural::HashEncoding(config, Device::cpu(), 1), std::invalid_argument);
  EXPECT_THROW(neural::HashEncodingConfig::from_json(nlohmann::json{{"n_levls", 4}}),
               std::invalid_argument);
  const auto parsed = neural::HashEncodingConfig::from_json(
      nlohmann::json{{"otype", "HashGrid"}, {"n_levels", 4}, {"per_level_scale", 2.0}});
  EXPECT_EQ(parsed.levels, 4);
  EXPECT_EQ(parsed.per_level_scale, 2.0);
  const auto capped = neural::HashEncodingConfig::from_json(
      nlohmann::json{{"n_input_dims", 4}, {"max_resolution", {0, 0, 0, 15}}});
  EXPECT_EQ(capped.max_resolution[3], 15);
  EXPECT_THROW(
      neural::HashEncodingConfig::from_json(nlohmann::json{{"max_resolution", {0, 0, 0, 0, 1}}}),
      std::invalid_argument);
  config.input_dims = 4;
  config.max_resolution = {0, 0, 0, -1};
  EXPECT_THROW(neural::HashEncoding(config, Device::cpu(), 1), std::invalid_argument);
  config.input_dims = 3;  // a cap on a fourth axis the grid does not have
  config.max_resolution = {0, 0, 0, 15};
  EXPECT_THROW(neural::HashEncoding(config, Device::cpu(), 1), std::invalid_argument);
}

TEST(HashEncoding, CappedAxisHasAtMostItsCapCellsOnEveryLevel) {
  neural::HashEncodingConfig config;
  config.input_dims = 4;
  config.levels = 6;
  config.base_resolution = 4;
  config.per_level_scale = 2.0;  // 4, 8, ..., 128
  config.log2_table_size = 20;
  config.max_resolution = {0, 0, 0, 15};
  const neural::HashEncoding encoding(config, Device::cpu(), 1);
  for (int l = 0; l < config.levels; ++l) {
    const neural::HashLevel& level = encoding.levels()[std::size_t(l)];
    const std::uint32_t n = 4u << l;
    EXPECT_EQ(level.resolution[0], n);
    EXPECT_EQ(level.resolution[2], n);
    EXPECT_EQ(level.resolution[3], std::min(n, 15u));
    // (n + 1)^3 (min(n, 15) + 1) vertices: levels 0-3 fit in 2^20 entries (level 3 only thanks
    // to the cap: 33^4 would not), level 4's 65^3 x 16 do not.
    EXPECT_EQ(level.hashed, l > 3) << "level " << l;
  }
}

}  // namespace
}  // namespace advect::testing
