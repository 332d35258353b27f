#include "advect/io/Jpeg.h"

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdio>
#include <string>
#include <vector>

// jpeglib.h needs FILE and size_t declared before it.
#include <jpeglib.h>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {
namespace {

constexpr std::uint64_t kMaxPixels = std::uint64_t(1) << 28;

// libjpeg reports errors through a callback that must not return; it jumps back to decode(),
// whose locals are all trivially destructible, so the jump skips no destructor.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// Warnings (level -1) are data errors such as a premature end of the file: refuse them too.
void on_message(j_common_ptr info, int level) {
  if (level < 0) on_error(info);
}

// Decodes `size` bytes into RGB `pixels` (resized here); false with errors.message set on failure.
bool decode(const unsigned char* data, std::size_t size, std::vector<unsigned char>* pixels,
            int* width, int* height, JpegErrors* errors) {
  jpeg_decompress_struct info;
  info.err = jpeg_std_error(&errors->manager);
  errors->manager.error_exit = on_error;
  errors->manager.emit_message = on_message;
  if (setjmp(errors->jump)) {
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, data, static_cast<unsigned long>(size));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_RGB;
  jpeg_start_decompress(&info);
  if (std::uint64_t(info.output_width) * info.output_height > kMaxPixels) {
    std::snprintf(errors->message, sizeof errors->message, "JPEG larger than 2^28 pixels");
    jpeg_destroy_decompress(&info);
    return false;
  }
  *width = int(info.output_width);
  *height = int(info.output_height);
  pixels->resize(std::size_t(info.output_width) * info.output_height * 3);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = pixels->data() + std::size_t(info.output_scanline) * info.output_width * 3;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return true;
}

}  // namespace

RgbaImage read_jpeg(const std::filesystem::path& path) {
  const std::string bytes = read_file_bytes(path);
  if (bytes.empty()) throw IoError(path, "empty file, not a JPEG");
  std::vector<unsigned char> rgb;
  int width = 0, height = 0;
  JpegErrors errors{};
  if (!decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &rgb, &width,
              &height, &errors)) {
    throw IoError(path, std::string("not a readable JPEG (") + errors.message + ")");
  }
  RgbaImage image;
  image.width = width;
  image.height = height;
  image.rgba.resize(std::size_t(width) * std::size_t(height) * 4);
  for (std::size_t p = 0; p < std::size_t(width) * std::size_t(height); ++p) {
    for (std::size_t c = 0; c < 3; ++c) image.rgba[4 * p + c] = float(rgb[3 * p + c]) / 255.0f;
    image.rgba[4 * p + 3] = 1.0f;
  }
  return image;
}

RgbaImage read_picture(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return extension == ".jpg" || extension == ".jpeg" ? read_jpeg(path) : read_png(path);
}

}  // namespace advect::io
