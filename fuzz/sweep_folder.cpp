// A lidar sequence folder with one bad member, read as `accumulate` reads it: list_sweeps() and
// every sweep, or the poses folder (one 4 x 4 .npy per sweep). The input's first byte picks
// where the rest goes: the second sweep as .bin .ply .pcd .xyz or .npy, or the second pose.
#include <array>

#include "FuzzInput.h"
#include "advect/io/Npy.h"
#include "advect/io/PointCloudIO.h"
#include "advect/io/SweepSequence.h"

namespace fs = std::filesystem;
using namespace advect;

namespace {

const fs::path& sequence() {
  static const fs::path folder = [] {
    const auto path = fuzz::scratch() / "sequence";
    fs::create_directories(path / "poses");
    geometry::PointCloud cloud;
    cloud.positions = {0, 0, 0, 1, 2, 3};
    io::write_point_cloud(path / "0000.xyz", cloud);
    const std::array<double, 16> identity{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    io::write_npy(path / "poses" / "0000.npy", io::NpyArray::from_values<double>(identity, {4, 4}));
    return path;
  }();
  return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::array<const char*, 5> kSweeps{"0001.bin", "0001.ply", "0001.pcd", "0001.xyz",
                                                  "0001.npy"};
  const fs::path& folder = sequence();
  for (const char* name : kSweeps) fs::remove(folder / name);
  const auto member = fuzz::as_view(data + 1, size - 1);
  try {
    if (data[0] % 6 == 5) {
      fuzz::write_bytes(folder / "poses" / "0001.npy", member);
      (void)io::read_poses(folder / "poses");
    } else {
      fuzz::write_bytes(folder / kSweeps[data[0] % 6], member);
      for (const auto& sweep : io::list_sweeps(folder.string())) (void)io::read_point_cloud(sweep);
    }
  } catch (const io::IoError&) {
  }
  return 0;
}
