// Chamfer distance: a hand-computed case, the published reference values on a real lidar pair,
// and the gradient against finite differences.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/geometry/Chamfer.h"
#include "advect/io/Npy.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using geometry::ChamferDirection;
using geometry::ChamferOptions;

class ChamferOnDevice : public PerDevice {
 protected:
  geometry::ChamferValue chamfer(const std::vector<float>& moving, const std::vector<float>& target,
                                 const ChamferOptions& options,
                                 std::vector<float>* gradient = nullptr) const {
    const Buffer<float> a = Buffer<float>::from_host(moving, device());
    const Buffer<float> b = Buffer<float>::from_host(target, device());
    const geometry::Chamfer distance(b.data(), std::int64_t(target.size() / 3), device(), options);
    Buffer<float> g(moving.size(), device());
    const auto value =
        distance.evaluate(a.data(), std::int64_t(moving.size() / 3), gradient ? g.data() : nullptr);
    if (gradient != nullptr) *gradient = g.to_host();
    return value;
  }
};

TEST_P(ChamferOnDevice, HandComputedCase) {
  // a = {(0,0,0), (10,0,0)}, b = {(1,0,0)}: a->b squared distances 1 and 81, b->a 1.
  const std::vector<float> a = {0, 0, 0, 10, 0, 0}, b = {1, 0, 0};
  EXPECT_DOUBLE_EQ(chamfer(a, b, {}).total(), 41.0 + 1.0);
  EXPECT_DOUBLE_EQ(chamfer(a, b, {false}).total(), 5.0 + 1.0);
  EXPECT_DOUBLE_EQ(chamfer(a, b, {true, 2.0f}).total(), 0.5 + 1.0);        // 81 >= 2 counts as 0
  EXPECT_DOUBLE_EQ(chamfer(a, b, {true, 2.0f, true}).total(), 1.5 + 1.0);  // ... or as 2 (clamped)
  EXPECT_DOUBLE_EQ(
      chamfer(a, b, {true, INFINITY, false, ChamferDirection::moving_to_target}).total(), 41.0);
  EXPECT_DOUBLE_EQ(
      chamfer(a, b, {true, INFINITY, false, ChamferDirection::target_to_moving}).total(), 1.0);
  std::vector<float> gradient;
  chamfer(a, b, {}, &gradient);
  // d/da0: (2/2)(0-1) from a->b, plus (2/1)(0-1) from b->a; d/da1: (2/2)(10-1).
  EXPECT_FLOAT_EQ(gradient[0], -3.0f);
  EXPECT_FLOAT_EQ(gradient[3], 9.0f);
}

std::vector<float> xyz_of(const std::filesystem::path& path) {
  const io::NpyArray array = io::read_npy(path);
  const std::vector<float> values = array.values<float>();
  const std::size_t columns = array.shape[1];
  std::vector<float> xyz;
  for (std::size_t i = 0; i < array.shape[0]; ++i)
    xyz.insert(xyz.end(), &values[i * columns], &values[i * columns + 3]);
  return xyz;
}

TEST_P(ChamferOnDevice, ReproducesTheReferenceValuesOnARealLidarPair) {
  const std::filesystem::path pair = std::filesystem::path(ADVECT_SOURCE_DIR) /
                                     "../shared/sceneflow/av2_chamfer_bench_pair_opensceneflow";
  if (!std::filesystem::exists(pair / "test_pc0.npy"))
    GTEST_SKIP() << "reference pair not found at " << pair;
  const std::vector<float> pc0 = xyz_of(pair / "test_pc0.npy"), pc1 = xyz_of(pair / "test_pc1.npy");
  // Values from ../shared/sceneflow/av2_chamfer_bench_pair_opensceneflow/SOURCE.txt (scipy,
  // float64).
  EXPECT_NEAR(chamfer(pc0, pc1, {}).total(), 0.170977, 5e-7);
  EXPECT_NEAR(chamfer(pc0, pc1, {true, 2.0f}).total(), 0.012423, 5e-7);
  EXPECT_NEAR(chamfer(pc0, pc1, {false}).total(), 0.095592, 5e-7);
}

TEST_P(ChamferOnDevice, GradientMatchesFiniteDifferences) {
  // Moving points on a unit grid, each with a target jittered by at most 0.1 (six with a second
  // one), plus three far outliers: every nearest-neighbour pairing stays the same within the
  // finite-difference step, so the Chamfer distance is smooth there.
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> jitter(-0.1f, 0.1f);
  std::vector<float> a, b;
  for (int i = 0; i < 32; ++i) {
    const float p[3] = {float(i % 4), float(i / 4 % 4), float(i / 16)};
    a.insert(a.end(), p, p + 3);
    for (int copy = 0; copy < (i % 5 == 0 ? 2 : 1); ++copy) {
      for (float c : p) b.push_back(c + jitter(rng));
    }
  }
  a.insert(a.end(), {10.3f, 9.1f, 8.7f, -7.2f, 0.4f, 3.3f, 1.1f, -9.6f, -4.2f});
  for (const ChamferOptions& options :
       {ChamferOptions{}, ChamferOptions{false}, ChamferOptions{true, 1.0f},
        ChamferOptions{true, 1.0f, true}}) {
    std::vector<float> gradient;
    chamfer(a, b, options, &gradient);
    const float h = 1e-3f;
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::vector<float> up = a, down = a;
      up[i] += h;
      down[i] -= h;
      const double numeric = (chamfer(up, b, options).total() - chamfer(down, b, options).total()) /
                             double(up[i] - down[i]);
      EXPECT_NEAR(gradient[i], numeric, 1e-4 + 1e-2 * std::fabs(numeric)) << "component " << i;
    }
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(ChamferOnDevice);

}  // namespace
}  // namespace advect::testing
