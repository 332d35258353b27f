// The surfaces a rendered dynamic view shows, as points: what `advect radiance export` writes per
// time (static and dynamic clouds, the flow for ParaView).
#pragma once

#include <vector>

#include "advect/radiance/Camera.h"
#include "advect/radiance/DynamicTraining.h"

namespace advect::radiance {

struct SurfacePoints {
  std::vector<float> positions;         // n x 3, world units
  std::vector<float> colours;           // n x 3 in [0, 1]
  std::vector<float> dynamic_fraction;  // n: the dynamic branch's share of the pixel's opacity
  std::vector<float> flow;              // n x 3: expected forward scene flow, world units / frame
  std::size_t size() const { return dynamic_fraction.size(); }
};

// One point per pixel of `image` (rendered by `camera` over a black background) whose opacity
// reaches `min_opacity`: at the expected depth along its ray (depth / opacity), coloured
// rgb / opacity, with dynamic_share / opacity and flow / opacity. Appends to `points`. Throws
// std::invalid_argument when the image and the camera differ in size.
void append_surface_points(const DynamicRenderedImage& image, const PinholeCamera& camera,
                           SurfacePoints& points, float min_opacity = 0.5f);

}  // namespace advect::radiance
