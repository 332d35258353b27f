// read_poses on an arbitrary KITTI poses.txt (12 numbers per line, each pose checked rigid).
#include "FuzzInput.h"
#include "advect/io/SweepSequence.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return advect::fuzz::read_input(data, size, "poses.txt", advect::io::read_poses);
}
