// The loop primitives every kernel body is written with. Include this only from a kernel
// Impl header: it compiles to OpenMP loops under g++ and to CUDA launches under nvcc.
//
//   parallel_for(n, f[, min])              calls f(i) for i in [0, n)
//   parallel_for_2d(nx, ny, f[, min])      calls f(i, j) for i in [0, nx), j in [0, ny): on the
//                                          CPU rows in parallel and i innermost, so a stencil
//                                          body needs no division and its branches see runs
//   transform_reduce(n, init, op, f[, min]) op-folds f(i) over [0, n), starting from init
//   sort_by_key(keys, values, n)           sorts keys ascending, values alongside (stable)
//   exclusive_scan(in, out, n)             out[i] = in[0] + ... + in[i-1] (out may alias in)
//   parallel_for_owned(parts, n, f)        calls f(i, part) for i in [0, n), part in [0, parts),
//                                          where each part owns the memory it scatters into
//   scatter_add(target, value)             *target += value inside parallel_for_owned
//   load(pointer)                          one value from the backend's memory, on the host
//
// f and op are functors with ADVECT_HD call operators (no extended lambdas needed). The CPU
// reduction is deterministic for a given thread count and n: per-thread partials are combined in
// thread order.
#pragma once

#include <cstdint>
#include <vector>

#include "advect/engine/HostDevice.h"

#if defined(__CUDACC__)
#include <thrust/execution_policy.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/scan.h>
#include <thrust/sort.h>
#include <thrust/transform_reduce.h>

#include <stdexcept>
#include <string>
#else
#include <omp.h>

#include "advect/engine/Device.h"

#include <algorithm>
#include <numeric>
#endif

namespace advect::detail {

// On the CPU, loops shorter than `min` (the last argument above) run on the calling thread: a
// parallel region costs microseconds (a futex wake-up, a system call, which a virtual machine
// makes slower still), and its barrier spins, which turns into a large slowdown when other
// processes share the cores. The default suits bodies of some hundred operations (a point's
// neighbour search, an MLP row); a few operations per index (a grid stencil, a vector update)
// need far more to pay for the region: on the 2-core development VM a 128^2 grid ran faster on
// one thread than on two (docs/fluids.md). CUDA ignores `min`.
inline constexpr std::int64_t kMinParallelIterations = 1024;
inline constexpr std::int64_t kMinParallelLightIterations = std::int64_t(1) << 16;

inline namespace ADVECT_BACKEND {

#if defined(__CUDACC__)

template <class F>
__global__ void parallel_for_kernel(std::int64_t n, F f) {
  const std::int64_t stride = std::int64_t(blockDim.x) * gridDim.x;
  for (std::int64_t i = std::int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    f(i);
  }
}

inline void check_launch(const char* what) {
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
  }
}

template <class F>
void parallel_for(std::int64_t n, const F& f, std::int64_t = kMinParallelIterations) {
  if (n <= 0) return;
  constexpr int kThreads = 256;
  const std::int64_t blocks = (n + kThreads - 1) / kThreads;
  parallel_for_kernel<<<unsigned(blocks < 65535 ? blocks : 65535), kThreads>>>(n, f);
  check_launch("parallel_for launch");
}

// Every (index, part) pair is its own thread; parts share memory only through scatter_add.
template <class F>
struct OwnedPair {
  std::int64_t n;
  F f;
  ADVECT_HD void operator()(std::int64_t k) const { f(k % n, int(k / n)); }
};

template <class F>
void parallel_for_owned(int parts, std::int64_t n, const F& f) {
  if (parts > 0 && n > 0) parallel_for(std::int64_t(parts) * n, OwnedPair<F>{n, f});
}

ADVECT_HD inline void scatter_add(float* target, float value) {
#if defined(__CUDA_ARCH__)
  atomicAdd(target, value);
#else
  *target += value;
#endif
}

template <class F>
struct RowMajorCell {
  int nx;
  F f;
  ADVECT_HD void operator()(std::int64_t k) const { f(int(k % nx), int(k / nx)); }
};

template <class F>
void parallel_for_2d(int nx, int ny, const F& f, std::int64_t = kMinParallelLightIterations) {
  if (nx > 0 && ny > 0) parallel_for(std::int64_t(nx) * ny, RowMajorCell<F>{nx, f});
}

template <class T, class Op, class F>
T transform_reduce(std::int64_t n, T init, Op op, const F& f,
                   std::int64_t = kMinParallelIterations) {
  if (n <= 0) return init;
  return thrust::transform_reduce(thrust::device, thrust::counting_iterator<std::int64_t>(0),
                                  thrust::counting_iterator<std::int64_t>(n), f, init, op);
}

template <class K, class V>
void sort_by_key(K* keys, V* values, std::int64_t n) {
  if (n > 1) thrust::stable_sort_by_key(thrust::device, keys, keys + n, values);
}

template <class T>
void exclusive_scan(const T* in, T* out, std::int64_t n) {
  if (n > 0) thrust::exclusive_scan(thrust::device, in, in + n, out);
}

template <class T>
T load(const T* pointer) {
  T value;
  const cudaError_t status = cudaMemcpy(&value, pointer, sizeof(T), cudaMemcpyDeviceToHost);
  if (status != cudaSuccess)
    throw std::runtime_error(std::string("load: ") + cudaGetErrorString(status));
  return value;
}

#else

// The threads a loop of n iterations runs on: advect's CPU thread count, or 1 below `min`.
inline int loop_threads(std::int64_t n, std::int64_t min) {
  return n < min ? 1 : cpu_thread_count();
}

template <class F>
void parallel_for(std::int64_t n, const F& f, std::int64_t min = kMinParallelIterations) {
  const int threads = loop_threads(n, min);
  if (threads == 1) {
    for (std::int64_t i = 0; i < n; ++i) f(i);
    return;
  }
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t i = 0; i < n; ++i) f(i);
}

template <class F>
void parallel_for_2d(int nx, int ny, const F& f, std::int64_t min = kMinParallelLightIterations) {
  const auto rows = [&](int first, int last) {
    for (int j = first; j < last; ++j) {
      for (int i = 0; i < nx; ++i) f(i, j);
    }
  };
  const int threads = loop_threads(std::int64_t(nx) * ny, min);
  if (threads == 1) {
    rows(0, ny);
    return;
  }
#pragma omp parallel for schedule(static) num_threads(threads)
  for (int j = 0; j < ny; ++j) rows(j, j + 1);
}

// A scatter (a gradient into a hash table, a histogram) without atomics and with a result that
// does not depend on the thread count: parts run in parallel, and within a part the indices run in
// order on one thread. The caller cuts the targets into parts that no two parts write (the levels
// of a hash table), so scatter_add is a plain, ordered sum: the same bits on 1 or 16 threads.
template <class F>
void parallel_for_owned(int parts, std::int64_t n, const F& f) {
  const auto run_part = [&](int part) {
    for (std::int64_t i = 0; i < n; ++i) f(i, part);
  };
  if (parts <= 0 || n <= 0) return;
  const int threads =
      parts == 1 ? 1 : loop_threads(std::int64_t(parts) * n, kMinParallelIterations);
  if (threads == 1) {
    for (int part = 0; part < parts; ++part) run_part(part);
    return;
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int part = 0; part < parts; ++part) run_part(part);
}

inline void scatter_add(float* target, float value) {
  *target += value;
}

// The fold runs over fixed chunks of the range, whose partials are then folded in order: the
// rounding, and so the result, is the same for any number of threads (a fixed seed gives
// bit-identical results on 1 or 2 cores).
template <class T, class Op, class F>
T transform_reduce(std::int64_t n, T init, Op op, const F& f,
                   std::int64_t min = kMinParallelIterations) {
  constexpr std::int64_t kChunk = 1024;
  const std::int64_t chunks = (n + kChunk - 1) / kChunk;
  if (chunks <= 1) {
    T result = init;
    for (std::int64_t i = 0; i < n; ++i) result = op(result, f(i));
    return result;
  }
  std::vector<T> partials(std::size_t(chunks), init);
  const auto fold_chunk = [&](std::int64_t c) {
    T local = init;
    const std::int64_t end = std::min(n, (c + 1) * kChunk);
    for (std::int64_t i = c * kChunk; i < end; ++i) local = op(local, f(i));
    partials[std::size_t(c)] = local;
  };
  const int threads = loop_threads(n, min);
  if (threads == 1) {
    for (std::int64_t c = 0; c < chunks; ++c) fold_chunk(c);
  } else {
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::int64_t c = 0; c < chunks; ++c) fold_chunk(c);
  }
  T result = init;
  for (const T& partial : partials) result = op(result, partial);
  return result;
}

// Serial on the CPU: a permutation sort over host memory, then both arrays are reordered.
template <class K, class V>
void sort_by_key(K* keys, V* values, std::int64_t n) {
  if (n <= 1) return;
  std::vector<std::int64_t> order(std::size_t(n), 0);
  std::iota(order.begin(), order.end(), std::int64_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](std::int64_t a, std::int64_t b) { return keys[a] < keys[b]; });
  std::vector<K> sorted_keys(static_cast<std::size_t>(n));
  std::vector<V> sorted_values(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < order.size(); ++i) {
    sorted_keys[i] = keys[order[i]];
    sorted_values[i] = values[order[i]];
  }
  std::copy(sorted_keys.begin(), sorted_keys.end(), keys);
  std::copy(sorted_values.begin(), sorted_values.end(), values);
}

template <class T>
T load(const T* pointer) {
  return *pointer;
}

template <class T>
void exclusive_scan(const T* in, T* out, std::int64_t n) {
  T running{};
  for (std::int64_t i = 0; i < n; ++i) {
    const T value = in[i];
    out[i] = running;
    running += value;
  }
}

#endif

}  // namespace ADVECT_BACKEND
}  // namespace advect::detail
