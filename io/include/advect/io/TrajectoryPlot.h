// A top-view PNG of trajectories, drawn with Cairo (headless: no X server needed).
#pragma once

#include <filesystem>
#include <span>
#include <string>

namespace advect::io {

// Draws the trajectories in `states` (T x N x 3, time-major, metres) seen from above: x to the
// right, y up, equal scales, each segment coloured by time (viridis), with axes, a time colour
// bar and `title`. At most 4000 trajectories are drawn (an even subsample, said in the picture).
void plot_trajectories_top_view(const std::filesystem::path& path, std::span<const double> states,
                                std::span<const double> times, const std::string& title);

}  // namespace advect::io
