// The optical flow a rendered dynamic view implies: what each pixel sees, moved by its scene flow
// and seen by the camera of the next frame. Scored against the engine's exact optical flow
// (`advect radiance scene` writes optical_flow.npy the same way: the surface point of a pixel
// moved by its flow to the next step, projected into that step's camera).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "advect/radiance/Camera.h"
#include "advect/radiance/DynamicTraining.h"

namespace advect::radiance {

// height x width x 2 (pixels, x right then y down): for each pixel of `image` (rendered by
// `camera`), its expected surface point (the ray at depth / opacity) moved by its expected forward
// scene flow (flow / opacity; zero with `scene_flow` false, which leaves the camera's own motion
// alone), projected into `next`, minus the pixel's centre. NaN where the pixel's opacity is below
// `min_opacity` or the moved point is behind `next`. Throws std::invalid_argument when the image
// and the camera differ in size.
std::vector<float> rendered_optical_flow(const DynamicRenderedImage& image,
                                         const PinholeCamera& camera, const PinholeCamera& next,
                                         bool scene_flow = true, float min_opacity = 0.5f);

// Mean end-point error (pixels) of `predicted` against `truth` (both height x width x 2) over the
// pixels where `mask` is non-zero (all pixels when empty) and the prediction is not NaN.
struct OpticalFlowError {
  double sum = 0;            // of the end-point errors, pixels
  std::size_t pixels = 0;    // scored
  std::size_t unscored = 0;  // in the mask, but without a prediction (NaN)
  double epe() const { return pixels ? sum / double(pixels) : NAN; }
  OpticalFlowError& operator+=(const OpticalFlowError& other);
};
OpticalFlowError optical_flow_error(const std::vector<float>& predicted,
                                    const std::vector<float>& truth,
                                    const std::vector<std::uint8_t>& mask);

}  // namespace advect::radiance
