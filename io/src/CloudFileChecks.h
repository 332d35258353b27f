// .ply and .pcd files are checked before Open3D reads them. Open3D 0.16's readers crash on some
// malformed files (found by fuzz/: a PLY vertex element without z, an ASCII PCD line with fewer
// values than fields) and allocate for whatever point count a header claims (a 200-byte file
// claiming 10^10 vertices asks for 240 GB). The checks accept every file Open3D reads correctly.
#pragma once

#include <filesystem>

namespace advect::io::detail {

// IoError naming the file and the problem: a header that is not well-formed PLY (format,
// element, property with known types, end_header; a vertex element with scalar x, y and z) or
// PCD (FIELDS/SIZE/TYPE/COUNT of one length, known sizes and types, x, y and z, WIDTH x HEIGHT
// = POINTS, DATA ascii, binary or binary_compressed); more points claimed than the data can hold
// (the least bytes a point takes: its binary record, two characters per ASCII value); an ASCII
// PCD line with another number of values than the fields; compressed PCD sizes that disagree with
// the header or with each other (LZF unpacks at most 88-fold).
void check_cloud_file(const std::filesystem::path& path);

}  // namespace advect::io::detail
