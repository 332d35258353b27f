// A top-view PNG of a scene-flow estimate, drawn with Cairo (headless).
#pragma once

#include <filesystem>
#include <span>
#include <string>

namespace advect::io {

// The target cloud in grey under the source points coloured by |flow| (viridis, up to the 99th
// percentile), with every drawn point's flow vector as a line from p to p + flow. Points and flows
// are N x 3 / M x 3 float32, metres. The view plane is spanned by the two axes along which the
// clouds extend most (x-y for lidar, x-z for KITTI's camera frame). At most 20,000 points are
// drawn.
void plot_flow_top_view(const std::filesystem::path& path, std::span<const float> source,
                        std::span<const float> flow, std::span<const float> target,
                        const std::string& title);

}  // namespace advect::io
