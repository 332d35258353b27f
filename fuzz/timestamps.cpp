// read_timestamps on an arbitrary times.txt (one time in seconds per line, strictly increasing).
#include "FuzzInput.h"
#include "advect/io/SweepSequence.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return advect::fuzz::read_input(data, size, "times.txt", advect::io::read_timestamps);
}
