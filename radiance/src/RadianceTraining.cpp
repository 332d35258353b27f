#include "advect/radiance/RadianceTraining.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "TrainingLoop.h"
#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/engine/Memory.h"
#include "advect/engine/Timing.h"
#include "advect/neural/Components.h"
#include "advect/radiance/VolumeRendering.h"
#include "kernels/TrainingKernels.h"

namespace advect::radiance {
namespace {

// The static field in the shared loop.
class StaticModel : public FieldModel<RadianceField> {
 public:
  using FieldModel::FieldModel;

  void update_occupancy(std::uint64_t seed, float threshold) {
    OccupancyGrid& grid = field_.occupancy();
    ensure_size(cell_points_, 3 * grid.cells(), device());
    ensure_size(cell_sigma_, grid.cells(), device());
    grid.cell_points(seed, cell_points_.data());
    field_.density(cell_points_.data(), grid.cells(), cell_sigma_.data(), workspace_);
    grid.update(cell_sigma_.data(), 0.95f, threshold);
  }
  void forward(const RaySamples& samples, const float*, std::int64_t, std::int64_t n, float* sigma,
               float* rgb, std::uint64_t) {
    field_.forward(samples.positions.data(), samples.directions.data(), n, sigma, rgb, workspace_);
  }
  void extra_losses(const PackedSamples&, std::int64_t, double) {}
  void backward(const RaySamples& samples, const float* sigma, const float* d_sigma,
                const float* d_rgb) {
    field_.backward(samples.positions.data(), sigma, d_sigma, d_rgb, workspace_);
  }

 private:
  Buffer<float> cell_points_, cell_sigma_;
  FieldWorkspace workspace_;
};

}  // namespace

nlohmann::json training_record(const TrainingReport& report, const std::string& scene,
                               const std::string& device) {
  nlohmann::json record = {{"scene", scene},
                           {"steps", report.steps},
                           {"seconds", report.seconds},
                           {"rays", report.rays},
                           {"samples", report.samples},
                           {"final_loss", report.loss},
                           {"occupied", report.occupied},
                           {"device", device}};
  if (report.lidar_rays > 0) {
    record["lidar"] = {{"rays", report.lidar_rays},
                       {"final_depth_term", report.depth_loss},
                       {"final_line_of_sight_term", report.sight_loss}};
  }
  return record;
}

TrainingReport train(RadianceField& field, const PosedImages& images,
                     const TrainingOptions& options) {
  if (images.size() == 0) throw std::invalid_argument("no training images");
  const Device device = field.device();
  const Buffer<PinholeCamera> cameras = Buffer<PinholeCamera>::from_host(images.cameras, device);
  const Buffer<float> rgba = Buffer<float>::from_host(images.rgba, device);
  const ImagesView view{cameras.data(), rgba.data(),  nullptr, std::int64_t(images.size()),
                        images.width,   images.height};
  StaticModel model(field);
  TrainingReport report;
  run_training(model, view, options, report);
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
  RenderChunks chunks(background, device);
  constexpr std::int64_t kChunk = RenderChunks::kPixels;
  Buffer<float> rgb(3 * kChunk, device), depth(kChunk, device), opacity(kChunk, device), sigma,
      sample_rgb;
  FieldWorkspace workspace;
  const RaySamples& samples = chunks.samples;
  chunks.march(camera, field.occupancy(), field.config().sample_step(), device,
               [&](std::int64_t first, std::int64_t count, std::int64_t n) {
                 ensure_size(sigma, n, device);
                 ensure_size(sample_rgb, 3 * n, device);
                 field.forward(samples.positions.data(), samples.directions.data(), n, sigma.data(),
                               sample_rgb.data(), workspace);
                 composite({samples.offsets.data(), samples.t.data(), samples.dt.data(), count},
                           sigma.data(), sample_rgb.data(), chunks.backgrounds.data(),
                           {rgb.data(), depth.data(), opacity.data()}, device);
                 fetch_rows(image.rgb, rgb, first, count, 3, device);
                 fetch_rows(image.depth, depth, first, count, 1, device);
                 fetch_rows(image.opacity, opacity, first, count, 1, device);
               });
  return image;
}

}  // namespace advect::radiance
