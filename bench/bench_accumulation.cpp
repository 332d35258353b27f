// The integration stage of `advect accumulate` on each backend: the sweep-motion field (kNN
// interpolation from moved sweep points) on two real bundled AV2 sweeps, and carrying a synthetic
// street of 8 sweeps with exact flows to its middle sweep.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>

#include "advect/engine/Buffer.h"
#include "advect/geometry/FlowChain.h"
#include "advect/geometry/SweepMotionField.h"
#include "advect/geometry/SyntheticStreet.h"
#include "advect/io/PointCloudIO.h"

namespace {

const std::filesystem::path kSweeps =
    std::filesystem::path(ADVECT_SOURCE_DIR) / "data/lidar/av2_bird";

bool skip_without_device(benchmark::State& state, const advect::Device& device) {
  if (device.is_cuda() && advect::cuda_device_count() == 0) {
    state.SkipWithError("no CUDA device visible");
    return true;
  }
  return false;
}

// Samples: sweep 0 with a swirl of up to 1 m per sweep; queries: every point of sweep 1 (55k).
void run_field(benchmark::State& state, const advect::Device& device) {
  if (skip_without_device(state, device)) return;
  const std::vector<float> samples = advect::io::read_point_cloud(kSweeps / "0000.ply").positions;
  const std::vector<float> queries = advect::io::read_point_cloud(kSweeps / "0001.ply").positions;
  std::vector<float> displacement(samples.size());
  for (std::size_t i = 0; i < samples.size(); i += 3) {
    displacement[i] = -0.02f * samples[i + 1];
    displacement[i + 1] = 0.02f * samples[i];
  }
  const advect::geometry::SweepMotionField field(
      advect::Buffer<float>::from_host(samples, device),
      advect::Buffer<float>::from_host(displacement, device), 0.0, 0.1);
  const std::vector<double> x(queries.begin(), queries.end());
  const auto states = advect::Buffer<double>::from_host(x, device);
  advect::Buffer<double> v(x.size(), device);
  const auto n = std::int64_t(x.size() / 3);
  const bool rebuild = state.range(0) != 0;
  int call = 0;
  for (auto _ : state) {
    // Alternate the time to make the field re-grid its moved samples, as every integrator stage
    // at a new time does; otherwise only the interpolation is timed.
    const double t = rebuild ? 0.05 * (call++ % 2) : 0.05;
    field.evaluate(t, states.data(), v.data(), n, device);
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_SweepMotionFieldCpu(benchmark::State& s) {
  run_field(s, advect::Device::cpu());
}
void BM_SweepMotionFieldCuda(benchmark::State& s) {
  run_field(s, advect::Device::cuda());
}

void run_chain(benchmark::State& state, const advect::Device& device) {
  if (skip_without_device(state, device)) return;
  advect::geometry::StreetOptions options;
  options.sweeps = 8;
  options.ground = false;
  options.points_per_box = 2000;
  const advect::geometry::SyntheticStreet street(options);
  std::vector<std::vector<float>> sweeps, flows;
  std::vector<double> times;
  std::vector<std::vector<std::int32_t>> sources;
  for (int k = 0; k < options.sweeps; ++k) {
    advect::geometry::StreetSweep sweep = street.sweep(k);
    advect::geometry::transform_points(sweep.pose, sweep.points.data(),
                                       std::int64_t(sweep.points.size() / 3),
                                       advect::Device::cpu());
    sweeps.push_back(std::move(sweep.points));
    sources.push_back(std::move(sweep.source));
    times.push_back(sweep.time);
  }
  std::int64_t points = 0;
  for (std::size_t k = 0; k + 1 < sweeps.size(); ++k) {
    std::vector<float> flow(sweeps[k].size());
    for (std::size_t i = 0; i < flow.size() / 3; ++i) {
      float moved[3];
      street.carry(sources[k][i], &sweeps[k][3 * i], times[k], times[k + 1], moved);
      for (std::size_t c = 0; c < 3; ++c) flow[3 * i + c] = moved[c] - sweeps[k][3 * i + c];
    }
    flows.push_back(std::move(flow));
  }
  for (const auto& sweep : sweeps) points += std::int64_t(sweep.size() / 3);
  advect::geometry::CarriedSweeps carried;
  for (auto _ : state) {
    carried = advect::geometry::carry_to_reference(sweeps, flows, times, 3, {}, device);
  }
  state.SetItemsProcessed(state.iterations() * points);
  state.counters["integrated"] = double(carried.points_integrated);
  state.counters["kept_still"] = double(carried.points_kept_still);
}

void BM_CarryStreetToMiddleCpu(benchmark::State& s) {
  run_chain(s, advect::Device::cpu());
}
void BM_CarryStreetToMiddleCuda(benchmark::State& s) {
  run_chain(s, advect::Device::cuda());
}

}  // namespace

BENCHMARK(BM_SweepMotionFieldCpu)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SweepMotionFieldCuda)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CarryStreetToMiddleCpu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CarryStreetToMiddleCuda)->Unit(benchmark::kMillisecond)->UseRealTime();
