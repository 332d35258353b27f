// io::read_png on arbitrary bytes: libpng's simplified API must refuse, not crash or allocate
// without bound. The documented refusal is io::IoError.
#include "advect/io/Png.h"
#include "FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return advect::fuzz::read_input(data, size, "input.png",
                                  [](const auto& path) { (void)advect::io::read_png(path); });
}
