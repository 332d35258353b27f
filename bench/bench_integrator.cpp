// Throughput of the batched ODE solver (point-steps per second) on each backend, against a plain
// scalar RK4 loop over the same points and field on one core as the reference.
#include <benchmark/benchmark.h>

#include <random>

#include "advect/engine/AnalyticFields.h"
#include "advect/engine/OdeSolver.h"

namespace {

std::vector<double> gyre_seeds(std::int64_t n) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> x(0.0, 2.0), y(0.0, 1.0);
  std::vector<double> seeds(std::size_t(3 * n));
  for (std::int64_t i = 0; i < n; ++i) {
    seeds[std::size_t(3 * i)] = x(rng);
    seeds[std::size_t(3 * i + 1)] = y(rng);
  }
  return seeds;
}

constexpr double kSpan = 10.0;  // one double-gyre period, s
constexpr double kStep = 0.05;  // RK4 step, s

void run_solver(benchmark::State& state, advect::OdeMethod method, const advect::Device& device) {
  if (device.is_cuda() && advect::cuda_device_count() == 0) {
    state.SkipWithError("no CUDA device visible");
    return;
  }
  const std::int64_t n = state.range(0);
  const auto field = advect::make_double_gyre_field({});
  const advect::Buffer<double> seeds = advect::Buffer<double>::from_host(gyre_seeds(n), device);
  advect::OdeOptions options;
  options.method = method;
  options.step = method == advect::OdeMethod::rk4 ? kStep : 0.0;
  const std::vector<double> times = {0.0, kSpan};
  std::int64_t steps = 0;
  for (auto _ : state) {
    const advect::OdeResult result = advect::integrate(*field, seeds, times, options);
    steps = result.stats.accepted_steps;
    benchmark::DoNotOptimize(result.states.data());
  }
  state.counters["steps"] = double(steps);
  state.counters["point_steps/s"] =
      benchmark::Counter(double(n * steps), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Rk4Cpu(benchmark::State& s) {
  run_solver(s, advect::OdeMethod::rk4, advect::Device::cpu());
}
void BM_Dopri5Cpu(benchmark::State& s) {
  run_solver(s, advect::OdeMethod::dopri5, advect::Device::cpu());
}
void BM_Rk4Cuda(benchmark::State& s) {
  run_solver(s, advect::OdeMethod::rk4, advect::Device::cuda());
}
void BM_Dopri5Cuda(benchmark::State& s) {
  run_solver(s, advect::OdeMethod::dopri5, advect::Device::cuda());
}

// Reference: each point advanced by its own scalar RK4 loop on one core, no batching.
void BM_ScalarRk4Reference(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const advect::DoubleGyreLaw law;
  const std::vector<double> seeds = gyre_seeds(n);
  const auto steps = std::int64_t(kSpan / kStep);
  for (auto _ : state) {
    std::vector<double> out = seeds;
    for (std::int64_t i = 0; i < n; ++i) {
      double* y = &out[std::size_t(3 * i)];
      double t = 0.0;
      for (std::int64_t s = 0; s < steps; ++s, t += kStep) {
        double k1[3], k2[3], k3[3], k4[3], tmp[3];
        law(y, t, k1);
        for (int d = 0; d < 3; ++d) tmp[d] = y[d] + 0.5 * kStep * k1[d];
        law(tmp, t + 0.5 * kStep, k2);
        for (int d = 0; d < 3; ++d) tmp[d] = y[d] + 0.5 * kStep * k2[d];
        law(tmp, t + 0.5 * kStep, k3);
        for (int d = 0; d < 3; ++d) tmp[d] = y[d] + kStep * k3[d];
        law(tmp, t + kStep, k4);
        for (int d = 0; d < 3; ++d) y[d] += kStep / 6.0 * (k1[d] + 2 * k2[d] + 2 * k3[d] + k4[d]);
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["steps"] = double(steps);
  state.counters["point_steps/s"] =
      benchmark::Counter(double(n * steps), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_ScalarRk4Reference)->Arg(1 << 12)->Arg(1 << 16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Rk4Cpu)->Arg(1 << 12)->Arg(1 << 16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dopri5Cpu)->Arg(1 << 12)->Arg(1 << 16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Rk4Cuda)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dopri5Cuda)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();
