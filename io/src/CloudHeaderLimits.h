// Bounds the point count a .ply or .pcd header claims by what the file can hold, before Open3D
// allocates for it: a 200-byte file claiming 10^10 vertices would otherwise ask for 240 GB.
#pragma once

#include <filesystem>

namespace advect::io::detail {

// IoError naming the file when its header claims more points than its size can hold (the least
// bytes a point takes in the header's encoding: its binary record, two characters per ASCII
// value, 1/100 of the record for LZF-compressed PCD data). Headers it cannot parse are left to
// Open3D's reader, which refuses them.
void check_cloud_header_claims(const std::filesystem::path& path);

}  // namespace advect::io::detail
