// Radiance-field throughput: the hash encoding alone, the whole field (hash grid + density MLP +
// colour MLP on spherical harmonics) forward and backward per sample, on 1 and all CPU threads and
// on CUDA, and one training step on the bundled lego split by stage.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <filesystem>
#include <random>

#include "advect/io/CameraFiles.h"
#include "advect/neural/HashEncoding.h"
#include "advect/radiance/RadianceTraining.h"

namespace {

using advect::Buffer;
using advect::Device;

bool usable(benchmark::State& state, const Device& device) {
  if (device.is_cuda() && advect::cuda_device_count() == 0) {
    state.SkipWithError("no CUDA device visible");
    return false;
  }
  return true;
}

std::vector<float> uniform(std::int64_t count, float low, float high, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(low, high);
  std::vector<float> values(std::size_t(count), 0.0f);
  for (float& v : values) v = u(rng);
  return values;
}

// Restores the OpenMP thread count when a benchmark ends.
struct Threads {
  int saved = omp_get_max_threads();
  explicit Threads(std::int64_t count) {
    if (count > 0) omp_set_num_threads(int(count));
  }
  ~Threads() { omp_set_num_threads(saved); }
};

// Arguments: samples, CPU threads (0: all). Random points in the unit cube: the worst case for
// the tables' caches, as a batch of rays spread over a scene is.
void run_hash_encoding(benchmark::State& state, const Device& device) {
  if (!usable(state, device)) return;
  const Threads threads(state.range(1));
  const std::int64_t n = state.range(0);
  advect::neural::HashEncodingConfig config;  // 16 levels x 2 features, 2^19 entries
  advect::neural::HashEncoding encoding(config, device, 1);
  const auto x = Buffer<float>::from_host(uniform(3 * n, 0.0f, 1.0f, 2), device);
  const auto dy =
      Buffer<float>::from_host(uniform(n * config.output_dims(), -1.0f, 1.0f, 3), device);
  Buffer<float> y(std::size_t(n * config.output_dims()), device);
  for (auto _ : state) {
    encoding.forward(x.data(), n, y.data());
    encoding.zero_gradients();
    encoding.backward(x.data(), dy.data(), n);
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["samples/s"] =
      benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}

void run_field(benchmark::State& state, const Device& device) {
  if (!usable(state, device)) return;
  const Threads threads(state.range(1));
  const std::int64_t n = state.range(0);
  advect::radiance::RadianceFieldConfig config;
  config.encoding["log2_hashmap_size"] = 17;  // as `advect radiance train --hashmap 17` on the CPU
  advect::radiance::RadianceField field(config, device, 1);
  const auto x = Buffer<float>::from_host(uniform(3 * n, 0.0f, 1.0f, 2), device);
  std::vector<float> directions = uniform(3 * n, -1.0f, 1.0f, 4);
  for (std::int64_t i = 0; i < n; ++i) {
    float* d = directions.data() + 3 * i;
    const float norm = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    for (int a = 0; a < 3; ++a) d[a] /= norm;
  }
  const auto dirs = Buffer<float>::from_host(directions, device);
  const auto d_rgb = Buffer<float>::from_host(uniform(3 * n, -1.0f, 1.0f, 5), device);
  const auto d_sigma = Buffer<float>::from_host(uniform(n, -1.0f, 1.0f, 6), device);
  Buffer<float> sigma(std::size_t(n), device), rgb(std::size_t(3 * n), device);
  advect::radiance::FieldWorkspace workspace;
  for (auto _ : state) {
    field.forward(x.data(), dirs.data(), n, sigma.data(), rgb.data(), workspace);
    field.backward(x.data(), sigma.data(), d_sigma.data(), d_rgb.data(), workspace);
    benchmark::DoNotOptimize(rgb.data());
  }
  state.counters["samples/s"] =
      benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}

// 40 training steps on the bundled lego after 200 to let the occupancy grid settle; the counters
// are milliseconds per step by stage.
void run_training(benchmark::State& state, const Device& device) {
  if (!usable(state, device)) return;
  const std::filesystem::path lego = std::filesystem::path(ADVECT_SOURCE_DIR) /
                                     "data/radiance/lego_nerf_synthetic_100/transforms_train.json";
  const advect::radiance::PosedImages images = advect::io::read_transforms_json(lego);
  advect::radiance::RadianceFieldConfig config;
  config.encoding["log2_hashmap_size"] = 17;
  advect::radiance::RadianceField field(config, device, 1);
  advect::radiance::TrainingOptions options;
  options.max_seconds = 1e9;
  options.max_steps = 200;
  advect::radiance::train(field, images, options);
  options.max_steps = 40;
  advect::radiance::TrainingReport report;
  for (auto _ : state) report = advect::radiance::train(field, images, options);
  const auto& s = report.stages;
  const double per_step = 1e3 / double(report.steps);
  state.counters["sampling_ms"] = s.sampling * per_step;
  state.counters["encoding+mlp_ms"] = (s.encoding + s.networks) * per_step;
  state.counters["compositing_ms"] = s.compositing * per_step;
  state.counters["optimiser_ms"] = s.optimiser * per_step;
  state.counters["occupancy_ms"] = s.occupancy * per_step;
  state.counters["samples/s"] = double(report.samples) / report.seconds;
}

void BM_HashEncodingCpu(benchmark::State& s) {
  run_hash_encoding(s, Device::cpu());
}
void BM_HashEncodingCuda(benchmark::State& s) {
  run_hash_encoding(s, Device::cuda());
}
void BM_RadianceFieldCpu(benchmark::State& s) {
  run_field(s, Device::cpu());
}
void BM_RadianceFieldCuda(benchmark::State& s) {
  run_field(s, Device::cuda());
}
void BM_RadianceTrainingStepCpu(benchmark::State& s) {
  run_training(s, Device::cpu());
}
void BM_RadianceTrainingStepCuda(benchmark::State& s) {
  run_training(s, Device::cuda());
}

}  // namespace

BENCHMARK(BM_HashEncodingCpu)
    ->Args({1 << 18, 1})
    ->Args({1 << 18, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_HashEncodingCuda)
    ->Args({1 << 18, 0})
    ->Args({1 << 21, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RadianceFieldCpu)
    ->Args({1 << 16, 1})
    ->Args({1 << 16, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RadianceFieldCuda)
    ->Args({1 << 18, 0})
    ->Args({1 << 21, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RadianceTrainingStepCpu)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RadianceTrainingStepCuda)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
