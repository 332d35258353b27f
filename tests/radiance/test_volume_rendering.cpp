// Volume rendering against closed forms (the transmittance of constant and piecewise constant
// densities, the depth of a thin slab and of a thick one) and its backward pass against finite
// differences.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/radiance/VolumeRendering.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// Host description of rays; rendered on the device under test.
struct Rays {
  std::vector<std::int32_t> offsets{0};
  std::vector<float> t, dt, sigma, rgb, background;

  // Samples of a piecewise constant density: segments (length, sigma, colour) from distance a,
  // each cut into `per_segment` equal samples.
  void add(float a, const std::vector<std::array<float, 3>>& segments, int per_segment,
           const std::array<float, 3>& colour, const std::array<float, 3>& back) {
    float start = a;
    for (const auto& [length, density, grey] : segments) {
      const float step = length / float(per_segment);
      for (int k = 0; k < per_segment; ++k) {
        t.push_back(start + (float(k) + 0.5f) * step);
        dt.push_back(step);
        sigma.push_back(density);
        for (int c = 0; c < 3; ++c) rgb.push_back(grey * colour[std::size_t(c)]);
      }
      start += length;
    }
    offsets.push_back(std::int32_t(t.size()));
    background.insert(background.end(), back.begin(), back.end());
  }
  std::int64_t count() const { return std::int64_t(offsets.size()) - 1; }
};

struct Rendered {
  std::vector<float> rgb, depth, opacity;
};

class VolumeRenderingOnDevice : public PerDevice {
 protected:
  Rendered render(const Rays& rays) const {
    const auto offsets = Buffer<std::int32_t>::from_host(rays.offsets, device());
    const auto t = Buffer<float>::from_host(rays.t, device());
    const auto dt = Buffer<float>::from_host(rays.dt, device());
    const auto sigma = Buffer<float>::from_host(rays.sigma, device());
    const auto rgb = Buffer<float>::from_host(rays.rgb, device());
    const auto background = Buffer<float>::from_host(rays.background, device());
    const std::size_t n = std::size_t(rays.count());
    Buffer<float> out_rgb(3 * n, device()), depth(n, device()), opacity(n, device());
    radiance::composite({offsets.data(), t.data(), dt.data(), rays.count()}, sigma.data(),
                        rgb.data(), background.data(),
                        {out_rgb.data(), depth.data(), opacity.data()}, device());
    return {out_rgb.to_host(), depth.to_host(), opacity.to_host()};
  }
};

TEST_P(VolumeRenderingOnDevice, ConstantDensityTransmitsExpOfMinusSigmaLength) {
  Rays rays;
  const float sigma = 0.7f, length = 2.5f;
  rays.add(1.0f, {{length, sigma, 1.0f}}, 100, {0.2f, 0.5f, 0.9f}, {1.0f, 0.0f, 0.5f});
  const Rendered r = render(rays);
  const double transmitted = std::exp(-double(sigma) * length);
  std::printf("constant density: opacity %.7f, closed form 1 - exp(-sigma L) = %.7f\n",
              r.opacity[0], 1.0 - transmitted);
  EXPECT_NEAR(r.opacity[0], 1.0 - transmitted, 2e-6);
  const float colour[3] = {0.2f, 0.5f, 0.9f}, back[3] = {1.0f, 0.0f, 0.5f};
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(r.rgb[std::size_t(c)], colour[c] * (1.0 - transmitted) + back[c] * transmitted,
                2e-6);
  }
}

TEST_P(VolumeRenderingOnDevice, PiecewiseConstantDensityMultipliesTransmittances) {
  Rays rays;
  // Empty, thin fog, empty, denser fog: T = exp(-(0.3 * 1.2 + 2.0 * 0.4)).
  rays.add(0.5f, {{1.0f, 0.0f, 0.0f}, {1.2f, 0.3f, 1.0f}, {0.7f, 0.0f, 0.0f}, {0.4f, 2.0f, 1.0f}},
           37, {1, 1, 1}, {0, 0, 0});
  const Rendered r = render(rays);
  const double expected = 1.0 - std::exp(-(0.3 * 1.2 + 2.0 * 0.4));
  std::printf("piecewise constant density: opacity %.7f, closed form %.7f\n", r.opacity[0],
              expected);
  EXPECT_NEAR(r.opacity[0], expected, 2e-6);
  // Colour 1 where there is density, black background: the colour is the opacity.
  EXPECT_NEAR(r.rgb[0], expected, 2e-6);
}

TEST_P(VolumeRenderingOnDevice, DepthOfSlabsMatchesTheClosedForm) {
  Rays rays;
  // A thin, nearly opaque slab at distance 3: depth 3 (up to its thickness), opacity 1.
  rays.add(0.0f, {{3.0f, 0.0f, 0.0f}, {0.01f, 5000.0f, 1.0f}}, 200, {1, 1, 1}, {0, 0, 0});
  // A thick slab [a, a + L] of density s: the expected termination distance (weights not
  // normalised) is a (1 - e) + (1 - e) / s - L e with e = exp(-s L).
  const float a = 2.0f, length = 1.5f, s = 1.3f;
  rays.add(0.0f, {{a, 0.0f, 0.0f}, {length, s, 1.0f}}, 4000, {1, 1, 1}, {0, 0, 0});
  const Rendered r = render(rays);
  std::printf("thin slab at 3: depth %.5f, opacity %.7f\n", r.depth[0], r.opacity[0]);
  EXPECT_NEAR(r.depth[0], 3.0, 0.01);
  EXPECT_NEAR(r.opacity[0], 1.0, 1e-6);
  const double e = std::exp(-double(s) * length);
  const double expected = a * (1 - e) + (1 - e) / s - length * e;
  std::printf("thick slab: depth %.6f, closed form %.6f\n", r.depth[1], expected);
  EXPECT_NEAR(r.depth[1], expected, 2e-4);
}

TEST_P(VolumeRenderingOnDevice, BackwardMatchesFiniteDifferences) {
  std::mt19937 rng(4);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  Rays rays;
  for (int r = 0; r < 6; ++r) {
    const int n = 1 + r * 3;
    float t = 1.0f;
    for (int k = 0; k < n; ++k) {
      const float step = 0.05f + 0.2f * u(rng);
      rays.t.push_back(t + 0.5f * step);
      rays.dt.push_back(step);
      rays.sigma.push_back(4.0f * u(rng));
      for (int c = 0; c < 3; ++c) rays.rgb.push_back(u(rng));
      t += step;
    }
    rays.offsets.push_back(std::int32_t(rays.t.size()));
    for (int c = 0; c < 3; ++c) rays.background.push_back(u(rng));
  }
  const std::size_t rays_n = std::size_t(rays.count()), n = rays.t.size();
  std::vector<float> w_rgb(3 * rays_n), w_depth(rays_n), w_opacity(rays_n);
  for (float& w : w_rgb) w = u(rng) - 0.5f;
  for (float& w : w_depth) w = u(rng) - 0.5f;
  for (float& w : w_opacity) w = u(rng) - 0.5f;
  const auto loss = [&](const Rays& at) {
    const Rendered r = render(at);
    double sum = 0;
    for (std::size_t i = 0; i < 3 * rays_n; ++i) sum += double(w_rgb[i]) * r.rgb[i];
    for (std::size_t i = 0; i < rays_n; ++i) {
      sum += double(w_depth[i]) * r.depth[i] + double(w_opacity[i]) * r.opacity[i];
    }
    return sum;
  };
  const Rendered rendered = render(rays);
  const auto offsets = Buffer<std::int32_t>::from_host(rays.offsets, device());
  const auto t = Buffer<float>::from_host(rays.t, device());
  const auto dt = Buffer<float>::from_host(rays.dt, device());
  const auto sigma = Buffer<float>::from_host(rays.sigma, device());
  const auto rgb = Buffer<float>::from_host(rays.rgb, device());
  auto out_rgb = Buffer<float>::from_host(rendered.rgb, device());
  auto depth = Buffer<float>::from_host(rendered.depth, device());
  auto opacity = Buffer<float>::from_host(rendered.opacity, device());
  const auto d_rgb = Buffer<float>::from_host(w_rgb, device());
  const auto d_depth = Buffer<float>::from_host(w_depth, device());
  const auto d_opacity = Buffer<float>::from_host(w_opacity, device());
  Buffer<float> d_sigma(n, device()), d_sample_rgb(3 * n, device());
  radiance::composite_backward({offsets.data(), t.data(), dt.data(), rays.count()}, sigma.data(),
                               rgb.data(), {out_rgb.data(), depth.data(), opacity.data()},
                               d_rgb.data(), d_depth.data(), d_opacity.data(), d_sigma.data(),
                               d_sample_rgb.data(), device());
  const std::vector<float> g_sigma = d_sigma.to_host(), g_rgb = d_sample_rgb.to_host();
  for (std::size_t k = 0; k < n; ++k) {
    Rays plus = rays, minus = rays;
    const float h = 1e-2f;
    plus.sigma[k] += h;
    minus.sigma[k] -= h;
    EXPECT_NEAR(g_sigma[k], (loss(plus) - loss(minus)) / (2 * h), 2e-3) << "sigma " << k;
    plus = rays;
    minus = rays;
    plus.rgb[3 * k + 1] += h;
    minus.rgb[3 * k + 1] -= h;
    EXPECT_NEAR(g_rgb[3 * k + 1], (loss(plus) - loss(minus)) / (2 * h), 1e-3) << "rgb " << k;
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(VolumeRenderingOnDevice);

}  // namespace
}  // namespace advect::testing
