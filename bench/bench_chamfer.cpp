// Chamfer distance on the real 88k x 88k OpenSceneFlow pair (../shared): ours on each backend
// against a Chamfer built on Open3D's KDTreeFlann in the same binary (the reference).
#include <benchmark/benchmark.h>
#include <open3d/geometry/KDTreeFlann.h>
#include <open3d/geometry/PointCloud.h>

#include <filesystem>

#include "advect/engine/Buffer.h"
#include "advect/engine/Memory.h"
#include "advect/geometry/Chamfer.h"
#include "advect/geometry/DistanceField.h"
#include "advect/geometry/NeighbourGrid.h"
#include "advect/io/Npy.h"

namespace {

const std::filesystem::path kPair = std::filesystem::path(ADVECT_SOURCE_DIR) /
                                    "../shared/sceneflow/av2_chamfer_bench_pair_opensceneflow";

std::vector<float> load_xyz(const char* name) {
  const advect::io::NpyArray array = advect::io::read_npy(kPair / name);
  const std::vector<float> values = array.values<float>();
  std::vector<float> xyz;
  for (std::size_t i = 0; i < array.shape[0]; ++i) {
    xyz.insert(xyz.end(), &values[i * array.shape[1]], &values[i * array.shape[1] + 3]);
  }
  return xyz;
}

struct Pair {
  std::vector<float> a, b;
  bool ok = false;
};
const Pair& pair() {
  static const Pair loaded = [] {
    Pair p;
    if (!std::filesystem::exists(kPair / "test_pc0.npy")) return p;
    p.a = load_xyz("test_pc0.npy");
    p.b = load_xyz("test_pc1.npy");
    p.ok = true;
    return p;
  }();
  return loaded;
}

// Full evaluation as an optimiser step needs it: both directions, the moving cloud's grid rebuilt.
void run_ours(benchmark::State& state, const advect::Device& device, bool with_gradient) {
  if (!pair().ok) return state.SkipWithError("../shared reference pair not found");
  if (device.is_cuda() && advect::cuda_device_count() == 0)
    return state.SkipWithError("no CUDA device visible");
  const auto a = advect::Buffer<float>::from_host(pair().a, device);
  const auto b = advect::Buffer<float>::from_host(pair().b, device);
  const advect::geometry::Chamfer chamfer(b.data(), std::int64_t(pair().b.size() / 3), device);
  advect::Buffer<float> gradient(pair().a.size(), device);
  double value = 0.0;
  for (auto _ : state) {
    value = chamfer
                .evaluate(a.data(), std::int64_t(pair().a.size() / 3),
                          with_gradient ? gradient.data() : nullptr)
                .total();
  }
  state.counters["chamfer"] = value;
}

void BM_ChamferCpu(benchmark::State& s) {
  run_ours(s, advect::Device::cpu(), false);
}
void BM_ChamferWithGradientCpu(benchmark::State& s) {
  run_ours(s, advect::Device::cpu(), true);
}
void BM_ChamferCuda(benchmark::State& s) {
  run_ours(s, advect::Device::cuda(), false);
}
void BM_ChamferWithGradientCuda(benchmark::State& s) {
  run_ours(s, advect::Device::cuda(), true);
}

// The distance-transform loss of FastNSF: build over the target (0.1 m cells, grown to fit 2^24
// cells), then distance and gradient at every moving point.
void run_distance_field(benchmark::State& state, const advect::Device& device) {
  if (!pair().ok) return state.SkipWithError("../shared reference pair not found");
  if (device.is_cuda() && advect::cuda_device_count() == 0)
    return state.SkipWithError("no CUDA device visible");
  const auto a = advect::Buffer<float>::from_host(pair().a, device);
  const auto b = advect::Buffer<float>::from_host(pair().b, device);
  const auto n = std::int64_t(pair().a.size() / 3);
  advect::Buffer<float> distance(std::size_t(n), device), gradient(pair().a.size(), device);
  float cell = 0.0f;
  for (auto _ : state) {
    const advect::geometry::DistanceField field(b.data(), std::int64_t(pair().b.size() / 3),
                                                device);
    field.evaluate(a.data(), n, distance.data(), gradient.data());
    cell = field.view().cell;
  }
  state.counters["cell_m"] = cell;
}
void BM_DistanceFieldCpu(benchmark::State& s) {
  run_distance_field(s, advect::Device::cpu());
}
void BM_DistanceFieldCuda(benchmark::State& s) {
  run_distance_field(s, advect::Device::cuda());
}

// Where a Chamfer evaluation's time goes: building the moving cloud's grid, and one nearest-
// neighbour query of every point of one cloud into the other's grid.
void run_grid_build(benchmark::State& state, const advect::Device& device) {
  if (!pair().ok) return state.SkipWithError("../shared reference pair not found");
  if (device.is_cuda() && advect::cuda_device_count() == 0)
    return state.SkipWithError("no CUDA device visible");
  const auto a = advect::Buffer<float>::from_host(pair().a, device);
  for (auto _ : state) {
    const advect::geometry::NeighbourGrid grid(a.data(), std::int64_t(pair().a.size() / 3), device);
    state.counters["cell_m"] = grid.view().cell;
  }
}
void run_grid_query(benchmark::State& state, const advect::Device& device) {
  if (!pair().ok) return state.SkipWithError("../shared reference pair not found");
  if (device.is_cuda() && advect::cuda_device_count() == 0)
    return state.SkipWithError("no CUDA device visible");
  const auto a = advect::Buffer<float>::from_host(pair().a, device);
  const auto grid = advect::geometry::NeighbourGrid::from_host(pair().b, device);
  const auto n = std::int64_t(pair().a.size() / 3);
  advect::Buffer<std::int32_t> index(std::size_t(n), device);
  advect::Buffer<float> distance(std::size_t(n), device);
  for (auto _ : state) {
    grid.query(a.data(), n, 1, index.data(), distance.data());
    float last = 0.0f;  // a copy to the host waits for the query to finish
    advect::detail::copy_bytes(&last, advect::Device::cpu(), distance.data() + n - 1, device,
                               sizeof(float));
    benchmark::DoNotOptimize(last);
  }
}
void BM_NeighbourGridBuildCpu(benchmark::State& s) {
  run_grid_build(s, advect::Device::cpu());
}
void BM_NeighbourGridBuildCuda(benchmark::State& s) {
  run_grid_build(s, advect::Device::cuda());
}
void BM_NeighbourGridQueryCpu(benchmark::State& s) {
  run_grid_query(s, advect::Device::cpu());
}
void BM_NeighbourGridQueryCuda(benchmark::State& s) {
  run_grid_query(s, advect::Device::cuda());
}

open3d::geometry::PointCloud to_open3d(const std::vector<float>& xyz) {
  open3d::geometry::PointCloud cloud;
  for (std::size_t i = 0; i < xyz.size(); i += 3)
    cloud.points_.emplace_back(xyz[i], xyz[i + 1], xyz[i + 2]);
  return cloud;
}

// Reference: Open3D's KD-tree, both trees built per evaluation (as ours builds the moving grid),
// one query per point, one thread.
void BM_ChamferOpen3DKdTree(benchmark::State& state) {
  if (!pair().ok) return state.SkipWithError("../shared reference pair not found");
  const auto a = to_open3d(pair().a), b = to_open3d(pair().b);
  double value = 0.0;
  for (auto _ : state) {
    const auto one_way = [](const open3d::geometry::PointCloud& from,
                            const open3d::geometry::PointCloud& to) {
      const open3d::geometry::KDTreeFlann tree(to);
      std::vector<int> index(1);
      std::vector<double> distance(1);
      double sum = 0.0;
      for (const auto& p : from.points_) {
        tree.SearchKNN(p, 1, index, distance);
        sum += distance[0];
      }
      return sum / double(from.points_.size());
    };
    value = one_way(a, b) + one_way(b, a);
  }
  state.counters["chamfer"] = value;
}

}  // namespace

BENCHMARK(BM_ChamferOpen3DKdTree)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ChamferCpu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ChamferWithGradientCpu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ChamferCuda)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ChamferWithGradientCuda)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DistanceFieldCpu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DistanceFieldCuda)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NeighbourGridBuildCpu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NeighbourGridBuildCuda)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NeighbourGridQueryCpu)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NeighbourGridQueryCuda)->Unit(benchmark::kMillisecond)->UseRealTime();
