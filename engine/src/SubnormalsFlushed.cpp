#include "advect/engine/SubnormalsFlushed.h"

#include <omp.h>

#include "advect/engine/Device.h"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace advect {

namespace {

#if defined(__SSE__)
constexpr unsigned kFlushToZero = 0x8000;     // MXCSR.FTZ: subnormal results become 0
constexpr unsigned kDenormalsAreZero = 0x40;  // MXCSR.DAZ: subnormal inputs read as 0

unsigned flush_this_thread() {
  const unsigned mode = _mm_getcsr();
  _mm_setcsr(mode | kFlushToZero | kDenormalsAreZero);
  return mode;
}
void restore_this_thread(unsigned mode) {
  _mm_setcsr(mode);
}
#else
unsigned flush_this_thread() {
  return 0;
}
void restore_this_thread(unsigned) {}
#endif

}  // namespace

SubnormalsFlushed::SubnormalsFlushed()
    : caller_mode_(flush_this_thread()), worker_modes_(std::size_t(cpu_thread_count())) {
  // OpenMP keeps its threads between parallel regions, so a mode set here holds in the kernels'
  // loops that follow (with the same thread count).
#pragma omp parallel num_threads(int(worker_modes_.size()))
  worker_modes_[std::size_t(omp_get_thread_num())] = flush_this_thread();
}

SubnormalsFlushed::~SubnormalsFlushed() {
#pragma omp parallel num_threads(int(worker_modes_.size()))
  restore_this_thread(worker_modes_[std::size_t(omp_get_thread_num())]);
  restore_this_thread(caller_mode_);
}

}  // namespace advect
