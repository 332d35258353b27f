// io::read_jpeg on arbitrary bytes: libjpeg-turbo's errors and warnings must become a refusal,
// not a crash, a jump into freed frames or an unbounded allocation. The documented refusal is
// io::IoError.
#include "FuzzInput.h"
#include "advect/io/Jpeg.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return advect::fuzz::read_input(data, size, "input.jpg",
                                  [](const auto& path) { (void)advect::io::read_jpeg(path); });
}
