// parse_npy on arbitrary bytes: every .npy the program reads (clouds, flows, poses, CFDBench
// fields, npz members) goes through it.
#include "advect/io/Npy.h"
#include "FuzzInput.h"
#include "advect/io/IoError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto array = advect::io::parse_npy(advect::fuzz::as_view(data, size), "fuzz.npy");
    (void)array.values<double>();
    (void)advect::io::serialize_npy(array);
  } catch (const advect::io::IoError&) {
  }
  return 0;
}
