// main() of every benchmark program: the process settings the advect program makes too
// (advect/engine/ProcessTuning.h), then Google Benchmark as BENCHMARK_MAIN() runs it.
#include <benchmark/benchmark.h>

#include "advect/engine/ProcessTuning.h"

int main(int argc, char** argv) {
  advect::keep_freed_memory_for_reuse();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
