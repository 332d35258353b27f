#include "advect/radiance/SurfacePoints.h"

#include <algorithm>
#include <stdexcept>

namespace advect::radiance {

void append_surface_points(const DynamicRenderedImage& image, const PinholeCamera& camera,
                           SurfacePoints& points, float min_opacity) {
  if (image.width != camera.width || image.height != camera.height) {
    throw std::invalid_argument("append_surface_points: the image and its camera differ in size");
  }
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const std::size_t p = std::size_t(y) * std::size_t(image.width) + std::size_t(x);
      const float opacity = image.opacity[p];
      if (!(opacity >= min_opacity)) continue;
      float origin[3], direction[3];
      camera.ray(float(x) + 0.5f, float(y) + 0.5f, origin, direction);
      for (std::size_t a = 0; a < 3; ++a) {
        points.positions.push_back(origin[a] + image.depth[p] / opacity * direction[a]);
        points.colours.push_back(std::min(1.0f, image.rgb[3 * p + a] / opacity));
        points.flow.push_back(image.flow[3 * p + a] / opacity);
      }
      points.dynamic_fraction.push_back(std::min(1.0f, image.dynamic_share[p] / opacity));
    }
  }
}

}  // namespace advect::radiance
