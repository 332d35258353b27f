// Ray marching through the occupancy grid: sample positions and spacing against the ray-box
// geometry, and empty cells skipped after an update.
#include <gtest/gtest.h>

#include <cmath>

#include "advect/engine/Buffer.h"
#include "advect/radiance/OccupancyGrid.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

class OccupancyGridOnDevice : public PerDevice {};

TEST_P(OccupancyGridOnDevice, MarchesEvenlyThroughTheBoxAndSkipsEmptyCells) {
  radiance::SceneBox box;  // [-1.5, 1.5]^3
  radiance::OccupancyGrid grid(box, 4, device());
  EXPECT_EQ(grid.occupied_fraction(), 1.0);
  // Two rays: along +x through the centre from x = -5, and one that misses the box.
  const std::vector<float> origins = {-5, 0.1f, 0.2f, -5, 4, 0};
  const std::vector<float> directions = {1, 0, 0, 1, 0, 0};
  const auto o = Buffer<float>::from_host(origins, device());
  const auto d = Buffer<float>::from_host(directions, device());
  radiance::RaySamples samples;
  const float step = 0.01f;
  radiance::MarchOptions options{step, 1024, false, 0};
  const std::int64_t n = grid.march(o.data(), d.data(), 2, options, samples);
  EXPECT_EQ(n, 300);  // box chord 3 / step 0.01, first sample half a step in
  const auto offsets = samples.offsets.to_host();
  EXPECT_EQ(offsets[1], 300);
  EXPECT_EQ(offsets[2], 300);
  const auto t = samples.t.to_host();
  const auto positions = samples.positions.to_host();
  for (std::int64_t k = 0; k < n; ++k) {
    const double expected_t = 3.5 + (double(k) + 0.5) * step;
    ASSERT_NEAR(t[std::size_t(k)], expected_t, 2e-4);
    EXPECT_NEAR(positions[std::size_t(3 * k)], (-5.0 + expected_t + 1.5) / 3.0, 1e-4);
    EXPECT_NEAR(positions[std::size_t(3 * k + 1)], (0.1 + 1.5) / 3.0, 1e-6);
  }
  // Density only in the cells with x index 2 (x in [0, 0.75)): after the update the same ray
  // keeps the 75 samples there.
  std::vector<float> sigma(std::size_t(grid.cells()), 0.0f);
  for (std::int64_t c = 0; c < grid.cells(); ++c) {
    if (c % 4 == 2) sigma[std::size_t(c)] = 50.0f;
  }
  const auto s = Buffer<float>::from_host(sigma, device());
  grid.update(s.data(), 0.0f, 1.0f);
  EXPECT_NEAR(grid.occupied_fraction(), 0.25, 1e-12);
  EXPECT_EQ(grid.march(o.data(), d.data(), 2, options, samples), 75);
  const auto kept = samples.t.to_host();
  for (int k = 0; k < 75; ++k) {
    EXPECT_GE(kept[std::size_t(k)], 5.0f - 1e-4f);
    EXPECT_LE(kept[std::size_t(k)], 5.75f + 1e-4f);
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(OccupancyGridOnDevice);

}  // namespace
}  // namespace advect::testing
