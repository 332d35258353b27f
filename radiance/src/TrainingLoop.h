// The loops that the static and the dynamic field share. Rendering: a camera's pixels in chunks,
// each marched through the occupancy grid. Training: random rays over all pixels
// over random backgrounds (and random lidar returns, LidarSupervision.h), marching through the
// occupancy grid, compositing, squared colour error (the lidar's terms), backward, one optimiser
// step, the rays per step adapted to a sample target. A field takes part
// through a Model (FieldModel below gives the first three lines) with:
//   const Device& device(); OccupancyGrid& occupancy(); float sample_step();
//   BufferView<float> parameters(), gradients(); std::int64_t parameter_count(),
//   network_parameter_count(); const nlohmann::json& optimizer();
//   void update_occupancy(std::uint64_t seed, float threshold);
//   void forward(const RaySamples&, const float* ray_times, std::int64_t rays, std::int64_t n,
//                float* sigma, float* rgb, std::uint64_t seed);
//   void extra_losses(const PackedSamples&, std::int64_t n, double progress);  // after the
//                     colour's gradient; progress: the share of the budget spent (steps or s)
//   void backward(const RaySamples&, const float* sigma, const float* d_sigma,
//                 const float* d_rgb);
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "advect/engine/Buffer.h"
#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/engine/Memory.h"
#include "advect/engine/SubnormalsFlushed.h"
#include "advect/engine/Timing.h"
#include "advect/neural/Components.h"
#include "advect/radiance/DynamicField.h"
#include "advect/radiance/LidarSupervision.h"
#include "advect/radiance/OccupancyGrid.h"
#include "advect/radiance/RadianceField.h"
#include "advect/radiance/RadianceTraining.h"
#include "advect/radiance/VolumeRendering.h"
#include "kernels/LidarKernels.h"
#include "kernels/TrainingKernels.h"

namespace advect::radiance {

// Stage times on a GPU need the kernels finished: a device-to-host copy waits for them.
inline void wait_for(const Device& device) {
  if (device.is_cpu()) return;
  static thread_local Buffer<float> probe;
  ensure_size(probe, 1, device);
  float value;
  detail::copy_bytes(&value, Device::cpu(), probe.data(), device, sizeof(float));
}

class StageClock {
 public:
  explicit StageClock(const Device& device) : device_(device), start_(Clock::now()) {}
  void lap(double& into) {
    wait_for(device_);
    const Clock::time_point now = Clock::now();
    into += std::chrono::duration<double>(now - start_).count();
    start_ = now;
  }

 private:
  Device device_;
  Clock::time_point start_;
};

// The settings the fields share: the static field's own, the dynamic field's static branch's.
inline const RadianceFieldConfig& shared_settings(const RadianceField& field) {
  return field.config();
}
inline const RadianceFieldConfig& shared_settings(const DynamicField& field) {
  return field.config().base;
}

// The part of a Model that forwards to its field unchanged; a Model derives from it and adds
// update_occupancy, forward, extra_losses and backward.
template <class Field>
class FieldModel {
 public:
  explicit FieldModel(Field& field) : field_(field) {}
  const Device& device() const { return field_.device(); }
  OccupancyGrid& occupancy() { return field_.occupancy(); }
  float sample_step() const { return shared_settings(field_).sample_step(); }
  const nlohmann::json& optimizer() const { return shared_settings(field_).optimizer; }
  BufferView<float> parameters() { return field_.parameters(); }
  BufferView<float> gradients() { return field_.gradients(); }
  std::int64_t parameter_count() const { return field_.parameter_count(); }
  std::int64_t network_parameter_count() const { return field_.network_parameter_count(); }

 protected:
  Field& field_;
};

// The lidar returns inside the model's box, on its device.
struct LidarData {
  Buffer<float> origins, directions, ranges, times;
  LidarView view{nullptr, nullptr, nullptr, nullptr, 0};

  LidarData(const LidarRays& all, const SceneBox& box, float max_range, const Device& device) {
    const LidarRays rays = all.inside(box, max_range);
    if (rays.size() == 0) return;
    origins = Buffer<float>::from_host(rays.origins, device);
    directions = Buffer<float>::from_host(rays.directions, device);
    ranges = Buffer<float>::from_host(rays.ranges, device);
    if (!rays.times.empty()) times = Buffer<float>::from_host(rays.times, device);
    view = {origins.data(), directions.data(), ranges.data(),
            rays.times.empty() ? nullptr : times.data(), std::int64_t(rays.size())};
  }
};

// `images` with its times (or null) on the model's device; fills `report` (whose derived parts
// the model may fill too). A step's rays are the pixel rays, then (with lidar) the lidar rays:
// the colour's loss on the first, the lidar's terms on the second, the model's extra losses on
// all.
template <class Model>
void run_training(Model& model, const ImagesView& images, const TrainingOptions& options,
                  TrainingReport& report) {
  const SubnormalsFlushed flushed;
  const Device device = model.device();
  const auto optimiser = neural::create_optimizer(model.optimizer(), model.parameter_count(),
                                                  model.network_parameter_count(), device);
  const float step = model.sample_step();
  // A cell is empty when a sample there would be under 1% opaque (instant-ngp's rule).
  const float threshold = 0.01f / step;
  const LidarLoss& lidar_loss = options.lidar_loss;
  const LidarData lidar(options.lidar, model.occupancy().box(), lidar_loss.max_range, device);
  report.lidar_rays = lidar.view.rays;
  Buffer<float> origins, directions, target, background, rgb, d_rgb, ray_times, ranges;
  Buffer<float> sigma, sample_rgb, d_sigma, d_sample_rgb;
  RaySamples samples;
  // Before the occupancy grid has carved out empty space a ray takes up to hundreds of samples.
  std::int64_t rays = std::max<std::int64_t>(256, options.samples_per_step / 256);
  const Clock::time_point start = Clock::now();
  while (report.steps < options.max_steps && seconds_since(start) < options.max_seconds) {
    const std::uint64_t step_seed = options.seed * 0x100000001b3ull + std::uint64_t(report.steps);
    StageClock clock(device);
    if (report.steps % options.occupancy_interval == 0) {
      model.update_occupancy(step_seed ^ 0x5bd1e995u, threshold);
      clock.lap(report.stages.occupancy);
    }
    const std::int64_t lidar_rays =
        lidar.view.rays > 0
            ? std::max<std::int64_t>(1, std::llround(double(rays) * lidar_loss.rays_share))
            : 0;
    const std::int64_t all = rays + lidar_rays;
    for (Buffer<float>* buffer : {&origins, &directions}) ensure_size(*buffer, 3 * all, device);
    for (Buffer<float>* buffer : {&target, &background, &rgb, &d_rgb}) {
      ensure_size(*buffer, 3 * rays, device);
    }
    if (images.times) ensure_size(ray_times, all, device);
    ensure_size(ranges, lidar_rays, device);
    // The jitter's stream must differ from the ray draw's: both index by ray.
    MarchOptions march{step, 1024, true, step_seed ^ 0x2545f4914f6cdd1dull};
    with_backend(device, [&](auto backend) {
      TrainingKernels<backend>::draw_rays(
          images, rays, step_seed,
          {origins.data(), directions.data(), target.data(), background.data(),
           images.times ? ray_times.data() : nullptr});
      if (lidar_rays > 0) {
        LidarKernels<backend>::draw(
            lidar.view, lidar_rays, step_seed ^ 0x94d049bb133111ebull,
            {origins.data() + 3 * rays, directions.data() + 3 * rays, ranges.data(),
             images.times ? ray_times.data() + rays : nullptr});
      }
    });
    const std::int64_t n =
        model.occupancy().march(origins.data(), directions.data(), all, march, samples);
    clock.lap(report.stages.sampling);
    ensure_size(sigma, n, device);
    ensure_size(d_sigma, n, device);
    ensure_size(sample_rgb, 3 * n, device);
    ensure_size(d_sample_rgb, 3 * n, device);
    model.forward(samples, images.times ? ray_times.data() : nullptr, all, n, sigma.data(),
                  sample_rgb.data(), step_seed ^ 0xd1b54a32d192ed03ull);
    clock.lap(report.stages.networks);
    const PackedSamples packed{samples.offsets.data(), samples.t.data(), samples.dt.data(), all};
    const PackedSamples pixels{packed.offsets, packed.t, packed.dt, rays};
    const RenderedRays rendered{rgb.data(), nullptr, nullptr};
    composite(pixels, sigma.data(), sample_rgb.data(), background.data(), rendered, device);
    double squared = 0.0;
    with_backend(device, [&](auto backend) {
      squared =
          TrainingKernels<backend>::squared_error(rgb.data(), target.data(), rays, d_rgb.data());
    });
    composite_backward(pixels, sigma.data(), sample_rgb.data(), rendered, d_rgb.data(), nullptr,
                       nullptr, d_sigma.data(), d_sample_rgb.data(), device);
    const double progress = std::max(double(report.steps) / double(options.max_steps),
                                     seconds_since(start) / options.max_seconds);
    if (lidar_rays > 0) {
      const LidarTermWeights weights{lidar_loss.depth, lidar_loss.sight_weight(progress),
                                     lidar_loss.max_range, lidar_loss.epsilon(progress)};
      const PackedSamples returns{packed.offsets + rays, packed.t, packed.dt, lidar_rays};
      const LidarTermValues values = lidar_terms(returns, sigma.data(), ranges.data(), weights,
                                                 d_sigma.data(), d_sample_rgb.data(), device);
      report.depth_loss = values.depth;
      report.sight_loss = values.line_of_sight;
    }
    if (n > 0) model.extra_losses(packed, n, progress);
    clock.lap(report.stages.compositing);
    if (n > 0) {
      model.backward(samples, sigma.data(), d_sigma.data(), d_sample_rgb.data());
      clock.lap(report.stages.networks);
      optimiser->step(model.parameters().data(), model.gradients().data());
      clock.lap(report.stages.optimiser);
    }
    report.steps += 1;
    report.rays += all;
    report.samples += n;
    report.loss = squared / double(3 * rays);
    // Next step's rays: aim at the sample target from this step's samples per ray.
    const double per_ray = std::max(1.0, double(n) / double(all));
    rays = std::clamp(std::int64_t(double(options.samples_per_step) / per_ray /
                                   (1.0 + (lidar_rays > 0 ? lidar_loss.rays_share : 0.0))),
                      std::int64_t(256), std::int64_t(1) << 20);
    report.seconds = seconds_since(start);
    if (options.on_step) options.on_step(report);
  }
  report.occupied = model.occupancy().occupied_fraction();
}

// Rendering a view in chunks of pixels: the rays, their samples and a background colour per ray.
struct RenderChunks {
  static constexpr std::int64_t kPixels = 1 << 14;
  Buffer<float> origins, directions, backgrounds;
  RaySamples samples;

  RenderChunks(const float background[3], const Device& device)
      : origins(3 * kPixels, device),
        directions(3 * kPixels, device),
        backgrounds(3 * kPixels, device) {
    std::vector<float> colours(3 * kPixels);
    for (std::size_t i = 0; i < colours.size(); ++i) colours[i] = background[i % 3];
    backgrounds.copy_from_host(colours);
  }

  // Calls visit(first, count, n) for each chunk [first, first + count) of the camera's pixels
  // (row-major) once its rays are marched (no jitter) into `samples` (n samples).
  template <class Visit>
  void march(const PinholeCamera& camera, const OccupancyGrid& occupancy, float step,
             const Device& device, Visit&& visit) {
    const std::int64_t pixels = std::int64_t(camera.width) * camera.height;
    const MarchOptions options{step, 1024, false, 0};
    for (std::int64_t first = 0; first < pixels; first += kPixels) {
      const std::int64_t count = std::min(kPixels, pixels - first);
      with_backend(device, [&](auto backend) {
        TrainingKernels<backend>::camera_rays(camera, first, count, origins.data(),
                                              directions.data());
      });
      const std::int64_t n =
          occupancy.march(origins.data(), directions.data(), count, options, samples);
      visit(first, count, n);
    }
  }
};

// Copies `count` rows of `width` floats from the device into `into` from row `first`.
inline void fetch_rows(std::vector<float>& into, const Buffer<float>& from, std::int64_t first,
                       std::int64_t count, int width, const Device& device) {
  detail::copy_bytes(into.data() + width * first, Device::cpu(), from.data(), device,
                     std::size_t(width * count) * sizeof(float));
}

}  // namespace advect::radiance
