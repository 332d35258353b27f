// JPEG pictures through libjpeg-turbo (baseline and progressive, grey or colour, read as RGB with
// alpha 1), and the reader of dataset pictures that picks PNG or JPEG by the file's extension.
#pragma once

#include <filesystem>

#include "advect/io/Png.h"

namespace advect::io {

// Throws IoError naming the file (missing, not a JPEG, truncated: libjpeg's warnings, such as a
// premature end of data, count as errors, so a partial picture is never returned).
RgbaImage read_jpeg(const std::filesystem::path& path);

// read_jpeg for .jpg / .jpeg (any case), read_png otherwise.
RgbaImage read_picture(const std::filesystem::path& path);

}  // namespace advect::io
