// read_npz on arbitrary bytes: the zip container (libzip), its members' CRCs and each member's
// .npy.
#include "advect/io/Npz.h"
#include "FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return advect::fuzz::read_input(data, size, "input.npz", advect::io::read_npz);
}
