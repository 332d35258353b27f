#include "advect/io/Png.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {
namespace {

// libpng's simplified API reports errors in the image's message, without longjmp into our frames.
constexpr std::uint64_t kMaxPixels = std::uint64_t(1) << 28;

}  // namespace

RgbaImage read_png(const std::filesystem::path& path) {
  const std::string bytes = read_file_bytes(path);
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    throw IoError(path, std::string("not a readable PNG (") + image.message + ")");
  }
  if (std::uint64_t(image.width) * image.height > kMaxPixels) {
    png_image_free(&image);
    throw IoError(path, "PNG larger than 2^28 pixels");
  }
  image.format = PNG_FORMAT_RGBA;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    throw IoError(path, std::string("corrupt or truncated PNG (") + image.message + ")");
  }
  RgbaImage out;
  out.width = int(image.width);
  out.height = int(image.height);
  out.rgba.resize(pixels.size());
  std::transform(pixels.begin(), pixels.end(), out.rgba.begin(),
                 [](png_byte v) { return float(v) / 255.0f; });
  return out;
}

void write_png(const std::filesystem::path& path, const std::vector<float>& values, int width,
               int height, int channels) {
  if ((channels != 3 && channels != 4) || width <= 0 || height <= 0 ||
      values.size() != std::size_t(width) * std::size_t(height) * std::size_t(channels)) {
    throw IoError(path, "write_png needs width x height x 3 or 4 values");
  }
  std::vector<png_byte> pixels(values.size());
  std::transform(values.begin(), values.end(), pixels.begin(), [](float v) {
    return png_byte(std::lround(std::clamp(std::isfinite(v) ? v : 0.0f, 0.0f, 1.0f) * 255.0f));
  });
  write_atomically(path, [&](const std::filesystem::path& temporary) {
    png_image image;
    std::memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
    image.width = png_uint_32(width);
    image.height = png_uint_32(height);
    image.format = channels == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&image, temporary.c_str(), 0, pixels.data(), 0, nullptr)) {
      throw IoError(path, std::string("cannot write PNG (") + image.message + ")");
    }
  });
}

}  // namespace advect::io
