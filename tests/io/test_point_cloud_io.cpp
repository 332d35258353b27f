// Point clouds in every format: the numpy/hand-written fixtures read back exactly, writers round
// trip, and damaged, empty or non-finite files are rejected with one line naming the file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "Fixtures.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/PointCloudIO.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

void expect_fixture_cloud(const geometry::PointCloud& cloud, bool with_intensity) {
  ASSERT_EQ(cloud.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    for (int d = 0; d < 3; ++d)
      EXPECT_FLOAT_EQ(cloud.positions[std::size_t(3 * i + d)], float(fixture_point(i, d)));
  }
  ASSERT_EQ(cloud.scalars.count("intensity"), with_intensity ? 1u : 0u);
  if (with_intensity) {
    for (int i = 0; i < 5; ++i)
      EXPECT_FLOAT_EQ(cloud.scalars.at("intensity")[std::size_t(i)], 10.0f * float(i));
  }
}

TEST(PointCloudIO, ReadsEveryFormat) {
  for (const char* name : {"cloud_ascii.ply", "cloud_binary.ply", "cloud_ascii.pcd",
                           "cloud_binary.pcd", "cloud.xyz", "cloud_f32.npy", "cloud_f16.npy"}) {
    SCOPED_TRACE(name);
    expect_fixture_cloud(io::read_point_cloud(fixture(name)), false);
  }
  expect_fixture_cloud(io::read_point_cloud(fixture("cloud.bin")), true);
  expect_fixture_cloud(io::read_point_cloud(fixture("cloud_f64_intensity.npy")), true);
}

TEST(PointCloudIO, WritersRoundTrip) {
  TempDir dir;
  const geometry::PointCloud cloud = io::read_point_cloud(fixture("cloud.bin"));
  for (const char* name : {"out.ply", "out.pcd", "out.xyz", "out.npy"}) {
    SCOPED_TRACE(name);
    io::write_point_cloud(dir / name, cloud);
    expect_fixture_cloud(io::read_point_cloud(dir / name), std::string(name) == "out.npy");
  }
  EXPECT_EQ(dir.entry_count(), 4u);  // no temporaries left
}

TEST(PointCloudIO, PlyCarriesColoursGivenAsScalars) {
  TempDir dir;
  geometry::PointCloud cloud;
  cloud.positions = {0, 0, 0, 1, 2, 3};
  cloud.scalars["red"] = {1.0f, 0.0f};
  cloud.scalars["green"] = {0.5f, 0.0f};
  cloud.scalars["blue"] = {0.0f, 1.0f};
  io::write_point_cloud(dir / "c.ply", cloud);
  EXPECT_EQ(io::read_point_cloud(dir / "c.ply").positions, cloud.positions);
  // The binary body: per vertex x, y, z as doubles, then red, green, blue as bytes.
  const std::string bytes = io::read_file_bytes(dir / "c.ply");
  const std::size_t body = bytes.find("end_header\n");
  ASSERT_NE(body, std::string::npos);
  const std::string header = bytes.substr(0, body);
  for (const char* property :
       {"property double x", "property uchar red", "property uchar green", "property uchar blue"}) {
    EXPECT_NE(header.find(property), std::string::npos) << property << " in\n" << header;
  }
  const std::size_t vertex = 3 * sizeof(double) + 3;
  ASSERT_EQ(bytes.size(), body + 11 + 2 * vertex);
  const auto colour = [&](int i, int c) {
    return int(std::uint8_t(bytes[body + 11 + std::size_t(i) * vertex + 24 + std::size_t(c)]));
  };
  EXPECT_EQ(colour(0, 0), 255);
  EXPECT_NEAR(colour(0, 1), 128, 1);
  EXPECT_EQ(colour(0, 2), 0);
  EXPECT_EQ(colour(1, 2), 255);
}

std::string rejection(const std::filesystem::path& path) {
  try {
    io::read_point_cloud(path);
  } catch (const io::IoError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.rfind(path.string(), 0), 0u)
        << "message must start with the file: " << message;
    return message;
  }
  ADD_FAILURE() << path << " was accepted";
  return {};
}

void expect_contains(const std::string& message, const std::string& problem) {
  EXPECT_NE(message.find(problem), std::string::npos) << message;
}

TEST(PointCloudIO, RejectsDamagedFiles) {
  TempDir dir;
  const std::string ply = fixture_bytes("cloud_binary.ply"),
                    pcd = fixture_bytes("cloud_binary.pcd");
  const std::string bin = fixture_bytes("cloud.bin");
  expect_contains(rejection(dir.write("truncated.ply", ply.substr(0, ply.size() - 10))),
                  "claims 5 vertices but the file holds only 50 bytes");
  expect_contains(rejection(dir.write("garbage.ply", "\x01\x02 no header")), "no end_header line");
  std::string ascii = fixture_bytes("cloud_ascii.ply");
  ascii[ascii.rfind('\n', ascii.size() - 2) + 1] = 'x';  // first number of the last vertex
  expect_contains(rejection(dir.write("malformed.ply", ascii)), "cannot parse ply");
  expect_contains(rejection(dir.write("truncated.pcd", pcd.substr(0, pcd.size() - 7))),
                  "claims 5 points but the file holds only 53 bytes");
  expect_contains(rejection(dir.write("empty.ply", "")), "empty file");
  expect_contains(rejection(dir.write("truncated.bin", bin.substr(0, bin.size() - 3))),
                  "not a multiple of 16");
  expect_contains(rejection(dir.write("empty.bin", "")), "empty");
  expect_contains(rejection(dir.write("bad.xyz", "1 2 3\n4 five 6\n")), "line 2");
  expect_contains(rejection(dir.write("short.xyz", "1 2 3\n4 5\n")), "line 2");
  expect_contains(rejection(dir.write("blank.xyz", "# only a comment\n")), "empty");
  expect_contains(rejection(dir / "missing.pcd"), "no such file");
  expect_contains(rejection(dir.write("cloud.las", "x")), "unknown point-cloud format");
  expect_contains(rejection(fixture("mask_bool.npy")), "expected shape (N, 3) or (N, 4)");
}

// Headers claiming more points than the file can hold are refused before Open3D allocates for
// them (10^10 vertices would be 240 GB of positions).
TEST(PointCloudIO, RefusesHeadersClaimingMorePointsThanTheFileHolds) {
  TempDir dir;
  const auto claim = [](std::string bytes, const std::string& from, const std::string& to) {
    return bytes.replace(bytes.find(from), from.size(), to);
  };
  const std::string huge = "10000000000";
  for (const char* name : {"cloud_binary.ply", "cloud_ascii.ply"}) {
    expect_contains(rejection(dir.write(std::string("huge_") + name,
                                        claim(fixture_bytes(name), "vertex 5", "vertex " + huge))),
                    "claims 10000000000 vertices");
  }
  for (const char* name : {"cloud_binary.pcd", "cloud_ascii.pcd"}) {
    std::string pcd = claim(fixture_bytes(name), "WIDTH 5", "WIDTH " + huge);
    expect_contains(
        rejection(dir.write(std::string("huge_") + name, claim(pcd, "POINTS 5", "POINTS " + huge))),
        "claims 10000000000 points");
  }
  // LZF-compressed data: 10^8 points of 12 bytes cannot come out of 20 compressed bytes.
  std::string compressed = fixture_bytes("cloud_binary.pcd");
  compressed =
      claim(claim(compressed, "WIDTH 5", "WIDTH 100000000"), "POINTS 5", "POINTS 100000000");
  compressed = claim(compressed, "DATA binary\n", "DATA binary_compressed\n");
  compressed.resize(compressed.find("binary_compressed\n") + 18);
  const std::uint32_t sizes[2] = {20, 1200000000};
  compressed.append(reinterpret_cast<const char*>(sizes), sizeof sizes).append(20, '\0');
  expect_contains(rejection(dir.write("huge_compressed.pcd", compressed)),
                  "20 compressed bytes cannot unpack to 1200000000");
  // Exactly enough data is accepted: the bound is the least a point takes, not a guess.
  EXPECT_EQ(io::read_point_cloud(fixture("cloud_binary.ply")).size(), 5u);
  EXPECT_EQ(io::read_point_cloud(fixture("cloud_ascii.pcd")).size(), 5u);
}

// Inputs fuzz/ found that crash Open3D 0.16's readers (SEGV in its PLY vertex callback, in strtod
// on a missing value, an allocation for an unset count): refused before Open3D sees them.
TEST(PointCloudIO, RefusesTheFilesThatCrashedOpen3D) {
  expect_contains(rejection(fixture("fuzz/ply_vertex_without_z.ply")), "header line 6");
  expect_contains(rejection(fixture("fuzz/pcd_ascii_line_too_short.pcd")), "unknown keyword '0.7'");
  expect_contains(rejection(fixture("fuzz/pcd_ascii_garbled_header.pcd")), "'1>' is not a count");
  // No WIDTH/HEIGHT/POINTS line: Open3D allocated 27 GB for the count it never read.
  expect_contains(rejection(fixture("fuzz/pcd_without_counts.pcd")),
                  "needs WIDTH, HEIGHT and POINTS");
  // The crashes' causes, each alone in an otherwise valid file.
  TempDir dir;
  std::string ply = fixture_bytes("cloud_ascii.ply");
  ply.erase(ply.find("property float z\n"), 17);
  expect_contains(rejection(dir.write("no_z.ply", ply)), "no vertex property z");
  std::string pcd = fixture_bytes("cloud_ascii.pcd");
  pcd.erase(pcd.rfind(' '), pcd.rfind('\n') - pcd.rfind(' '));  // the last line loses z
  expect_contains(rejection(dir.write("short_line.pcd", pcd)),
                  "line 16: 2 values, the fields need 3");
}

TEST(PointCloudIO, RejectsNonFiniteCoordinates) {
  TempDir dir;
  std::string bin = fixture_bytes("cloud.bin");
  const float nan = std::nanf("");
  std::memcpy(bin.data() + 2 * 16 + 4, &nan, sizeof nan);  // point 2, y
  expect_contains(rejection(dir.write("nan.bin", bin)), "point 2 has a non-finite coordinate");
  expect_contains(rejection(dir.write("nan.xyz", "1 2 3\nnan 1 1\n")), "point 1 has a non-finite");
  std::string ply = fixture_bytes("cloud_binary.ply");
  const float inf = INFINITY;
  std::memcpy(ply.data() + ply.size() - 4, &inf, sizeof inf);  // point 4, z
  expect_contains(rejection(dir.write("inf.ply", ply)), "point 4 has a non-finite");
}

}  // namespace
}  // namespace advect::testing
