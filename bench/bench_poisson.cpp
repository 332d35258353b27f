// The pressure Poisson solve (-laplace p = f, walls all round, f = 2 pi^2 cos(pi x) cos(pi y)) to
// rtol 1e-8 from zero: multigrid-preconditioned CG against Jacobi-preconditioned CG, N x N cells,
// on each backend. Counters: CG iterations and the relative residual reached.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>

#include "advect/engine/Buffer.h"
#include "advect/fluids/Poisson.h"

namespace {

void run(benchmark::State& state, const advect::Device& device,
         advect::fluids::Preconditioner preconditioner) {
  if (device.is_cuda() && advect::cuda_device_count() == 0) {
    return state.SkipWithError("no CUDA device visible");
  }
  const int n = int(state.range(0));
  advect::fluids::PoissonGrid grid;
  grid.nx = grid.ny = n;
  grid.h = 1.0 / n;
  std::vector<double> f(std::size_t(n) * std::size_t(n));
  constexpr double pi = std::numbers::pi;
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      f[std::size_t(j) * std::size_t(n) + std::size_t(i)] =
          2 * pi * pi * std::cos(pi * (i + 0.5) / n) * std::cos(pi * (j + 0.5) / n);
    }
  }
  advect::fluids::PoissonOptions options;
  options.preconditioner = preconditioner;
  options.rtol = 1e-8;
  advect::fluids::PoissonSolver solver(grid, options, device);
  const auto rhs = advect::Buffer<double>::from_host(f, device);
  advect::Buffer<double> p(f.size(), device);
  const std::vector<double> zero(f.size(), 0.0);
  advect::fluids::PoissonResult result;
  for (auto _ : state) {
    state.PauseTiming();
    p.copy_from_host(zero);
    state.ResumeTiming();
    result = solver.solve(rhs.data(), p.data());
  }
  state.counters["iterations"] = result.iterations;
  state.counters["residual"] = result.relative_residual;
  state.counters["levels"] = solver.levels();
  state.SetItemsProcessed(state.iterations() * std::int64_t(n) * n);
}

void BM_PoissonMultigridPcgCpu(benchmark::State& s) {
  run(s, advect::Device::cpu(), advect::fluids::Preconditioner::multigrid);
}
void BM_PoissonJacobiPcgCpu(benchmark::State& s) {
  run(s, advect::Device::cpu(), advect::fluids::Preconditioner::jacobi);
}
void BM_PoissonMultigridPcgCuda(benchmark::State& s) {
  run(s, advect::Device::cuda(), advect::fluids::Preconditioner::multigrid);
}
void BM_PoissonJacobiPcgCuda(benchmark::State& s) {
  run(s, advect::Device::cuda(), advect::fluids::Preconditioner::jacobi);
}

}  // namespace

BENCHMARK(BM_PoissonMultigridPcgCpu)
    ->RangeMultiplier(2)
    ->Range(128, 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_PoissonJacobiPcgCpu)
    ->RangeMultiplier(2)
    ->Range(128, 512)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_PoissonMultigridPcgCuda)
    ->RangeMultiplier(2)
    ->Range(128, 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_PoissonJacobiPcgCuda)
    ->RangeMultiplier(2)
    ->Range(128, 1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
