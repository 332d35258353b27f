// The observation protocol of a flow surrogate: the model sees a fixed random subset of the grid
// points (a fraction of them, drawn once per trajectory) at every k-th frame, and is judged at
// all points and frames, with the error split by observed / unobserved points and times.
//
// Sequences are float arrays (T, H, W, C) = (frames, rows along y, columns along x, channels),
// C fastest; a grid point is row * W + column.
#pragma once

#include <cstdint>
#include <vector>

namespace advect::neural {

struct SequenceShape {
  int frames = 0, height = 0, width = 0, channels = 1;
  std::size_t points() const { return std::size_t(height) * std::size_t(width); }
  std::size_t size() const { return std::size_t(frames) * points() * std::size_t(channels); }
};

struct ObservationProtocol {
  double point_fraction = 0.25;  // of the grid points, (0, 1]
  int frame_stride = 1;          // every frame (1), every second (2), ...
};

struct Observations {
  std::vector<int> points;  // observed grid points, increasing
  std::vector<int> frames;  // observed frames 0, stride, 2 stride, ..., increasing
};

// round(fraction * H * W) distinct points (at least 1), the same for the same seed.
Observations draw_observations(const SequenceShape& shape, const ObservationProtocol& protocol,
                               std::uint64_t seed);

// Errors of a prediction against the truth over every point, frame and channel.
struct SurrogateErrors {
  double mse = 0.0;
  double nmse = 0.0;    // MSE / mean(truth^2) (CFDBench)
  double rel_l2 = 0.0;  // |prediction - truth|_2 / |truth|_2
  // rel_l2 over [observed point][observed frame] (0 = no, 1 = yes), and over all unobserved
  // points or all unobserved frames.
  double rel_l2_split[2][2] = {{0.0, 0.0}, {0.0, 0.0}};
  double rel_l2_unobserved_points = 0.0, rel_l2_unobserved_times = 0.0;
};
SurrogateErrors evaluate(const SequenceShape& shape, const std::vector<float>& prediction,
                         const std::vector<float>& truth, const Observations& observed);

}  // namespace advect::neural
