#include <gtest/gtest.h>
#include <omp.h>

#include <cfloat>
#include <cmath>
#include <vector>

#include "advect/engine/SubnormalsFlushed.h"

namespace advect {
namespace {

// Halves FLT_MIN on every OpenMP thread (volatile: computed at run time, under each thread's own
// floating-point mode) and says on how many threads the result was subnormal.
int threads_keeping_subnormals() {
  const int threads = omp_get_max_threads();
  std::vector<int> kept(std::size_t(threads), 0);
#pragma omp parallel num_threads(threads)
  {
    volatile float smallest_normal = FLT_MIN;
    volatile float half = 0.5f;
    const float x = smallest_normal * half;
    kept[std::size_t(omp_get_thread_num())] = std::fpclassify(x) == FP_SUBNORMAL ? 1 : 0;
  }
  int total = 0;
  for (const int k : kept) total += k;
  return total;
}

TEST(SubnormalsFlushed, FlushesOnEveryThreadAndRestoresAfter) {
#if !defined(__SSE__)
  GTEST_SKIP() << "no SSE control word on this CPU: the scope is a no-op";
#else
  const int threads = omp_get_max_threads();
  ASSERT_EQ(threads_keeping_subnormals(), threads) << "subnormals are flushed before the scope";
  {
    const SubnormalsFlushed flushed;
    EXPECT_EQ(threads_keeping_subnormals(), 0);
    volatile float tiny = FLT_MIN / 4.0f;  // a subnormal input reads as zero, too
    EXPECT_EQ(tiny * 1.0f, 0.0f);
  }
  EXPECT_EQ(threads_keeping_subnormals(), threads);
  volatile float tiny = FLT_MIN / 4.0f;
  EXPECT_GT(tiny * 1.0f, 0.0f);
#endif
}

}  // namespace
}  // namespace advect
