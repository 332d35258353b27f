// Training a radiance field on posed images, and rendering it: the library functions behind
// `advect radiance train|render|eval` and the Python module.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advect/radiance/LidarSupervision.h"
#include "advect/radiance/PosedImages.h"
#include "advect/radiance/RadianceField.h"

namespace advect::radiance {

struct TrainingOptions {
  std::int64_t max_steps = 1000000;
  double max_seconds = 300.0;  // wall-clock budget; training stops at whichever comes first
  std::int64_t samples_per_step = 1 << 16;  // target; the rays per step adapt to it
  int occupancy_interval = 16;              // steps between occupancy grid updates
  std::uint64_t seed = 0;
  // Lidar returns supervising the geometry (none: images only); those outside the field's box or
  // beyond lidar_loss.max_range are left out.
  LidarRays lidar;
  LidarLoss lidar_loss;
  // Called after each step with the report so far (for progress bars); may be empty.
  std::function<void(const struct TrainingReport&)> on_step;
};

// Seconds spent per stage over the whole run (on a GPU each stage waits for its kernels).
struct StageSeconds {
  double sampling = 0, encoding = 0, networks = 0, compositing = 0, optimiser = 0, occupancy = 0;
};

struct TrainingReport {
  std::int64_t steps = 0, rays = 0, samples = 0;
  double seconds = 0;
  double loss = 0;              // mean squared error of the last step's rays (random backgrounds)
  double occupied = 1;          // fraction of occupancy cells marked occupied
  std::int64_t lidar_rays = 0;  // lidar returns used (0: no lidar supervision)
  double depth_loss = 0, sight_loss = 0;  // the last step's mean lidar terms, unweighted
  StageSeconds stages;
};

// The report as the model file's "training" record: scene, steps, seconds, rays, samples,
// final_loss, occupied, device, and "lidar" (rays, the last step's terms) where lidar was used.
nlohmann::json training_record(const TrainingReport& report, const std::string& scene,
                               const std::string& device);

// Trains `field` on `images` with random rays over all pixels; each ray gets a random background
// colour, and its target is the pixel composited over it, so that transparency is learnt.
TrainingReport train(RadianceField& field, const PosedImages& images,
                     const TrainingOptions& options);

struct RenderedImage {
  int width = 0, height = 0;
  std::vector<float> rgb;      // height x width x 3
  std::vector<float> depth;    // height x width: expected termination distance (world units)
  std::vector<float> opacity;  // height x width
};

// Renders the view of `camera` over a constant background colour (RGB in [0, 1]).
RenderedImage render(const RadianceField& field, const PinholeCamera& camera,
                     const float background[3]);

}  // namespace advect::radiance
