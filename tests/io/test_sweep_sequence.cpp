// Lidar sequences on disk: sweeps in name order from a directory or a glob, poses from a KITTI
// file or a folder of 4 x 4 .npy files, timestamps; every damaged input named.
#include <gtest/gtest.h>

#include <cmath>

#include "Fixtures.h"
#include "advect/io/Npy.h"
#include "advect/io/SweepSequence.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

TEST(SweepSequence, ListsSweepFilesInNameOrderFromADirectoryOrAPattern) {
  TempDir dir;
  for (const char* name : {"0002.bin", "0000.bin", "0001.ply", "0001.json", "poses.txt"}) {
    dir.write(name, "x");
  }
  const auto sweeps = io::list_sweeps(dir.path().string());
  ASSERT_EQ(sweeps.size(), 3u);
  EXPECT_EQ(sweeps[0].filename(), "0000.bin");
  EXPECT_EQ(sweeps[1].filename(), "0001.ply");
  EXPECT_EQ(sweeps[2].filename(), "0002.bin");
  const auto bins = io::list_sweeps((dir / "*.bin").string());
  ASSERT_EQ(bins.size(), 2u);
  EXPECT_EQ(bins[1].filename(), "0002.bin");

  EXPECT_NE(io_error_of([&] {
              io::list_sweeps((dir / "*.pcd").string());
            }).find("the pattern matches no sweep file"),
            std::string::npos);
  EXPECT_NE(io_error_of([&] {
              io::list_sweeps((dir / "nowhere").string());
            }).find("nowhere: no such directory"),
            std::string::npos);
  TempDir empty;
  EXPECT_NE(io_error_of([&] { io::list_sweeps(empty.path().string()); }).find("no sweep files"),
            std::string::npos);
}

TEST(SweepSequence, ReadsPosesFromAFolderOfNpyMatrices) {
  TempDir dir;
  const double c = std::cos(0.2), s = std::sin(0.2);
  const std::vector<double> turn = {c, -s, 0, 1, s, c, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1};
  const std::vector<double> identity = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  io::write_npy(dir / "001.npy", io::NpyArray::from_values<double>(turn, {4, 4}));
  io::write_npy(dir / "000.npy", io::NpyArray::from_values<double>(identity, {4, 4}));
  const auto poses = io::read_poses(dir.path());
  ASSERT_EQ(poses.size(), 2u);
  EXPECT_EQ(poses[0].matrix()[0], 1.0);
  EXPECT_DOUBLE_EQ(poses[1].matrix()[1], -s);
  EXPECT_DOUBLE_EQ(poses[1].matrix()[11], 3.0);

  std::vector<double> sheared = identity;
  sheared[1] = 0.5;
  io::write_npy(dir / "002.npy", io::NpyArray::from_values<double>(sheared, {4, 4}));
  EXPECT_NE(io_error_of([&] {
              io::read_poses(dir.path());
            }).find("002.npy: pose: the rotation of a pose is not orthonormal"),
            std::string::npos);
  io::write_npy(dir / "002.npy", io::NpyArray::from_values<double>(turn, {2, 8}));
  EXPECT_NE(io_error_of([&] { io::read_poses(dir.path()); }).find("must be a 4 x 4 array"),
            std::string::npos);
}

TEST(SweepSequence, ChecksThatKittiPosesAreRigid) {
  TempDir dir;
  const auto good = dir.write("good.txt", "1 0 0 5 0 1 0 0 0 0 1 0\n");
  EXPECT_EQ(io::read_poses(good)[0].matrix()[3], 5.0);
  const auto scaled = dir.write("scaled.txt", "1 0 0 5 0 1 0 0 0 0 1 0\n2 0 0 0 0 2 0 0 0 0 2 0\n");
  EXPECT_NE(io_error_of([&] {
              io::read_poses(scaled);
            }).find("scaled.txt: pose 1 (line 2): the rotation of a pose is not orthonormal"),
            std::string::npos);
}

TEST(SweepSequence, ReadsIncreasingTimestamps) {
  TempDir dir;
  const auto times = io::read_timestamps(dir.write("times.txt", "0.000000e+00\n1.037359e-01\n"));
  ASSERT_EQ(times.size(), 2u);
  EXPECT_DOUBLE_EQ(times[1], 0.1037359);
  EXPECT_NE(io_error_of([&] {
              io::read_timestamps(dir.write("t.txt", "0.1\n0.1\n"));
            }).find("t.txt: line 2: times must increase"),
            std::string::npos);
  EXPECT_NE(io_error_of([&] {
              io::read_timestamps(dir.write("u.txt", "0.1 0.2\n"));
            }).find("u.txt: line 1: 2 numbers, expected one time"),
            std::string::npos);
}

}  // namespace
}  // namespace advect::testing
