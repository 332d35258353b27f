#include "advect/radiance/OpticalFlow.h"

#include <cmath>
#include <stdexcept>

#include "advect/radiance/SceneRendering.h"

namespace advect::radiance {

std::vector<float> rendered_optical_flow(const DynamicRenderedImage& image,
                                         const PinholeCamera& camera, const PinholeCamera& next,
                                         bool scene_flow, float min_opacity) {
  if (image.width != camera.width || image.height != camera.height) {
    throw std::invalid_argument("rendered_optical_flow: the image and its camera differ in size");
  }
  const std::size_t pixels = std::size_t(image.width) * std::size_t(image.height);
  std::vector<float> flow(2 * pixels, NAN);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const std::size_t p = std::size_t(y) * std::size_t(image.width) + std::size_t(x);
      const float opacity = image.opacity[p];
      if (!(opacity >= min_opacity)) continue;
      const float u0 = float(x) + 0.5f, v0 = float(y) + 0.5f;
      float origin[3], direction[3], moved[3];
      camera.ray(u0, v0, origin, direction);
      for (int a = 0; a < 3; ++a) {
        const float carried = scene_flow ? image.flow[3 * p + std::size_t(a)] / opacity : 0.0f;
        moved[a] = origin[a] + image.depth[p] / opacity * direction[a] + carried;
      }
      float u, v;
      if (!project(next, moved, u, v)) continue;
      flow[2 * p] = u - u0;
      flow[2 * p + 1] = v - v0;
    }
  }
  return flow;
}

OpticalFlowError& OpticalFlowError::operator+=(const OpticalFlowError& other) {
  sum += other.sum;
  pixels += other.pixels;
  unscored += other.unscored;
  return *this;
}

OpticalFlowError optical_flow_error(const std::vector<float>& predicted,
                                    const std::vector<float>& truth,
                                    const std::vector<std::uint8_t>& mask) {
  if (predicted.size() != truth.size() || predicted.size() % 2 != 0 ||
      (!mask.empty() && 2 * mask.size() != truth.size())) {
    throw std::invalid_argument("optical_flow_error: arrays of different sizes");
  }
  OpticalFlowError error;
  for (std::size_t p = 0; 2 * p < truth.size(); ++p) {
    if (!mask.empty() && !mask[p]) continue;
    if (std::isnan(predicted[2 * p]) || std::isnan(predicted[2 * p + 1])) {
      ++error.unscored;
      continue;
    }
    error.sum += std::hypot(double(predicted[2 * p]) - truth[2 * p],
                            double(predicted[2 * p + 1]) - truth[2 * p + 1]);
    ++error.pixels;
  }
  return error;
}

}  // namespace advect::radiance
