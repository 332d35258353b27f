// The distance transform against brute force at every cell centre, and its lookup and gradient.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/geometry/DistanceField.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

std::vector<float> random_points(int n, unsigned seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> points(std::size_t(3 * n));
  for (float& v : points) v = u(rng);
  return points;
}

geometry::DistanceFieldOptions options_with(float cell, float padding) {
  geometry::DistanceFieldOptions options;
  options.cell = cell;
  options.padding = padding;
  return options;
}

class DistanceFieldOnDevice : public PerDevice {
 protected:
  std::vector<float> evaluate(const geometry::DistanceField& field,
                              const std::vector<float>& points,
                              std::vector<float>* gradient = nullptr) const {
    const Buffer<float> p = Buffer<float>::from_host(points, device());
    Buffer<float> d(points.size() / 3, device()), g(points.size(), device());
    field.evaluate(p.data(), std::int64_t(points.size() / 3), d.data(),
                   gradient ? g.data() : nullptr);
    if (gradient != nullptr) *gradient = g.to_host();
    return d.to_host();
  }
};

TEST_P(DistanceFieldOnDevice, EqualsBruteForceAtEveryCellCentre) {
  const std::vector<float> target = random_points(25, 3, -1.0f, 1.5f);
  geometry::DistanceFieldOptions options;
  options.cell = 0.1f;
  options.padding = 0.3f;
  const Buffer<float> t = Buffer<float>::from_host(target, device());
  const geometry::DistanceField field(t.data(), 25, device(), options);
  const geometry::DistanceGridView& g = field.view();
  // Sites: the voxels of the target points (the definition the transform works on).
  std::vector<std::array<int, 3>> sites;
  for (std::size_t i = 0; i < target.size(); i += 3) {
    std::array<int, 3> c;
    for (int d = 0; d < 3; ++d)
      c[std::size_t(d)] = int(std::floor((target[i + std::size_t(d)] - g.origin[d]) / g.cell));
    sites.push_back(c);
  }
  const std::vector<float> squared = field.squared_cell_distances().to_host();
  ASSERT_EQ(squared.size(),
            std::size_t(g.dims[0]) * std::size_t(g.dims[1]) * std::size_t(g.dims[2]));
  std::size_t index = 0, mismatches = 0;
  for (int k = 0; k < g.dims[2]; ++k) {
    for (int j = 0; j < g.dims[1]; ++j) {
      for (int i = 0; i < g.dims[0]; ++i, ++index) {
        int best = 1 << 30;
        for (const auto& s : sites) {
          best = std::min(
              best, (i - s[0]) * (i - s[0]) + (j - s[1]) * (j - s[1]) + (k - s[2]) * (k - s[2]));
        }
        mismatches += squared[index] != float(best);
      }
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << index << " cells";
}

TEST_P(DistanceFieldOnDevice, LookupInterpolatesAndItsGradientIsExact) {
  const std::vector<float> target = random_points(40, 4, -2.0f, 2.0f);
  const Buffer<float> t = Buffer<float>::from_host(target, device());
  const geometry::DistanceField field(t.data(), 40, device(), options_with(0.2f, 0.5f));
  const geometry::DistanceGridView& g = field.view();
  // At a cell centre the lookup is the stored distance.
  const std::vector<float> squared = field.squared_cell_distances().to_host();
  const std::vector<float> centre = {g.origin[0] + 3.5f * g.cell, g.origin[1] + 5.5f * g.cell,
                                     g.origin[2] + 2.5f * g.cell};
  const std::size_t index =
      (std::size_t(2) * std::size_t(g.dims[1]) + 5) * std::size_t(g.dims[0]) + 3;
  EXPECT_NEAR(evaluate(field, centre)[0], std::sqrt(squared[index]) * g.cell, 1e-5);
  // Inside the grid the gradient is that of the trilinear interpolant.
  const std::vector<float> queries = random_points(30, 5, -1.5f, 1.5f);
  std::vector<float> gradient;
  evaluate(field, queries, &gradient);
  const float h = 1e-3f;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    // The interpolant has kinks on the planes through cell centres: keep the differences off them.
    const float u = (queries[i] - g.origin[i % 3]) / g.cell - 0.5f;
    if (std::fabs(u - std::round(u)) < 2.0f * h / g.cell) continue;
    std::vector<float> up = queries, down = queries;
    up[i] += h;
    down[i] -= h;
    const double numeric = (double(evaluate(field, up)[i / 3]) - evaluate(field, down)[i / 3]) /
                           double(up[i] - down[i]);
    EXPECT_NEAR(gradient[i], numeric, 2e-2) << i;
  }
}

TEST_P(DistanceFieldOnDevice, EscapingPointsPayTheirDistanceToTheGrid) {
  const std::vector<float> target = {0.0f, 0.0f, 0.0f, 0.5f, 0.0f, 0.0f};
  const Buffer<float> t = Buffer<float>::from_host(target, device());
  const geometry::DistanceField field(t.data(), 2, device(), options_with(0.1f, 0.5f));
  std::vector<float> gradient;
  const std::vector<float> d =
      evaluate(field, {50.0f, 0.05f, 0.05f, 0.25f, -30.0f, 0.05f}, &gradient);
  EXPECT_NEAR(d[0], 49.5f, 0.1f);  // nearest target point at x = 0.5
  EXPECT_NEAR(gradient[0], 1.0f, 1e-3f);
  EXPECT_NEAR(d[1], 30.0f, 0.15f);
  EXPECT_NEAR(gradient[4], -1.0f, 1e-3f);
}

TEST_P(DistanceFieldOnDevice, ApproximatesTrueNearestDistanceWithinACellDiagonal) {
  const std::vector<float> target = random_points(300, 6, -3.0f, 3.0f);
  const Buffer<float> t = Buffer<float>::from_host(target, device());
  const float cell = 0.1f;
  const geometry::DistanceField field(t.data(), 300, device(), options_with(cell, 1.0f));
  const std::vector<float> queries = random_points(200, 7, -3.5f, 3.5f);
  const std::vector<float> d = evaluate(field, queries);
  for (std::size_t q = 0; q < d.size(); ++q) {
    float best = INFINITY;
    for (std::size_t i = 0; i < target.size(); i += 3) {
      best =
          std::min(best, std::hypot(target[i] - queries[3 * q], target[i + 1] - queries[3 * q + 1],
                                    target[i + 2] - queries[3 * q + 2]));
    }
    EXPECT_NEAR(d[q], best, std::sqrt(3.0f) * cell) << q;
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(DistanceFieldOnDevice);

TEST(DistanceFieldMemory, GrowsTheCellToStayWithinTheBudget) {
  const std::vector<float> target = {0, 0, 0, 100, 100, 10};
  geometry::DistanceFieldOptions options;
  options.max_cells = 100000;
  const geometry::DistanceField field(target.data(), 2, Device::cpu(), options);
  const auto& g = field.view();
  EXPECT_LE(std::int64_t(g.dims[0]) * g.dims[1] * g.dims[2], options.max_cells);
  EXPECT_GT(g.cell, 0.1f);
}

}  // namespace
}  // namespace advect::testing
