// .npy reading against files written by numpy, and rejection of every kind of damage.
#include <gtest/gtest.h>

#include "Fixtures.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

using io::DType;
using io::IoError;

void expect_cloud_values(const std::vector<double>& values, std::size_t columns, double tolerance) {
  ASSERT_EQ(values.size(), 5 * columns);
  for (int i = 0; i < 5; ++i) {
    for (int d = 0; d < 3; ++d)
      EXPECT_NEAR(values[std::size_t(i) * columns + std::size_t(d)], fixture_point(i, d),
                  tolerance);
  }
}

TEST(Npy, ReadsNumpyDtypes) {
  const io::NpyArray f32 = io::read_npy(fixture("cloud_f32.npy"));
  EXPECT_EQ(f32.dtype, DType::float32);
  EXPECT_EQ(f32.shape, (std::vector<std::size_t>{5, 3}));
  expect_cloud_values(f32.values<double>(), 3, 0.0);

  const io::NpyArray f16 = io::read_npy(fixture("cloud_f16.npy"));
  EXPECT_EQ(f16.dtype, DType::float16);
  expect_cloud_values(f16.values<double>(), 3, 0.0);  // all values are exact in float16

  expect_cloud_values(io::read_npy(fixture("cloud_be.npy")).values<double>(), 3, 0.0);
  const io::NpyArray with_intensity = io::read_npy(fixture("cloud_f64_intensity.npy"));
  EXPECT_EQ(with_intensity.dtype, DType::float64);
  expect_cloud_values(with_intensity.values<double>(), 4, 0.0);

  const io::NpyArray mask = io::read_npy(fixture("mask_bool.npy"));
  EXPECT_EQ(mask.dtype, DType::boolean);
  EXPECT_EQ(mask.values<std::uint8_t>(), (std::vector<std::uint8_t>{1, 0, 1, 1, 0}));
  EXPECT_EQ(io::read_npy(fixture("labels_i64.npy")).values<std::int64_t>(),
            (std::vector<std::int64_t>{-3, 0, 7, std::int64_t(1) << 40, 5}));
  const io::NpyArray u8 = io::read_npy(fixture("bytes_u8.npy"));
  EXPECT_EQ(u8.shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(u8.values<std::int32_t>(), (std::vector<std::int32_t>{0, 1, 2, 3, 4, 5}));
}

TEST(Npy, WriterOutputIsByteIdenticalToNumpy) {
  const io::NpyArray array = io::read_npy(fixture("cloud_f32.npy"));
  const std::vector<float> values = array.values<float>();
  EXPECT_EQ(io::serialize_npy(io::NpyArray::from_values<float>(values, {5, 3})),
            fixture_bytes("cloud_f32.npy"));
}

TEST(Npy, RoundTripThroughFile) {
  TempDir dir;
  const std::vector<double> values = {1.5, -2.25, 1e300, 0.0};
  io::write_npy(dir / "a.npy", io::NpyArray::from_values<double>(values, {4}));
  EXPECT_EQ(io::read_npy(dir / "a.npy").values<double>(), values);
  EXPECT_EQ(dir.entry_count(), 1u);  // no temporary left behind
}

// Each damaged variant must give one IoError line that names the file and says what is wrong.
void expect_rejected(const std::filesystem::path& path, const std::string& problem) {
  try {
    io::read_npy(path);
    ADD_FAILURE() << path << " was accepted";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(Npy, RejectsDamagedFiles) {
  TempDir dir;
  const std::string good = fixture_bytes("cloud_f32.npy");
  expect_rejected(dir / "missing.npy", "no such file");
  expect_rejected(dir.write("empty.npy", ""), "empty file");
  expect_rejected(dir.write("truncated.npy", good.substr(0, good.size() - 4)), "truncated");
  expect_rejected(dir.write("header_cut.npy", good.substr(0, 40)), "truncated .npy header");
  expect_rejected(dir.write("magic.npy", "PK" + good.substr(2)), "bad magic");
  expect_rejected(dir.write("trailing.npy", good + "xx"), "unexpected bytes");
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  expect_rejected(dir.write("fortran.npy", fortran), "Fortran");
  std::string complex = good;
  complex.replace(complex.find("<f4"), 3, "<c8");
  expect_rejected(dir.write("complex.npy", complex), "unsupported dtype");
  std::string no_shape = good;
  no_shape.replace(no_shape.find("shape"), 5, "shope");
  expect_rejected(dir.write("no_shape.npy", no_shape), "malformed .npy header");
  std::string version = good;
  version[6] = 9;
  expect_rejected(dir.write("version.npy", version), "unsupported .npy format version");
}

// A header claiming more elements than the file holds is refused before anything that size is
// allocated (the header's padding absorbs the longer shape, so its length field stays right).
TEST(Npy, RefusesShapesTheDataCannotHold) {
  TempDir dir;
  const std::string good = fixture_bytes("cloud_f32.npy");
  const auto claim = [&](const std::string& shape) {
    std::string bytes = good;
    bytes.replace(bytes.find("(5, 3)"), 6, shape);
    bytes.erase(bytes.find('\n') - (shape.size() - 6), shape.size() - 6);  // padding spaces
    return bytes;
  };
  expect_rejected(dir.write("huge.npy", claim("(1000000000000, 3)")),
                  "shape (1000000000000, 3) of float32 needs 12000000000000 data bytes, file has 60");
  expect_rejected(dir.write("overflow.npy", claim("(10000000000000, 10000000000000)")),
                  "shape too large");
}

}  // namespace
}  // namespace advect::testing
