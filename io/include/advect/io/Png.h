// PNG pictures through libpng: 8- and 16-bit grey, grey+alpha, RGB, RGBA and palette files in,
// 8-bit RGB or RGBA out.
#pragma once

#include <filesystem>
#include <vector>

namespace advect::io {

struct RgbaImage {
  int width = 0, height = 0;
  std::vector<float> rgba;  // height x width x 4 in [0, 1], rows from the top; alpha 1 if none
};

// Throws IoError naming the file (missing, not a PNG, truncated, corrupt).
RgbaImage read_png(const std::filesystem::path& path);

// Writes height x width x channels values in [0, 1] (clamped, rounded to 8 bits; channels 3 or
// 4) atomically. Throws IoError when the file cannot be written.
void write_png(const std::filesystem::path& path, const std::vector<float>& values, int width,
               int height, int channels);

}  // namespace advect::io
