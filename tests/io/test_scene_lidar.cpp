// Reading a scene's lidar as supervision rays: only the sweeps of the steps a split's frames show,
// each ray ending on its sweep's point at the frame's time.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>

#include "advect/io/IoError.h"
#include "advect/io/Npy.h"
#include "advect/io/SceneFiles.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

TEST(SceneLidar, ASplitReadsTheSweepsOfItsStepsOnly) {
  TempDir dir;
  radiance::SceneRenderOptions options;
  options.width = options.height = 8;
  options.cameras = 1;
  options.steps = 3;
  options.supersample = 1;
  options.lidar_rows = 4;
  options.lidar_columns = 24;
  options.rig_rate = 0.5f;  // the sensor moves: each sweep has its own origin
  const radiance::SceneRendering rendering =
      radiance::render_scene(radiance::default_scene(true), options, Device::cpu());
  // Step 1 (of 0, 1, 2) held out as a new time.
  io::write_scene(dir.path(), rendering, 0, 2);
  const radiance::LidarRays train = io::read_scene_lidar(dir / "transforms_train.json");
  const radiance::LidarRays test = io::read_scene_lidar(dir / "transforms_test.json");
  const auto& sweeps = rendering.sweeps;
  ASSERT_EQ(train.size(), sweeps[0].range.size() + sweeps[2].range.size());
  ASSERT_EQ(test.size(), sweeps[1].range.size());
  // Ray i of the training split: sweep 0's points, then sweep 2's (times 0 and 1).
  for (std::size_t i = 0; i < train.size(); ++i) {
    const bool later = i >= sweeps[0].range.size();
    const radiance::LidarSweep& s = sweeps[later ? 2 : 0];
    const std::size_t j = later ? i - sweeps[0].range.size() : i;
    EXPECT_EQ(train.times[i], later ? 1.0f : 0.0f);
    for (std::size_t a = 0; a < 3; ++a) {
      EXPECT_EQ(train.origins[3 * i + a], s.origin[a]);
      const float end = train.origins[3 * i + a] + train.ranges[i] * train.directions[3 * i + a];
      EXPECT_NEAR(end, s.points[3 * j + a], 1e-4f) << i;
    }
  }
  EXPECT_EQ(test.times.front(), 0.5f);
  EXPECT_EQ(io::read_step_times(dir / "transforms_train.json"),
            (std::map<int, float>{{0, 0.0f}, {2, 1.0f}}));
  EXPECT_EQ(io::read_step_times(dir / "transforms_test.json"), (std::map<int, float>{{1, 0.5f}}));
  // Without lidar/, or for frames without a step (another tool's file), there are no rays.
  std::filesystem::remove_all(dir / "lidar");
  EXPECT_EQ(io::read_scene_lidar(dir / "transforms_train.json").size(), 0u);
  try {
    io::read_required_scene_lidar(dir / "transforms_train.json");
    FAIL() << "no error";
  } catch (const io::IoError& error) {
    EXPECT_NE(std::string(error.what()).find("transforms_train.json: no lidar returns"),
              std::string::npos)
        << error.what();
  }
}

TEST(SceneLidar, StepTimesOfFramesWithAndWithoutSteps) {
  TempDir dir;
  std::ofstream(dir / "other.json") << R"({"frames": [{"file_path": "a.png"}]})";
  EXPECT_TRUE(io::read_step_times(dir / "other.json").empty());
  std::ofstream(dir / "untimed.json") << R"({"frames": [{"step": 0}]})";
  try {
    io::read_step_times(dir / "untimed.json");
    FAIL() << "no error";
  } catch (const io::IoError& error) {
    EXPECT_NE(std::string(error.what()).find("untimed.json"), std::string::npos) << error.what();
  }
}

TEST(SceneLidar, PairTimesAreTheirStepsTimes) {
  TempDir dir;
  std::ofstream(dir / "transforms.json")
      << R"({"frames": [{"step": 0, "time": 0.0}, {"step": 2, "time": 0.4}, {"step": 2, "time": 0.4}]})";
  EXPECT_EQ(io::pair_step("lidar/pair_12.npz"), 12);
  EXPECT_FALSE(io::pair_step("lidar/pair_.npz"));
  EXPECT_FALSE(io::pair_step("lidar/pair_1a.npz"));
  EXPECT_FALSE(io::pair_step("lidar/sweep_1.npz"));
  EXPECT_FALSE(io::pair_step("lidar/pair_1.npy"));
  EXPECT_EQ(io::read_pair_times({"pair_2.npz", "pair_0.npz"}, dir / "transforms.json"),
            (std::vector<float>{0.4f, 0.0f}));
  try {
    io::read_pair_times({"pair_0.npz", "pair_1.npz"}, dir / "transforms.json");
    FAIL() << "no error";
  } catch (const io::IoError& error) {
    EXPECT_NE(std::string(error.what()).find("pair_1.npz"), std::string::npos) << error.what();
  }
}

TEST(SceneLidar, AMissingSweepIsNamed) {
  TempDir dir;
  std::filesystem::create_directories(dir / "lidar");
  const std::vector<float> origin{0, 0, 1};
  io::write_npy(dir / "lidar/origins.npy", io::NpyArray::from_values<float>(origin, {1, 3}));
  std::ofstream(dir / "transforms.json") << R"({"frames": [{"step": 0, "time": 0}]})";
  try {
    io::read_scene_lidar(dir / "transforms.json");
    FAIL() << "no error";
  } catch (const io::IoError& error) {
    EXPECT_NE(std::string(error.what()).find("sweep_0000.npy"), std::string::npos) << error.what();
  }
  std::ofstream(dir / "transforms.json") << R"({"frames": [{"step": 3, "time": 0}]})";
  EXPECT_THROW(io::read_scene_lidar(dir / "transforms.json"), io::IoError);
}

}  // namespace
}  // namespace advect::testing
