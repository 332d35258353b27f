// Scene-flow pairs from .npz archives (numpy-written fixtures and our own writer) and from files.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "Fixtures.h"
#include "advect/io/IoError.h"
#include "advect/io/Npz.h"
#include "advect/io/PointCloudIO.h"
#include "advect/io/SceneFlowData.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

using Arrays = std::map<std::string, io::NpyArray>;

io::NpyArray floats(std::vector<float> values, std::vector<std::size_t> shape) {
  return io::NpyArray::from_values<float>(values, std::move(shape));
}

// Two 2-point clouds, a flow, and whatever `extra` adds or replaces.
std::filesystem::path write_pair(const TempDir& dir, const std::string& name, Arrays extra = {}) {
  Arrays arrays = {{"pc1", floats({0, 0, 0, 1, 1, 1}, {2, 3})},
                   {"pc2", floats({0, 0, 1, 1, 1, 2}, {2, 3})},
                   {"flow", floats({0, 0, 1, 0, 0, 1}, {2, 3})}};
  for (auto& [key, value] : extra) arrays[key] = std::move(value);
  const auto path = dir / name;
  io::write_npz(path, arrays);
  return path;
}

TEST(SceneFlowData, ReadsANumpyWrittenPair) {
  const geometry::SceneFlowPair pair = io::read_scene_flow_npz(fixture("pair_deflated.npz"));
  EXPECT_EQ(pair.name, "pair_deflated");
  ASSERT_EQ(pair.source.size(), 5u);
  ASSERT_EQ(pair.target.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    for (int d = 0; d < 3; ++d) {
      EXPECT_FLOAT_EQ(pair.source.positions[std::size_t(3 * i + d)], float(fixture_point(i, d)));
      EXPECT_FLOAT_EQ(pair.target.positions[std::size_t(3 * i + d)],
                      float(fixture_point(i, d) + 1));
    }
  }
  EXPECT_EQ(pair.flow, std::vector<float>(15, 1.0f));
  EXPECT_TRUE(pair.mask.empty());
  EXPECT_FALSE(pair.ego_motion.has_value());
}

TEST(SceneFlowData, ReadsMaskClassesAndEgoMotion) {
  TempDir dir;
  std::vector<double> ego(16, 0.0);
  for (int i = 0; i < 4; ++i) ego[std::size_t(5 * i)] = 1.0;
  ego[3] = 2.5;  // x translation
  const auto path = write_pair(
      dir, "av2.npz",
      {{"mask", io::NpyArray::from_values<std::uint8_t>(std::vector<std::uint8_t>{0, 1}, {2})},
       {"classes", io::NpyArray::from_values<std::uint8_t>(std::vector<std::uint8_t>{0, 7}, {2})},
       {"ego_motion", io::NpyArray::from_values<double>(ego, {4, 4})}});
  const geometry::SceneFlowPair pair = io::read_scene_flow_npz(path);
  EXPECT_EQ(pair.mask, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_EQ(pair.classes, (std::vector<std::uint8_t>{0, 7}));
  ASSERT_TRUE(pair.ego_motion.has_value());
  EXPECT_EQ(pair.ego_motion->translation[0], 2.5);
  EXPECT_EQ(pair.ego_motion->matrix(),
            (std::array<double, 16>{1, 0, 0, 2.5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));
}

TEST(SceneFlowData, AcceptsFlowNet3DKeysAndBooleanMasks) {
  TempDir dir;
  const auto path = dir / "kitti.npz";
  io::write_npz(path, {{"pos1", floats({0, 0, 0, 1, 1, 1, 2, 2, 2}, {3, 3})},
                       {"pos2", floats({0, 0, 1}, {1, 3})},
                       {"gt", floats({0, 0, 1, 0, 0, 1, 0, 0, 1}, {3, 3})}});
  const geometry::SceneFlowPair pair = io::read_scene_flow_npz(path);
  EXPECT_EQ(pair.source.size(), 3u);
  EXPECT_EQ(pair.target.size(), 1u);
  EXPECT_TRUE(pair.has_truth());
  // numpy's bool mask (np.savez, stored), from the io fixtures, has no pc2: named in the error.
  const std::string error =
      io_error_of([] { io::read_scene_flow_npz(fixture("pair_stored.npz")); });
  EXPECT_NE(error.find("pair_stored.npz: no 'pc2' array (keys present: mask, pc1)"),
            std::string::npos)
      << error;
}

TEST(SceneFlowData, RejectsWrongShapesAndNonFiniteValues) {
  TempDir dir;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  struct Case {
    Arrays arrays;
    std::string expected;
  };
  const std::vector<std::pair<std::string, Case>> cases = {
      {"flow-rows.npz",
       {{{"flow", floats({0, 0, 1}, {1, 3})}}, "'flow' has shape (1, 3), expected (2, 3)"}},
      {"pc1-cols.npz",
       {{{"pc1", floats({0, 0, 0, 1}, {2, 2})}}, "'pc1' has shape (2, 2), expected (N, 3)"}},
      {"mask.npz", {{{"mask", floats({1, 1, 1}, {3})}}, "'mask' has shape (3), expected (2)"}},
      {"nan.npz",
       {{{"pc2", floats({0, 0, nan, 1, 1, 1}, {2, 3})}},
        "pc2: point 0 has a non-finite coordinate"}},
      {"nan-flow.npz",
       {{{"flow", floats({0, 0, 0, nan, 0, 0}, {2, 3})}}, "flow vector 1 is not finite"}},
      {"empty.npz", {{{"pc1", floats({}, {0, 3})}}, "the point cloud is empty"}},
  };
  for (const auto& [name, test] : cases) {
    const auto path = write_pair(dir, name, test.arrays);
    const std::string error = io_error_of([&] { io::read_scene_flow_npz(path); });
    EXPECT_NE(error.find(name), std::string::npos) << error;
    EXPECT_NE(error.find(test.expected), std::string::npos) << name << ": " << error;
  }
}

TEST(SceneFlowData, ReadsTwoCloudFilesAndAFlowFile) {
  TempDir dir;
  const auto pc1 = dir.write("pc1.xyz", "0 0 0\n1 1 1\n");
  const auto pc2 = dir.write("pc2.xyz", "0 0 1\n1 1 2\n3 3 3\n");
  const auto gt = dir.write("gt.xyz", "0 0 1\n0 0 1\n");
  const geometry::SceneFlowPair pair = io::read_scene_flow_files(pc1, pc2, gt);
  EXPECT_EQ(pair.name, "pc1");
  EXPECT_EQ(pair.target.size(), 3u);
  EXPECT_EQ(pair.flow, (std::vector<float>{0, 0, 1, 0, 0, 1}));
  EXPECT_FALSE(io::read_scene_flow_files(pc1, pc2).has_truth());
  const auto short_gt = dir.write("short.xyz", "0 0 1\n");
  const std::string error = io_error_of([&] { io::read_scene_flow_files(pc1, pc2, short_gt); });
  EXPECT_NE(error.find("short.xyz: the flow has 1 vectors for 2 points"), std::string::npos)
      << error;
}

TEST(SceneFlowData, ScoredPairsAreReadInNameOrderAndEachNeedsItsFlow) {
  TempDir dir;
  write_pair(dir, "pair_3.npz");
  write_pair(dir, "pair_1.npz");
  const io::ScoredPairs data = io::read_scored_pairs(dir.path());
  ASSERT_EQ(data.pairs.size(), 2u);
  EXPECT_EQ(data.files[0].filename(), "pair_1.npz");
  EXPECT_EQ(data.pairs[1].flow, (std::vector<float>{0, 0, 1, 0, 0, 1}));
  io::write_npz(dir / "pair_5.npz",
                {{"pc1", floats({0, 0, 0}, {1, 3})}, {"pc2", floats({0, 0, 1}, {1, 3})}});
  EXPECT_NE(io_error_of([&] { io::read_scored_pairs(dir.path()); }).find("pair_5.npz"),
            std::string::npos);
}

TEST(SceneFlowData, ListsTheNpzFilesOfADirectoryInNameOrder) {
  TempDir dir;
  write_pair(dir, "b.npz");
  write_pair(dir, "a.npz");
  dir.write("notes.txt", "not a pair");
  const auto pairs = io::list_scene_flow_pairs(dir.path());
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].filename(), "a.npz");
  EXPECT_EQ(pairs[1].filename(), "b.npz");
  EXPECT_EQ(io::list_scene_flow_pairs(pairs[1]), std::vector{pairs[1]});
  TempDir empty;
  EXPECT_NE(io_error_of([&] { io::list_scene_flow_pairs(empty.path()); }).find("holds no .npz"),
            std::string::npos);
  EXPECT_NE(io_error_of([&] {
              io::list_scene_flow_pairs(empty / "missing");
            }).find("missing: no such file or directory"),
            std::string::npos);
  EXPECT_NE(io_error_of([&] {
              io::list_scene_flow_pairs(dir / "notes.txt");
            }).find("directory of .npz pairs"),
            std::string::npos);
}

}  // namespace
}  // namespace advect::testing
