#include "advect/radiance/DynamicTraining.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "TrainingLoop.h"
#include "advect/engine/Dispatch.h"
#include "advect/neural/Components.h"
#include "advect/radiance/VolumeRendering.h"
#include "kernels/DynamicKernels.h"
#include "kernels/TrainingKernels.h"

namespace advect::radiance {
namespace {

void fill(Buffer<float>& buffer, std::int64_t n, float value, const Device& device) {
  ensure_size(buffer, n, device);
  with_backend(device,
               [&](auto backend) { DynamicKernels<backend>::fill(buffer.data(), n, value); });
}

// The dynamic field in the shared loop: samples take their ray's time, and the split's
// regularisers join the colour's gradient.
class DynamicModel : public FieldModel<DynamicField> {
 public:
  DynamicModel(DynamicField& field, DynamicTrainingReport& report)
      : FieldModel(field), report_(report) {}

  void update_occupancy(std::uint64_t seed, float threshold) {
    OccupancyGrid& grid = field_.occupancy();
    ensure_size(cell_points_, 3 * grid.cells(), device());
    ensure_size(cell_times_, grid.cells(), device());
    ensure_size(cell_sigma_, grid.cells(), device());
    grid.cell_points(seed, cell_points_.data());
    // A random time per cell: the decaying maximum remembers where movers have been.
    const std::uint64_t time_seed = seed ^ 0x9e3779b97f4a7c15ull;
    with_backend(device(), [&](auto backend) {
      DynamicKernels<backend>::noise(&time_seed, grid.cells(), cell_times_.data());
    });
    field_.density(cell_points_.data(), cell_times_.data(), grid.cells(), cell_sigma_.data(),
                   workspace_);
    grid.update(cell_sigma_.data(), 0.95f, threshold);
  }

  void forward(const RaySamples& samples, const float* ray_times, std::int64_t rays, std::int64_t n,
               float* sigma, float* rgb, std::uint64_t seed) {
    ensure_size(sample_times_, n, device());
    with_backend(device(), [&](auto backend) {
      DynamicKernels<backend>::per_sample(samples.offsets.data(), ray_times, rays,
                                          sample_times_.data());
    });
    field_.forward(samples.positions.data(), sample_times_.data(), samples.directions.data(), n,
                   sigma, rgb, workspace_, &seed);
  }

  // The regularisers of the split, their gradients kept for backward: the sparsity term
  // (weight * mean over rays of the dynamic branch's opacity) and the entropy term (per sample).
  void extra_losses(const PackedSamples& packed, std::int64_t n, double progress) {
    const DynamicFieldConfig& config = field_.config();
    entropy_on_ = config.entropy > 0.0f && progress >= double(config.entropy_start);
    const Device& d = device();
    samples_ = n;
    if (config.sparsity > 0.0f) {
      const std::int64_t rays = packed.rays;
      fill(zeros_, std::max(3 * n, 3 * rays), 0.0f, d);
      ensure_size(scratch_rgb_, 3 * rays, d);
      ensure_size(scratch_d_rgb_, 3 * n, d);
      ensure_size(dynamic_opacity_, rays, d);
      ensure_size(d_dynamic_sigma_, n, d);
      fill(d_opacity_, rays, config.sparsity / float(rays), d);
      const RenderedRays rendered{scratch_rgb_.data(), nullptr, dynamic_opacity_.data()};
      const float* dynamic_sigma = workspace_.dynamic_sigma.data();
      composite(packed, dynamic_sigma, zeros_.data(), zeros_.data(), rendered, d);
      composite_backward(packed, dynamic_sigma, zeros_.data(), rendered, zeros_.data(), nullptr,
                         d_opacity_.data(), d_dynamic_sigma_.data(), scratch_d_rgb_.data(), d);
      opacity_rays_ = rays;
    } else if (entropy_on_) {
      fill(d_dynamic_sigma_, n, 0.0f, d);
    }
    if (entropy_on_) {
      fill(d_entropy_sigma_, n, 0.0f, d);
      report_.entropy = split_entropy(
          workspace_.static_sigma.data(), workspace_.dynamic_sigma.data(), n, config.entropy,
          config.entropy_skewness, d_entropy_sigma_.data(), d_dynamic_sigma_.data(), d);
    }
  }

  // The last step's mean dynamic opacity: read once after training, not every step (on a GPU
  // each read would wait for the step's kernels).
  double last_mean_dynamic_opacity() const {
    if (opacity_rays_ == 0) return 0.0;
    const std::vector<float> opacity = dynamic_opacity_.to_host();  // may hold more rows
    double sum = 0.0;
    for (std::int64_t r = 0; r < opacity_rays_; ++r) sum += opacity[std::size_t(r)];
    return sum / double(opacity_rays_);
  }

  void backward(const RaySamples& samples, const float*, const float* d_sigma, const float* d_rgb) {
    const DynamicFieldConfig& config = field_.config();
    if (entropy_on_) {  // the entropy's pull on sigma_s joins the colour's
      with_backend(device(), [&](auto backend) {
        DynamicKernels<backend>::add(d_sigma, samples_, d_entropy_sigma_.data());
      });
      d_sigma = d_entropy_sigma_.data();
    }
    const bool split_terms = config.sparsity > 0.0f || entropy_on_;
    report_.cycle = field_.backward(samples.positions.data(), d_sigma, d_rgb,
                                    split_terms ? d_dynamic_sigma_.data() : nullptr, workspace_);
  }

 private:
  DynamicTrainingReport& report_;
  Buffer<float> cell_points_, cell_times_, cell_sigma_, sample_times_;
  std::int64_t opacity_rays_ = 0, samples_ = 0;
  bool entropy_on_ = false;
  Buffer<float> zeros_, scratch_rgb_, scratch_d_rgb_, dynamic_opacity_, d_opacity_,
      d_dynamic_sigma_, d_entropy_sigma_;
  DynamicWorkspace workspace_;
};

}  // namespace

float frame_time_of(const PosedImages& images) {
  std::vector<float> times = images.times;
  std::sort(times.begin(), times.end());
  float gap = 0.0f;
  for (std::size_t k = 1; k < times.size(); ++k) {
    const float step = times[k] - times[k - 1];
    if (step > 1e-6f && (gap == 0.0f || step < gap)) gap = step;
  }
  return gap;
}

double split_entropy(const float* static_sigma, const float* dynamic_sigma, std::int64_t n,
                     float weight, float skewness, float* d_sigma, float* d_dynamic_sigma,
                     const Device& device) {
  return with_backend(device, [&](auto backend) {
    return DynamicKernels<backend>::split_entropy(static_sigma, dynamic_sigma, n, weight, skewness,
                                                  d_sigma, d_dynamic_sigma);
  });
}

nlohmann::json training_record(const DynamicTrainingReport& report, const DynamicField& field,
                               const std::string& scene, const std::string& device) {
  nlohmann::json record =
      training_record(static_cast<const TrainingReport&>(report), scene, device);
  record["cycle"] = report.cycle;
  record["dynamic_opacity"] = report.sparsity;
  record["entropy"] = report.entropy;
  record["frame_time"] = field.config().frame_time;
  record["motion"] = field.config().motion;
  return record;
}

DynamicTrainingReport train(DynamicField& field, const PosedImages& images,
                            const TrainingOptions& options) {
  if (images.size() == 0) throw std::invalid_argument("no training images");
  if (images.times.size() != images.size()) {
    throw std::invalid_argument("a dynamic field needs a time per image (\"time\" per frame)");
  }
  for (float t : images.times) {
    if (!(t >= 0.0f && t <= 1.0f)) throw std::invalid_argument("image times must be in [0, 1]");
  }
  if (field.config().frame_time == 0.0f) field.config().frame_time = frame_time_of(images);
  const Device device = field.device();
  const Buffer<PinholeCamera> cameras = Buffer<PinholeCamera>::from_host(images.cameras, device);
  const Buffer<float> rgba = Buffer<float>::from_host(images.rgba, device);
  const Buffer<float> times = Buffer<float>::from_host(images.times, device);
  const ImagesView view{cameras.data(), rgba.data(),  times.data(), std::int64_t(images.size()),
                        images.width,   images.height};
  DynamicTrainingReport report;
  DynamicModel model(field, report);
  run_training(model, view, options, report);
  report.sparsity = model.last_mean_dynamic_opacity();
  return report;
}

TrainingOptions dynamic_training_options() {
  TrainingOptions options;
  options.samples_per_step = 1 << 14;
  options.occupancy_interval = 8;
  return options;
}

DynamicRenderedImage render(const DynamicField& field, const PinholeCamera& camera, float time,
                            const float background[3]) {
  const Device device = field.device();
  DynamicRenderedImage image;
  image.width = camera.width;
  image.height = camera.height;
  const std::int64_t pixels = std::int64_t(camera.width) * camera.height;
  for (std::vector<float>* rgb : {&image.rgb, &image.static_rgb, &image.dynamic_rgb, &image.flow}) {
    rgb->resize(std::size_t(3 * pixels));
  }
  for (std::vector<float>* plane : {&image.depth, &image.opacity, &image.static_opacity,
                                    &image.dynamic_opacity, &image.dynamic_share}) {
    plane->resize(std::size_t(pixels));
  }
  RenderChunks chunks(background, device);
  constexpr std::int64_t kChunk = RenderChunks::kPixels;
  Buffer<float> rgb(3 * kChunk, device), depth(kChunk, device), opacity(kChunk, device),
      black(3 * kChunk, device), sigma, sample_rgb, sample_times, share, moved;
  black.copy_from_host(std::vector<float>(3 * kChunk, 0.0f));
  const Buffer<float> chunk_times =
      Buffer<float>::from_host(std::vector<float>(kChunk, time), device);
  DynamicWorkspace w;
  const RaySamples& samples = chunks.samples;
  const auto fetch = [&](std::vector<float>& into, const Buffer<float>& from, std::int64_t first,
                         std::int64_t count,
                         int width) { fetch_rows(into, from, first, count, width, device); };
  chunks.march(
      camera, field.occupancy(), field.config().base.sample_step(), device,
      [&](std::int64_t first, std::int64_t count, std::int64_t n) {
        ensure_size(sigma, n, device);
        ensure_size(sample_rgb, 3 * n, device);
        ensure_size(sample_times, n, device);
        with_backend(device, [&](auto backend) {
          DynamicKernels<backend>::per_sample(samples.offsets.data(), chunk_times.data(), count,
                                              sample_times.data());
        });
        field.forward(samples.positions.data(), sample_times.data(), samples.directions.data(), n,
                      sigma.data(), sample_rgb.data(), w);
        const PackedSamples packed{samples.offsets.data(), samples.t.data(), samples.dt.data(),
                                   count};
        composite(packed, sigma.data(), sample_rgb.data(), chunks.backgrounds.data(),
                  {rgb.data(), depth.data(), opacity.data()}, device);
        fetch(image.rgb, rgb, first, count, 3);
        fetch(image.depth, depth, first, count, 1);
        fetch(image.opacity, opacity, first, count, 1);
        // Each branch alone: its density and its colour (rows [0, n) static, [n, 2n) dynamic).
        const std::pair<const Buffer<float>*, std::int64_t> branches[] = {{&w.static_sigma, 0},
                                                                          {&w.dynamic_sigma, n}};
        for (int k = 0; k < 2; ++k) {
          composite(packed, branches[k].first->data(), w.branch_rgb.data() + 3 * branches[k].second,
                    chunks.backgrounds.data(), {rgb.data(), nullptr, opacity.data()}, device);
          fetch(k == 0 ? image.static_rgb : image.dynamic_rgb, rgb, first, count, 3);
          fetch(k == 0 ? image.static_opacity : image.dynamic_opacity, opacity, first, count, 1);
        }
        // The dynamic share and the flow it carries, composited over black.
        ensure_size(share, 3 * n, device);
        ensure_size(moved, 3 * n, device);
        with_backend(device, [&](auto backend) {
          DynamicKernels<backend>::dynamic_share(w.static_sigma.data(), w.dynamic_sigma.data(),
                                                 field.config().flow ? w.flow.data() : nullptr, n,
                                                 share.data(), moved.data());
        });
        composite(packed, sigma.data(), share.data(), black.data(), {rgb.data(), nullptr, nullptr},
                  device);
        std::vector<float> shares(std::size_t(3 * count));
        detail::copy_bytes(shares.data(), Device::cpu(), rgb.data(), device,
                           shares.size() * sizeof(float));
        for (std::int64_t i = 0; i < count; ++i) {
          image.dynamic_share[std::size_t(first + i)] = shares[std::size_t(3 * i)];
        }
        composite(packed, sigma.data(), moved.data(), black.data(), {rgb.data(), nullptr, nullptr},
                  device);
        fetch(image.flow, rgb, first, count, 3);
      });
  return image;
}

FieldAtPoints query_points(const DynamicField& field, const std::vector<float>& points,
                           float time) {
  const auto n = std::int64_t(points.size() / 3);
  FieldAtPoints out;
  if (n == 0) return out;
  const Device device = field.device();
  const SceneBox& box = field.config().base.box;
  std::vector<float> unit(points.size()), up(points.size(), 0.0f);
  for (std::int64_t i = 0; i < n; ++i) {
    for (int a = 0; a < 3; ++a) {
      const auto k = std::size_t(3 * i + a);
      unit[k] = (points[k] - box.lower[a]) / (box.upper[a] - box.lower[a]);
    }
    up[std::size_t(3 * i + 2)] = 1.0f;  // any direction: only densities and flow are read
  }
  const auto positions = Buffer<float>::from_host(unit, device);
  const auto directions = Buffer<float>::from_host(up, device);
  const auto times = Buffer<float>::from_host(std::vector<float>(std::size_t(n), time), device);
  Buffer<float> sigma(std::size_t(n), device), rgb(std::size_t(3 * n), device);
  DynamicWorkspace w;
  field.forward(positions.data(), times.data(), directions.data(), n, sigma.data(), rgb.data(), w);
  out.flow = field.config().flow ? w.flow.to_host() : std::vector<float>(std::size_t(6 * n), 0.0f);
  out.flow.resize(std::size_t(6 * n));  // the workspace may be larger than this query
  out.static_density = w.static_sigma.to_host();
  out.static_density.resize(std::size_t(n));
  out.dynamic_density = w.dynamic_sigma.to_host();
  out.dynamic_density.resize(std::size_t(n));
  return out;
}

std::vector<float> FieldAtPoints::scene_flow() const {
  const std::size_t n = static_density.size();
  std::vector<float> moving(3 * n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(dynamic_density[i] > static_density[i])) continue;
    for (std::size_t a = 0; a < 3; ++a) moving[3 * i + a] = flow[6 * i + a];
  }
  return moving;
}

std::vector<float> scene_flow_at(const DynamicField& field, const std::vector<float>& points,
                                 float time) {
  return query_points(field, points, time).scene_flow();
}

}  // namespace advect::radiance
