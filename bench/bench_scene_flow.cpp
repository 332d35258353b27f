// Scene flow on the real KITTI Scene Flow pair (../shared): seconds per pair and accuracy of the
// chamfer (NSFP) and distance (FastNSF) losses at 2048 and 8192 points, on each backend.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>

#include "advect/geometry/FlowMetrics.h"
#include "advect/io/PointCloudIO.h"
#include "advect/neural/SceneFlowPrior.h"

namespace {

const std::filesystem::path kPair =
    std::filesystem::path(ADVECT_SOURCE_DIR) / "../shared/sceneflow/kitti_hplflownet_pair_ddfloss";

struct Pair {
  std::vector<float> source, target, truth;
};

// `n` points of each cloud, drawn with a fixed seed (NSFP's 2048-point setting).
Pair subsample(std::size_t n) {
  const auto pc1 = advect::io::read_xyz(kPair / "pc1.xyz").positions;
  const auto pc2 = advect::io::read_xyz(kPair / "pc2.xyz").positions;
  const auto gt = advect::io::read_xyz(kPair / "gt_flow.xyz").positions;
  std::mt19937 rng(0);
  const auto pick = [&](const std::vector<float>& cloud, const std::vector<std::size_t>& order,
                        std::size_t count) {
    std::vector<float> out;
    for (std::size_t i = 0; i < count; ++i)
      out.insert(out.end(), &cloud[3 * order[i]], &cloud[3 * order[i] + 3]);
    return out;
  };
  std::vector<std::size_t> order1(pc1.size() / 3), order2(pc2.size() / 3);
  std::iota(order1.begin(), order1.end(), 0);
  std::iota(order2.begin(), order2.end(), 0);
  std::shuffle(order1.begin(), order1.end(), rng);
  std::shuffle(order2.begin(), order2.end(), rng);
  return {pick(pc1, order1, n), pick(pc2, order2, n), pick(gt, order1, n)};
}

void run(benchmark::State& state, advect::neural::SceneFlowLoss loss,
         const advect::Device& device) {
  if (!std::filesystem::exists(kPair / "pc1.xyz"))
    return state.SkipWithError("KITTI pair not found in ../shared");
  if (device.is_cuda() && advect::cuda_device_count() == 0)
    return state.SkipWithError("no CUDA device visible");
  const Pair pair = subsample(std::size_t(state.range(0)));
  advect::neural::SceneFlowOptions options;
  options.loss = loss;
  options.patience =
      loss == advect::neural::SceneFlowLoss::chamfer ? 70 : 50;  // NSFP's KITTI setting
  advect::neural::SceneFlowResult result;
  for (auto _ : state)
    result = advect::neural::estimate_scene_flow(pair.source, pair.target, options, device);
  const auto errors = advect::geometry::flow_errors(result.flow, pair.truth);
  state.counters["epe3d_m"] = errors.epe3d;
  state.counters["acc3ds"] = errors.acc3ds;
  state.counters["acc3dr"] = errors.acc3dr;
  state.counters["outliers"] = errors.outliers;
  state.counters["iterations"] = result.iterations;
}

void BM_NsfpKittiCpu(benchmark::State& s) {
  run(s, advect::neural::SceneFlowLoss::chamfer, advect::Device::cpu());
}
void BM_DistanceKittiCpu(benchmark::State& s) {
  run(s, advect::neural::SceneFlowLoss::distance, advect::Device::cpu());
}
void BM_NsfpKittiCuda(benchmark::State& s) {
  run(s, advect::neural::SceneFlowLoss::chamfer, advect::Device::cuda());
}
void BM_DistanceKittiCuda(benchmark::State& s) {
  run(s, advect::neural::SceneFlowLoss::distance, advect::Device::cuda());
}

}  // namespace

BENCHMARK(BM_NsfpKittiCpu)
    ->Arg(2048)
    ->Arg(8192)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_DistanceKittiCpu)
    ->Arg(2048)
    ->Arg(8192)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_NsfpKittiCuda)
    ->Arg(2048)
    ->Arg(8192)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_DistanceKittiCuda)
    ->Arg(2048)
    ->Arg(8192)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK_MAIN();
