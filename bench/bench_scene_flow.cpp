// Scene flow on the bundled real pairs (data/sceneflow): seconds per pair and accuracy of nsfp
// (Chamfer + cycle loss) and fast (distance-transform loss), with their default settings
// (neural::scene_flow_preset), on each backend:
//   KITTI at 2048 and 8192 points (NSFP's sparse setting; the pair has 8192 points per cloud),
//   the Argoverse 2 pair at full density (74k points, ego motion removed first, as the AV2
//   benchmark's methods do).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>

#include "advect/geometry/FlowMetrics.h"
#include "advect/io/SceneFlowData.h"
#include "advect/neural/SceneFlowPrior.h"

namespace {

const std::filesystem::path kData = std::filesystem::path(ADVECT_SOURCE_DIR) / "data/sceneflow";

struct Pair {
  std::vector<float> source, target, truth, ego;  // ego: empty, or the flow to add back
};

// `n` points of each cloud of the KITTI pair, drawn with a fixed seed.
Pair kitti(std::size_t n) {
  const auto pair = advect::io::read_scene_flow_npz(kData / "kitti/kitti_hplflownet_000000.npz");
  std::mt19937 rng(0);
  const auto pick = [&](const std::vector<float>& cloud, const std::vector<std::size_t>& order) {
    std::vector<float> out;
    for (std::size_t i = 0; i < std::min(n, order.size()); ++i)
      out.insert(out.end(), &cloud[3 * order[i]], &cloud[3 * order[i] + 3]);
    return out;
  };
  std::vector<std::size_t> order1(pair.source.size()), order2(pair.target.size());
  std::iota(order1.begin(), order1.end(), 0);
  std::iota(order2.begin(), order2.end(), 0);
  std::shuffle(order1.begin(), order1.end(), rng);
  std::shuffle(order2.begin(), order2.end(), rng);
  return {pick(pair.source.positions, order1),
          pick(pair.target.positions, order2),
          pick(pair.flow, order1),
          {}};
}

Pair argoverse() {
  const auto pair = advect::io::read_scene_flow_npz(kData / "av2/av2_7fab2350.npz");
  Pair out{pair.source.positions, pair.target.positions, pair.flow,
           std::vector<float>(pair.flow.size())};
  advect::geometry::ego_flow(pair.source.positions, *pair.ego_motion, out.ego);
  for (std::size_t i = 0; i < out.source.size(); ++i) out.source[i] += out.ego[i];
  return out;
}

void run(benchmark::State& state, const Pair& pair, advect::neural::SceneFlowLoss loss,
         const advect::Device& device) {
  if (device.is_cuda() && advect::cuda_device_count() == 0)
    return state.SkipWithError("no CUDA device visible");
  const auto options = advect::neural::scene_flow_preset(loss);
  advect::neural::SceneFlowResult result;
  for (auto _ : state)
    result = advect::neural::estimate_scene_flow(pair.source, pair.target, options, device);
  for (std::size_t i = 0; i < pair.ego.size(); ++i) result.flow[i] += pair.ego[i];
  const auto errors = advect::geometry::flow_errors(result.flow, pair.truth);
  state.counters["epe3d_m"] = errors.epe3d;
  state.counters["acc3ds"] = errors.acc3ds;
  state.counters["acc3dr"] = errors.acc3dr;
  state.counters["outliers"] = errors.outliers;
  state.counters["iterations"] = result.iterations;
  state.counters["points"] = double(pair.source.size() / 3);
}

using advect::neural::SceneFlowLoss;
void BM_NsfpKittiCpu(benchmark::State& s) {
  run(s, kitti(std::size_t(s.range(0))), SceneFlowLoss::chamfer, advect::Device::cpu());
}
void BM_FastKittiCpu(benchmark::State& s) {
  run(s, kitti(std::size_t(s.range(0))), SceneFlowLoss::distance, advect::Device::cpu());
}
void BM_NsfpKittiCuda(benchmark::State& s) {
  run(s, kitti(std::size_t(s.range(0))), SceneFlowLoss::chamfer, advect::Device::cuda());
}
void BM_FastKittiCuda(benchmark::State& s) {
  run(s, kitti(std::size_t(s.range(0))), SceneFlowLoss::distance, advect::Device::cuda());
}
void BM_FastArgoverseFullCpu(benchmark::State& s) {
  run(s, argoverse(), SceneFlowLoss::distance, advect::Device::cpu());
}
void BM_NsfpArgoverseFullCpu(benchmark::State& s) {
  run(s, argoverse(), SceneFlowLoss::chamfer, advect::Device::cpu());
}
void BM_FastArgoverseFullCuda(benchmark::State& s) {
  run(s, argoverse(), SceneFlowLoss::distance, advect::Device::cuda());
}
void BM_NsfpArgoverseFullCuda(benchmark::State& s) {
  run(s, argoverse(), SceneFlowLoss::chamfer, advect::Device::cuda());
}

}  // namespace

#define ADVECT_SCENE_FLOW_BENCH(name) \
  BENCHMARK(name)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1)
ADVECT_SCENE_FLOW_BENCH(BM_NsfpKittiCpu)->Arg(2048)->Arg(8192);
ADVECT_SCENE_FLOW_BENCH(BM_FastKittiCpu)->Arg(2048)->Arg(8192);
ADVECT_SCENE_FLOW_BENCH(BM_NsfpKittiCuda)->Arg(2048)->Arg(8192);
ADVECT_SCENE_FLOW_BENCH(BM_FastKittiCuda)->Arg(2048)->Arg(8192);
ADVECT_SCENE_FLOW_BENCH(BM_FastArgoverseFullCpu);
ADVECT_SCENE_FLOW_BENCH(BM_FastArgoverseFullCuda);
// The last takes minutes on two CPU cores (two MLPs over 74k points per iteration); leave it out
// with --benchmark_filter=-NsfpArgoverseFullCpu.
ADVECT_SCENE_FLOW_BENCH(BM_NsfpArgoverseFullCuda);
ADVECT_SCENE_FLOW_BENCH(BM_NsfpArgoverseFullCpu);
