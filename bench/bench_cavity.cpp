// Time steps of the lid-driven cavity (Re = 1000) on the MAC solver: cell-steps per second and
// the pressure iterations per projection, N x N cells (first argument), pressure tolerance
// 10^-k (second argument; 11 is the solver's default), fields of 64- or 32-bit floats (third
// argument; 10^-6 is float's tightest tolerance, so double is also run there to compare), on each
// backend. Each run first takes 50 steps from rest so that the flow (and the pressure solver's
// warm start) are not trivial.
#include <benchmark/benchmark.h>

#include <cmath>

#include "advect/fluids/MacFlow.h"

namespace {

void run(benchmark::State& state, const advect::Device& device) {
  if (device.is_cuda() && advect::cuda_device_count() == 0) {
    return state.SkipWithError("no CUDA device visible");
  }
  const int n = int(state.range(0));
  advect::fluids::FlowDomain domain;
  domain.nx = domain.ny = n;
  domain.h = 1.0 / n;
  domain.top = 1.0;
  advect::fluids::FlowOptions options;
  options.viscosity = 1e-3;
  options.pressure_rtol = std::pow(10.0, -double(state.range(1)));
  options.precision = state.range(2) == 32 ? advect::fluids::Precision::float32
                                           : advect::fluids::Precision::float64;
  advect::fluids::MacFlow flow(domain, options, device);
  for (int s = 0; s < 50; ++s) flow.step();
  advect::fluids::StepReport report;
  for (auto _ : state) report = flow.step();
  state.SetItemsProcessed(state.iterations() * std::int64_t(n) * n);  // cell-steps
  state.counters["pressure_iterations"] = report.pressure_iterations;
  state.counters["max_divergence"] = report.max_divergence;
}

void BM_CavityStepCpu(benchmark::State& s) {
  run(s, advect::Device::cpu());
}
void BM_CavityStepCuda(benchmark::State& s) {
  run(s, advect::Device::cuda());
}

}  // namespace

BENCHMARK(BM_CavityStepCpu)
    ->ArgNames({"n", "rtol_exp", "bits"})
    ->ArgsProduct({{128, 512, 1024}, {11, 8}, {64}})
    ->ArgsProduct({{128, 512}, {6}, {64, 32}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CavityStepCuda)
    ->ArgNames({"n", "rtol_exp", "bits"})
    ->ArgsProduct({{128, 512, 2048}, {11, 8}, {64}})
    ->ArgsProduct({{128, 512, 2048}, {6}, {64, 32}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
