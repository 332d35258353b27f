// The machine's memory bandwidth, as STREAM (McCalpin) measures it: copy a[i] = b[i] and triad
// a[i] = b[i] + s c[i] over arrays of 2^25 doubles (256 MiB each, far beyond the caches), on the
// OpenMP threads (OMP_NUM_THREADS). Bytes counted as STREAM counts them (copy 16, triad 24 per
// element; the write-allocate read is not counted). The solvers' achieved bandwidth is quoted
// against these numbers (docs/performance.md).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdint>
#include <vector>

namespace {

constexpr std::int64_t kElements = std::int64_t(1) << 25;

struct Arrays {
  std::vector<double> a, b, c;
  Arrays() : a(kElements), b(kElements), c(kElements) {
    // First touch by the threads that will use each part (NUMA placement, page faults outside
    // the timed loop).
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < kElements; ++i) a[i] = 1.0, b[i] = 2.0, c[i] = 0.5;
  }
};

void BM_StreamCopy(benchmark::State& state) {
  Arrays x;
  double* a = x.a.data();
  const double* b = x.b.data();
  for (auto _ : state) {
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < kElements; ++i) a[i] = b[i];
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 16);
  state.counters["threads"] = omp_get_max_threads();
}

void BM_StreamTriad(benchmark::State& state) {
  Arrays x;
  double* a = x.a.data();
  const double *b = x.b.data(), *c = x.c.data();
  for (auto _ : state) {
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < kElements; ++i) a[i] = b[i] + 3.0 * c[i];
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kElements * 24);
  state.counters["threads"] = omp_get_max_threads();
}

}  // namespace

BENCHMARK(BM_StreamCopy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StreamTriad)->Unit(benchmark::kMillisecond)->UseRealTime();
