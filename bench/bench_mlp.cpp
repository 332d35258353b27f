// MLP throughput: the MLP work of one NSFP iteration (two 3 -> 8 x 128 ReLU -> 3 networks,
// forward, backward, Adam) at 2048, 8192 and 32768 points, on each backend
// (bench/compare/side_by_side.py times PyTorch on the same work).
#include <benchmark/benchmark.h>

#include <random>

#include "advect/neural/Adam.h"
#include "advect/neural/Blas.h"
#include "advect/neural/Mlp.h"

namespace {

void run_nsfp_mlp_work(benchmark::State& state, const advect::Device& device,
                       advect::neural::MatmulPrecision precision) {
  if (device.is_cuda() && advect::cuda_device_count() == 0)
    return state.SkipWithError("no CUDA device visible");
  const std::int64_t n = state.range(0);
  advect::neural::MlpConfig config;  // 3 -> 8 x 128 ReLU -> 3
  config.precision = precision;
  const bool supported =
      device.is_cuda() || advect::neural::Blas<advect::Backend::cpu>::supports(precision);
  if (!supported) return state.SkipWithError("no bf16 products on this CPU (AVX512-BF16)");
  advect::neural::Mlp forward_flow(config, device, 1), backward_flow(config, device, 2);
  advect::neural::AdamOptions options;
  options.learning_rate = 8e-3f;
  options.weight_decay = 1e-4f;
  advect::neural::Adam adam_forward(forward_flow.parameter_count(), device, options);
  advect::neural::Adam adam_backward(backward_flow.parameter_count(), device, options);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-30.0f, 30.0f);
  std::vector<float> host(std::size_t(3 * n));
  for (float& v : host) v = u(rng);
  const auto points = advect::Buffer<float>::from_host(host, device);
  advect::Buffer<float> flow(std::size_t(3 * n), device), d_flow(std::size_t(3 * n), device);
  d_flow.copy_from_host(host);  // any gradient: the cost does not depend on its values
  advect::neural::MlpWorkspace ws_forward, ws_backward;
  const auto iteration = [&] {
    forward_flow.forward(points.data(), n, flow.data(), ws_forward);
    backward_flow.forward(flow.data(), n, flow.data(), ws_backward);
    backward_flow.backward(flow.data(), d_flow.data(), ws_backward);
    forward_flow.backward(points.data(), d_flow.data(), ws_forward);
    adam_forward.step(forward_flow.parameters().data(), forward_flow.gradients().data());
    adam_backward.step(backward_flow.parameters().data(), backward_flow.gradients().data());
  };
  // One untimed iteration first, as a fit's first: it allocates the workspaces (at 32768 points
  // the first touch of their 270 MB cost more than two whole iterations), which a fit does once.
  iteration();
  for (auto _ : state) iteration();
  // Two networks, forward (1x) and backward (2x) GEMM work: 3 x 2 x params x points each.
  const double flops = 2.0 * 3.0 * 2.0 * double(forward_flow.parameter_count()) * double(n);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

using advect::neural::MatmulPrecision;
void BM_NsfpMlpIterationCpu(benchmark::State& s) {
  run_nsfp_mlp_work(s, advect::Device::cpu(), MatmulPrecision::fp32);
}
void BM_NsfpMlpIterationCpuBf16(benchmark::State& s) {
  run_nsfp_mlp_work(s, advect::Device::cpu(), MatmulPrecision::bf16);
}
void BM_NsfpMlpIterationCuda(benchmark::State& s) {
  run_nsfp_mlp_work(s, advect::Device::cuda(), MatmulPrecision::fp32);
}
void BM_NsfpMlpIterationCudaBf16(benchmark::State& s) {
  run_nsfp_mlp_work(s, advect::Device::cuda(), MatmulPrecision::bf16);
}

}  // namespace

BENCHMARK(BM_NsfpMlpIterationCpu)
    ->Arg(2048)
    ->Arg(8192)
    ->Arg(32768)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_NsfpMlpIterationCpuBf16)
    ->Arg(2048)
    ->Arg(8192)
    ->Arg(32768)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_NsfpMlpIterationCuda)
    ->Arg(2048)
    ->Arg(8192)
    ->Arg(90000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_NsfpMlpIterationCudaBf16)
    ->Arg(2048)
    ->Arg(8192)
    ->Arg(90000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
