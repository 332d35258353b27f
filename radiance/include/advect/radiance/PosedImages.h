// A set of images with their cameras: the training and test data of a radiance field.
#pragma once

#include <string>
#include <vector>

#include "advect/radiance/Camera.h"

namespace advect::radiance {

struct PosedImages {
  int width = 0, height = 0;  // every image has this size
  std::vector<PinholeCamera> cameras;
  std::vector<std::string> names;  // one per image, for messages and file names
  // RGBA in [0, 1], linear in the file's values (no colour-space change), image by image,
  // row by row from the top, 4 floats a pixel: images x height x width x 4.
  std::vector<float> rgba;
  // Known depth (distance along each pixel's centre ray, world units), images x height x width, or
  // empty when no image has any; NaN where unknown (sky, or an image without a depth file).
  std::vector<float> depth;
  // Empty, or per image the frame's "time" (the scene's normalised time in [0, 1]; 0 where a
  // frame of a transforms.json gives none).
  std::vector<float> times;

  std::size_t size() const { return cameras.size(); }
  const float* image(std::size_t i) const {
    return rgba.data() + i * std::size_t(width) * std::size_t(height) * 4;
  }
  const float* depth_of(std::size_t i) const {
    return depth.empty() ? nullptr : depth.data() + i * std::size_t(width) * std::size_t(height);
  }
};

// RGB of image i composited over `background` (alpha blending): height x width x 3.
std::vector<float> composite_over(const PosedImages& images, std::size_t i,
                                  const float background[3]);

}  // namespace advect::radiance
