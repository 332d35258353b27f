// read_point_cloud on an arbitrary file with the extension ADVECT_FUZZ_EXTENSION (one target per
// format: .ply and .pcd go through Open3D behind our header checks, .xyz, .bin (KITTI) and .npy
// through our own readers).
#include "FuzzInput.h"
#include "advect/io/PointCloudIO.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return advect::fuzz::read_input(data, size, std::string("input") + ADVECT_FUZZ_EXTENSION,
                                  advect::io::read_point_cloud);
}
