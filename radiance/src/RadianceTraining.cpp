#include "advect/radiance/RadianceTraining.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/engine/Memory.h"
#include "advect/engine/Timing.h"
#include "advect/neural/Components.h"
#include "advect/radiance/VolumeRendering.h"
#include "kernels/TrainingKernels.h"

namespace advect::radiance {
namespace {

// Stage times on a GPU need the kernels finished: a device-to-host copy waits for them.
void wait_for(const Device& device) {
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

// Everything one step allocates, kept across steps.
struct StepBuffers {
  Buffer<float> origins, directions, target, background, rgb, d_rgb;
  Buffer<float> sigma, sample_rgb, d_sigma, d_sample_rgb, cell_points, cell_sigma;
  RaySamples samples;
  FieldWorkspace workspace;
};

void update_occupancy(RadianceField& field, std::uint64_t seed, float threshold, StepBuffers& b) {
  OccupancyGrid& grid = field.occupancy();
  const Device& device = field.device();
  ensure_size(b.cell_points, 3 * grid.cells(), device);
  ensure_size(b.cell_sigma, grid.cells(), device);
  grid.cell_points(seed, b.cell_points.data());
  field.density(b.cell_points.data(), grid.cells(), b.cell_sigma.data(), b.workspace);
  grid.update(b.cell_sigma.data(), 0.95f, threshold);
}

}  // namespace

TrainingReport train(RadianceField& field, const PosedImages& images,
                     const TrainingOptions& options) {
  if (images.size() == 0) throw std::invalid_argument("no training images");
  const Device device = field.device();
  const Buffer<PinholeCamera> cameras = Buffer<PinholeCamera>::from_host(images.cameras, device);
  const Buffer<float> rgba = Buffer<float>::from_host(images.rgba, device);
  const ImagesView view{cameras.data(), rgba.data(), std::int64_t(images.size()), images.width,
                        images.height};
  const auto optimiser = neural::create_optimizer(field.config().optimizer, field.parameter_count(),
                                                  field.network_parameter_count(), device);

  const float step = field.config().sample_step();
  // A cell is empty when a sample there would be under 1% opaque (instant-ngp's rule).
  const float threshold = 0.01f / step;
  StepBuffers b;
  TrainingReport report;
  // Before the occupancy grid has carved out empty space a ray takes up to hundreds of samples.
  std::int64_t rays = std::max<std::int64_t>(256, options.samples_per_step / 256);
  const Clock::time_point start = Clock::now();
  while (report.steps < options.max_steps && seconds_since(start) < options.max_seconds) {
    const std::uint64_t step_seed = options.seed * 0x100000001b3ull + std::uint64_t(report.steps);
    StageClock clock(device);
    if (report.steps % options.occupancy_interval == 0) {
      update_occupancy(field, step_seed ^ 0x5bd1e995u, threshold, b);
      clock.lap(report.stages.occupancy);
    }
    for (Buffer<float>* buffer :
         {&b.origins, &b.directions, &b.target, &b.background, &b.rgb, &b.d_rgb}) {
      ensure_size(*buffer, 3 * rays, device);
    }
    // The jitter's stream must differ from the ray draw's: both index by ray.
    MarchOptions march{step, 1024, true, step_seed ^ 0x2545f4914f6cdd1dull};
    with_backend(device, [&](auto backend) {
      TrainingKernels<backend>::draw_rays(
          view, rays, step_seed,
          {b.origins.data(), b.directions.data(), b.target.data(), b.background.data()});
    });
    const std::int64_t n =
        field.occupancy().march(b.origins.data(), b.directions.data(), rays, march, b.samples);
    clock.lap(report.stages.sampling);
    ensure_size(b.sigma, n, device);
    ensure_size(b.d_sigma, n, device);
    ensure_size(b.sample_rgb, 3 * n, device);
    ensure_size(b.d_sample_rgb, 3 * n, device);
    field.forward(b.samples.positions.data(), b.samples.directions.data(), n, b.sigma.data(),
                  b.sample_rgb.data(), b.workspace);
    clock.lap(report.stages.networks);
    const PackedSamples packed{b.samples.offsets.data(), b.samples.t.data(), b.samples.dt.data(),
                               rays};
    const RenderedRays rendered{b.rgb.data(), nullptr, nullptr};
    composite(packed, b.sigma.data(), b.sample_rgb.data(), b.background.data(), rendered, device);
    double squared = 0.0;
    with_backend(device, [&](auto backend) {
      squared = TrainingKernels<backend>::squared_error(b.rgb.data(), b.target.data(), rays,
                                                        b.d_rgb.data());
    });
    composite_backward(packed, b.sigma.data(), b.sample_rgb.data(), rendered, b.d_rgb.data(),
                       nullptr, nullptr, b.d_sigma.data(), b.d_sample_rgb.data(), device);
    clock.lap(report.stages.compositing);
    if (n > 0) {
      field.backward(b.samples.positions.data(), b.sigma.data(), b.d_sigma.data(),
                     b.d_sample_rgb.data(), b.workspace);
      clock.lap(report.stages.networks);
      optimiser->step(field.parameters().data(), field.gradients().data());
      clock.lap(report.stages.optimiser);
    }
    report.steps += 1;
    report.rays += rays;
    report.samples += n;
    report.loss = squared / double(3 * rays);
    // Next step's rays: aim at the sample target from this step's samples per ray.
    const double per_ray = std::max(1.0, double(n) / double(rays));
    rays = std::clamp(std::int64_t(double(options.samples_per_step) / per_ray), std::int64_t(256),
                      std::int64_t(1) << 20);
    report.seconds = seconds_since(start);
    if (options.on_step) options.on_step(report);
  }
  report.occupied = field.occupancy().occupied_fraction();
  return report;
}

RenderedImage render(const RadianceField& field, const PinholeCamera& camera,
                     const float background[3]) {
  const Device device = field.device();
  RenderedImage image;
  image.width = camera.width;
  image.height = camera.height;
  const std::int64_t pixels = std::int64_t(camera.width) * camera.height;
  image.rgb.resize(std::size_t(3 * pixels));
  image.depth.resize(std::size_t(pixels));
  image.opacity.resize(std::size_t(pixels));
  constexpr std::int64_t kChunk = 1 << 14;
  Buffer<float> origins(3 * kChunk, device), directions(3 * kChunk, device),
      backgrounds(3 * kChunk, device), rgb(3 * kChunk, device), depth(kChunk, device),
      opacity(kChunk, device), sigma, sample_rgb;
  std::vector<float> host_background(3 * kChunk);
  for (std::int64_t i = 0; i < kChunk; ++i) {
    for (int c = 0; c < 3; ++c) host_background[std::size_t(3 * i + c)] = background[c];
  }
  backgrounds.copy_from_host(host_background);
  RaySamples samples;
  FieldWorkspace workspace;
  const MarchOptions march{field.config().sample_step(), 1024, false, 0};
  for (std::int64_t first = 0; first < pixels; first += kChunk) {
    const std::int64_t count = std::min(kChunk, pixels - first);
    with_backend(device, [&](auto backend) {
      TrainingKernels<backend>::camera_rays(camera, first, count, origins.data(),
                                            directions.data());
    });
    const std::int64_t n =
        field.occupancy().march(origins.data(), directions.data(), count, march, samples);
    ensure_size(sigma, n, device);
    ensure_size(sample_rgb, 3 * n, device);
    field.forward(samples.positions.data(), samples.directions.data(), n, sigma.data(),
                  sample_rgb.data(), workspace);
    composite({samples.offsets.data(), samples.t.data(), samples.dt.data(), count}, sigma.data(),
              sample_rgb.data(), backgrounds.data(), {rgb.data(), depth.data(), opacity.data()},
              device);
    detail::copy_bytes(image.rgb.data() + 3 * first, Device::cpu(), rgb.data(), device,
                       std::size_t(3 * count) * sizeof(float));
    detail::copy_bytes(image.depth.data() + first, Device::cpu(), depth.data(), device,
                       std::size_t(count) * sizeof(float));
    detail::copy_bytes(image.opacity.data() + first, Device::cpu(), opacity.data(), device,
                       std::size_t(count) * sizeof(float));
  }
  return image;
}

}  // namespace advect::radiance
