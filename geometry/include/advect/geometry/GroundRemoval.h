// Ground segmentation by RANSAC plane fitting, on either device. Candidate planes score their
// inliers minus the points below them: a horizontal band through walls and car bodies can hold
// more points than the ground, but the ground has (almost) nothing under it. Candidates are drawn
// from the lowest 30% of the points (z up, as in a sensor or vehicle frame); the winner is refined
// by least squares on its inliers. Crop to the sensor's surroundings first: one plane models the
// ground near the sensor, not a whole hilly sweep.
#pragma once

#include <array>
#include <cstdint>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"

namespace advect::geometry {

struct GroundOptions {
  float distance = 0.2f;       // inlier band half-width, metres
  int candidates = 200;        // random 3-point planes tried
  float max_tilt_deg = 15.0f;  // planes steeper than this are not ground
  std::uint64_t seed = 0;
};

struct GroundPlane {
  std::array<double, 4> plane{0, 0, 1, 0};  // unit normal (n_z > 0) and offset: n . p + d = 0
  std::int64_t inliers = 0;
  std::int64_t below = 0;  // points more than `distance` under the plane
};

// points: n x 3 float32 in `device` memory, metres. Throws std::invalid_argument if n < 3 or no
// candidate plane is flat enough.
GroundPlane fit_ground_plane(const float* points, std::int64_t n, const GroundOptions& options,
                             const Device& device);

// mask[i] = 1 where |n . p_i + d| <= distance (ground), else 0; n entries in `device` memory.
void ground_mask(const float* points, std::int64_t n, const GroundPlane& plane, float distance,
                 std::uint8_t* mask, const Device& device);

}  // namespace advect::geometry
