#include "advect/radiance/PosedImages.h"

namespace advect::radiance {

std::vector<float> composite_over(const PosedImages& images, std::size_t i,
                                  const float background[3]) {
  const std::size_t pixels = std::size_t(images.width) * std::size_t(images.height);
  const float* rgba = images.image(i);
  std::vector<float> rgb(pixels * 3);
  for (std::size_t p = 0; p < pixels; ++p) {
    const float alpha = rgba[4 * p + 3];
    for (int c = 0; c < 3; ++c) {
      rgb[3 * p + std::size_t(c)] =
          rgba[4 * p + std::size_t(c)] * alpha + background[c] * (1.0f - alpha);
    }
  }
  return rgb;
}

}  // namespace advect::radiance
