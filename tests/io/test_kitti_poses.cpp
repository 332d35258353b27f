// KITTI odometry poses.txt: the published layout (12 numbers, 3 x 4 row-major per line), exact
// round trips, and damaged files answered with the file and line.
#include <gtest/gtest.h>

#include <cmath>

#include "Fixtures.h"
#include "advect/io/IoError.h"
#include "advect/io/KittiPoses.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

TEST(KittiPoses, ReadsTheThreeByFourRowMajorLayout) {
  TempDir dir;
  // Two lines as KITTI odometry's poses.txt writes them (%e numbers; identity, then a small step).
  const auto path = dir.write("poses.txt",
                              "1.000000e+00 9.043680e-12 2.326809e-11 5.551115e-17 9.043683e-12 "
                              "1.000000e+00 2.392370e-10 3.330669e-16 2.326810e-11 2.392370e-10 "
                              "9.999999e-01 -4.440892e-16\n"
                              "9.999978e-01 5.272628e-04 -2.066935e-03 -4.690294e-02 -5.296506e-04 "
                              "9.999992e-01 -1.154865e-03 -2.839928e-02 2.066324e-03 1.155958e-03 "
                              "9.999971e-01 8.586941e-01\n\n");
  const auto poses = io::read_kitti_poses(path);
  ASSERT_EQ(poses.size(), 2u);
  EXPECT_DOUBLE_EQ(poses[1].matrix()[3], -4.690294e-02);  // x translation: row 0, column 3
  EXPECT_DOUBLE_EQ(poses[1].matrix()[11], 8.586941e-01);  // z translation: row 2, column 3
  EXPECT_DOUBLE_EQ(poses[1].matrix()[4], -5.296506e-04);  // row 1, column 0
  EXPECT_EQ(poses[1].matrix()[12], 0.0);
  EXPECT_EQ(poses[1].matrix()[15], 1.0);
}

TEST(KittiPoses, RoundTripsExactly) {
  TempDir dir;
  const double c = std::cos(0.3), s = std::sin(0.3);
  const std::vector<geometry::RigidTransform> poses = {
      geometry::RigidTransform::from_matrix(
          {c, -s, 0, 1.0 / 3.0, s, c, 0, -2e-9, 0, 0, 1, 12345.678901234567, 0, 0, 0, 1}),
      geometry::RigidTransform{}};
  io::write_kitti_poses(dir / "out.txt", poses);
  const auto read = io::read_kitti_poses(dir / "out.txt");
  ASSERT_EQ(read.size(), poses.size());
  for (std::size_t k = 0; k < poses.size(); ++k) EXPECT_EQ(read[k].matrix(), poses[k].matrix());
}

TEST(KittiPoses, DamagedFilesNameTheLine) {
  TempDir dir;
  const auto message = [&](const std::string& name, const std::string& text) {
    return io_error_of([&] { io::read_kitti_poses(dir.write(name, text)); });
  };
  const std::string twelve = "1 0 0 0 0 1 0 0 0 0 1 0\n";
  EXPECT_NE(message("short.txt", twelve + "1 0 0 0 0 1 0 0 0 0 1\n")
                .find("short.txt: line 2: 11 numbers, a KITTI pose has 12"),
            std::string::npos);
  EXPECT_NE(message("nan.txt", "1 0 0 nan 0 1 0 0 0 0 1 0\n").find("nan.txt: line 1: 'nan' is not"),
            std::string::npos);
  EXPECT_NE(message("word.txt", twelve + twelve + "1 0 x 0\n").find("line 3: 'x' is not"),
            std::string::npos);
  EXPECT_NE(message("empty.txt", "\n").find("empty.txt: no poses"), std::string::npos);
  EXPECT_THROW(io::read_kitti_poses(dir / "missing.txt"), io::IoError);
}

}  // namespace
}  // namespace advect::testing
