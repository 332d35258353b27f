// io::read_colmap_text on an arbitrary COLMAP text model: the input is cameras.txt, a line
// "%%", then images.txt (without the line, a fixed images.txt naming a.png is used), beside two
// valid pictures (a.png 4 x 4 and b.png 2 x 3). The documented refusal is io::IoError.
#include <string_view>

#include "FuzzInput.h"
#include "advect/io/ColmapFiles.h"
#include "advect/io/Png.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fuzz = advect::fuzz;
  static const bool pictures = [] {
    advect::io::write_png(fuzz::scratch() / "a.png", std::vector<float>(48, 0.5f), 4, 4, 3);
    advect::io::write_png(fuzz::scratch() / "b.png", std::vector<float>(24, 0.5f), 2, 3, 4);
    return true;
  }();
  (void)pictures;
  const std::string_view bytes = fuzz::as_view(data, size);
  const std::size_t split = bytes.find("\n%%\n");
  fuzz::write_bytes(fuzz::scratch() / "cameras.txt", bytes.substr(0, split));
  fuzz::write_bytes(fuzz::scratch() / "images.txt",
                    split == std::string_view::npos ? "1 1 0 0 0 0 0 0 1 a.png\n\n"
                                                    : bytes.substr(split + 4));
  try {
    (void)advect::io::read_colmap_text(fuzz::scratch(), fuzz::scratch());
  } catch (const advect::io::IoError&) {
  }
  return 0;
}
