// The picture of `advect accumulate`: top views of the pose-only and the flow-based accumulation
// side by side: moving points coloured by the sweep they came from, static ones grey.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace advect::io {

struct AccumulationView {
  std::string title;
  std::vector<float> points;  // N x 3, metres, world frame
};

// `sweep_of[i]`, a frame number in [first_frame, last_frame], colours point i of every view (views
// have the same points in the same order); `moving[i]` marks the points the view is centred on (the
// moving ones: the window is their extent plus 5 m, or everything when none moves).
void plot_accumulations(const std::filesystem::path& path, std::span<const AccumulationView> views,
                        std::span<const int> sweep_of, std::span<const unsigned char> moving,
                        int first_frame, int last_frame);

}  // namespace advect::io
