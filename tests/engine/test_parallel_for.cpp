// The CPU loop primitives: every index visited exactly once on the serial and the threaded path
// (below and above the parallel thresholds, one thread and two), the reduction's sum, and the
// thread count they run on.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <vector>

#include "advect/engine/ParallelFor.h"

namespace advect {
namespace {

struct CountVisit {
  int nx;
  int* visits;
  void operator()(int i, int j) const { ++visits[std::int64_t(j) * nx + i]; }
};

struct CountIndex {
  int* visits;
  void operator()(std::int64_t i) const { ++visits[i]; }
};

struct Square {
  double operator()(std::int64_t i) const { return double(i) * double(i); }
};
struct Plus {
  double operator()(double a, double b) const { return a + b; }
};

class LoopsOnThreads : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    previous_ = cpu_thread_count();
    set_cpu_thread_count(GetParam());
  }
  void TearDown() override { set_cpu_thread_count(previous_); }
  int previous_ = 1;
};

TEST_P(LoopsOnThreads, TwoDimensionalLoopVisitsEveryCellOnce) {
  // 7 x 5 runs serially everywhere; 300 x 257 is past the stencil threshold (2^16 cells).
  for (const auto& [nx, ny] : {std::pair{7, 5}, std::pair{300, 257}, std::pair{1, 70000}}) {
    std::vector<int> visits(std::size_t(nx) * std::size_t(ny), 0);
    detail::parallel_for_2d(nx, ny, CountVisit{nx, visits.data()});
    for (std::size_t c = 0; c < visits.size(); ++c) {
      ASSERT_EQ(visits[c], 1) << nx << " x " << ny << ", cell " << c;
    }
    // The same with a threshold of 1: every size threaded.
    std::fill(visits.begin(), visits.end(), 0);
    detail::parallel_for_2d(nx, ny, CountVisit{nx, visits.data()}, 1);
    for (std::size_t c = 0; c < visits.size(); ++c) ASSERT_EQ(visits[c], 1) << "cell " << c;
  }
  detail::parallel_for_2d(0, 5, CountVisit{0, nullptr});  // empty: nothing called
  detail::parallel_for_2d(5, 0, CountVisit{5, nullptr});
}

TEST_P(LoopsOnThreads, OneDimensionalLoopAndReduction) {
  for (const std::int64_t n : {std::int64_t(10), std::int64_t(5000), std::int64_t(100000)}) {
    std::vector<int> visits(std::size_t(n), 0);
    detail::parallel_for(n, CountIndex{visits.data()});
    for (std::int64_t i = 0; i < n; ++i) ASSERT_EQ(visits[std::size_t(i)], 1) << i;
    // sum of i^2 for i < n = (n - 1) n (2n - 1) / 6, exact in double at these sizes
    const double expected = double(n - 1) * double(n) * double(2 * n - 1) / 6.0;
    EXPECT_EQ(detail::transform_reduce(n, 0.0, Plus{}, Square{}), expected) << n;
    EXPECT_EQ(detail::transform_reduce(n, 0.0, Plus{}, Square{}, 1), expected) << n;
  }
}

// The loops run on advect's thread count, not on OpenMP's own setting, which a library loaded in
// the same process may lower (importing PyTorch sets it to 1).
TEST_P(LoopsOnThreads, RunOnAdvectsThreadCountWhateverOpenMPIsSetTo) {
  const int openmp = omp_get_max_threads();
  omp_set_num_threads(3 - GetParam());  // the other count: 2 when advect's is 1, 1 when it is 2
  const std::int64_t n = 1 << 20;
  std::vector<int> thread_of(std::size_t(n), -1);
  detail::parallel_for(n,
                       [&](std::int64_t i) { thread_of[std::size_t(i)] = omp_get_thread_num(); });
  omp_set_num_threads(openmp);
  std::vector<bool> seen(4, false);
  for (const int t : thread_of) seen[std::size_t(t)] = true;
  EXPECT_EQ(int(std::count(seen.begin(), seen.end(), true)), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Threads, LoopsOnThreads, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return std::to_string(param.param) + "threads";
                         });

}  // namespace
}  // namespace advect
