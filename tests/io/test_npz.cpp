// .npz archives written by numpy (deflated and stored), and damaged ones.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "Fixtures.h"
#include "advect/io/IoError.h"
#include "advect/io/Npz.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

TEST(Npz, ReadsCompressedAndStoredArchives) {
  const auto deflated = io::read_npz(fixture("pair_deflated.npz"));
  ASSERT_EQ(deflated.size(), 3u);
  const std::vector<float> pc2 = deflated.at("pc2").values<float>();
  for (int i = 0; i < 5; ++i)
    EXPECT_FLOAT_EQ(pc2[std::size_t(3 * i + 2)], float(fixture_point(i, 2) + 1));
  EXPECT_EQ(deflated.at("flow").shape, (std::vector<std::size_t>{5, 3}));

  const io::NpyArray mask = io::read_npz_array(fixture("pair_stored.npz"), "mask");
  EXPECT_EQ(mask.values<std::uint8_t>(), (std::vector<std::uint8_t>{1, 0, 1, 1, 0}));
}

TEST(Npz, RoundTripCompressedAndStored) {
  TempDir dir;
  const std::vector<float> a = {1, 2, 3, 4, 5, 6};
  const std::vector<std::int32_t> b = {7, -8};
  for (bool compress : {true, false}) {
    const auto path = dir / (compress ? "c.npz" : "s.npz");
    io::write_npz(path,
                  {{"a", io::NpyArray::from_values<float>(a, {2, 3})},
                   {"b", io::NpyArray::from_values<std::int32_t>(b, {2})}},
                  compress);
    const auto back = io::read_npz(path);
    EXPECT_EQ(back.at("a").values<float>(), a);
    EXPECT_EQ(back.at("b").values<std::int32_t>(), b);
  }
  EXPECT_EQ(dir.entry_count(), 2u);
}

TEST(Npz, RejectsDamagedArchives) {
  TempDir dir;
  const std::string good = fixture_bytes("pair_deflated.npz");
  const auto missing_key =
      io_error_of([] { io::read_npz_array(fixture("pair_deflated.npz"), "flow_gt"); });
  EXPECT_NE(missing_key.find("no array 'flow_gt' (has: pc1, pc2, flow)"), std::string::npos)
      << missing_key;

  const auto truncated = dir.write("truncated.npz", good.substr(0, good.size() / 2));
  EXPECT_NE(
      io_error_of([&] { io::read_npz(truncated); }).find("truncated.npz: not a readable .npz"),
      std::string::npos);

  const auto garbage = dir.write("garbage.npz", std::string(300, 'x'));
  EXPECT_NE(io_error_of([&] { io::read_npz(garbage); }).find("not a readable .npz"),
            std::string::npos);

  // Flip a byte inside the first member's deflated data: the CRC (or inflate) must catch it.
  std::string corrupt = good;
  corrupt[60] = char(corrupt[60] ^ 0x5a);
  const auto damaged = dir.write("crc.npz", corrupt);
  const std::string crc_error = io_error_of([&] { io::read_npz(damaged); });
  EXPECT_NE(crc_error.find("crc.npz"), std::string::npos) << crc_error;
  EXPECT_EQ(crc_error.find('\n'), std::string::npos);
  EXPECT_NE(crc_error, "accepted");

  EXPECT_NE(io_error_of([&] { io::read_npz(dir / "none.npz"); }).find("no such file"),
            std::string::npos);
}

// A member whose headers claim 2 GiB uncompressed from a few hundred stored bytes is refused
// before a buffer that size is allocated.
TEST(Npz, RefusesMembersClaimingMoreThanTheirDataCanHold) {
  TempDir dir;
  std::string archive = fixture_bytes("pair_stored.npz");
  const std::uint32_t claimed = 0x7fffffff;
  // The uncompressed size of the first member: at 22 in its local header, 24 in its central
  // directory entry (PKWARE APPNOTE 4.3.7, 4.3.12); both changed so that they agree.
  std::memcpy(archive.data() + 22, &claimed, sizeof claimed);
  std::memcpy(archive.data() + archive.find("PK\x01\x02") + 24, &claimed, sizeof claimed);
  const auto path = dir.write("bomb.npz", archive);
  const std::string error = io_error_of([&] { io::read_npz(path); });
  EXPECT_NE(error.find("claims 2147483647 bytes from"), std::string::npos) << error;
}

}  // namespace
}  // namespace advect::testing
