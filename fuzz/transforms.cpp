// io::read_transforms_json on an arbitrary transforms.json beside two valid pictures (a.png 4 x 4
// and b.png 2 x 3, so that frames may name pictures that exist, differ in size, or are missing).
// The documented refusal is io::IoError.
#include "FuzzInput.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/Png.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool pictures = [] {
    advect::io::write_png(advect::fuzz::scratch() / "a.png", std::vector<float>(48, 0.5f), 4, 4, 3);
    advect::io::write_png(advect::fuzz::scratch() / "b.png", std::vector<float>(24, 0.5f), 2, 3, 4);
    return true;
  }();
  (void)pictures;
  return advect::fuzz::read_input(data, size, "transforms.json", [](const auto& path) {
    (void)advect::io::read_transforms_json(path);
  });
}
