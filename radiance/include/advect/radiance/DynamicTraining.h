// Training the dynamic field (DynamicField.h) on posed images over time, and rendering it at any
// camera and any time: the library functions behind `advect radiance train|render|eval --model
// dynamic` and the Python module.
#pragma once

#include <vector>

#include "advect/radiance/DynamicField.h"
#include "advect/radiance/RadianceTraining.h"

namespace advect::radiance {

struct DynamicTrainingReport : TrainingReport {
  double cycle = 0;     // the last step's cycle term (weighted)
  double sparsity = 0;  // the last step's mean dynamic opacity of its rays (unweighted; set at the
                        // end of training, and only with a sparsity weight)
  double entropy = 0;   // the last step's entropy term of the split (weighted)
};

// The normalised time between consecutive frames: the smallest positive gap between the images'
// times (0 when they are all at one time).
float frame_time_of(const PosedImages& images);

// The training record of a dynamic model file: the static one's plus cycle, dynamic_opacity,
// entropy, frame_time and motion.
nlohmann::json training_record(const DynamicTrainingReport& report, const DynamicField& field,
                               const std::string& scene, const std::string& device);

// The dynamic field's training defaults (the command's and Python's): 2^14 samples per step and
// an occupancy update every 8 steps. Its samples cost several times a static one's, so more,
// smaller steps train it faster, and empty space must be carved out early.
TrainingOptions dynamic_training_options();

// EmerNeRF's entropy regulariser of the split (DynamicFieldConfig::entropy) over n samples'
// densities (device arrays, 1 / world units): per sample s = clamp((sigma_d / (sigma_s + sigma_d
// + 1e-7))^skewness, 1e-6, 1 - 1e-6) and H = -s ln s - (1 - s) ln(1 - s). Returns weight * mean H
// and adds its gradient in DynamicField::backward's convention: dL/d sigma_s to d_sigma and
// dL/d sigma_d - dL/d sigma_s to d_dynamic_sigma (nothing where the clamp holds).
double split_entropy(const float* static_sigma, const float* dynamic_sigma, std::int64_t n,
                     float weight, float skewness, float* d_sigma, float* d_dynamic_sigma,
                     const Device& device);

// Trains `field` on `images` (their times in images.times, each in [0, 1]): random rays over all
// pixels of all times over random backgrounds (as the static training does), squared colour error,
// plus the sparsity term on each ray's dynamic opacity and the flow's cycle term. Sets the
// field's frame_time from the images when it is 0. Throws std::invalid_argument on images
// without times or times outside [0, 1].
DynamicTrainingReport train(DynamicField& field, const PosedImages& images,
                            const TrainingOptions& options);

struct DynamicRenderedImage : RenderedImage {
  std::vector<float> static_rgb;       // height x width x 3: the static branch alone
  std::vector<float> dynamic_rgb;      // height x width x 3: the dynamic branch alone
  std::vector<float> static_opacity;   // height x width
  std::vector<float> dynamic_opacity;  // height x width
  // height x width: the share of the pixel's opacity that the dynamic branch accounts for
  // (sum_k w_k sigma_d,k / sigma_k), so share / opacity is the pixel's dynamic fraction
  std::vector<float> dynamic_share;
  // height x width x 3: the expected forward scene flow (world units per frame) of what the
  // pixel sees, each sample's flow weighted by its dynamic share (static surfaces: 0)
  std::vector<float> flow;
};

// The view of `camera` at normalised time `time` over a constant background colour, with each
// branch rendered alone over the same background.
DynamicRenderedImage render(const DynamicField& field, const PinholeCamera& camera, float time,
                            const float background[3]);

// The fields at world points (N x 3) at normalised time `time`, nothing masked.
struct FieldAtPoints {
  std::vector<float> flow;  // N x 6: forward then backward displacement, world units per frame
                            // (zeros without a flow field)
  std::vector<float> static_density, dynamic_density;  // N each, 1 / world units
  // The forward flow (N x 3) where the dynamic density exceeds the static one, zero elsewhere
  // (EmerNeRF keeps flows on dynamic points only): the scene flow that eval scores.
  std::vector<float> scene_flow() const;
};
FieldAtPoints query_points(const DynamicField& field, const std::vector<float>& points, float time);

// query_points(field, points, time).scene_flow(): world units per frame, zero without a flow
// field.
std::vector<float> scene_flow_at(const DynamicField& field, const std::vector<float>& points,
                                 float time);

}  // namespace advect::radiance
