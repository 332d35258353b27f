// Macros that let one kernel body compile under g++ (CPU backend) and nvcc (CUDA backend).
#pragma once

namespace advect {

// The two compiled backends. A kernel family is a class template over Backend, instantiated
// once in a .cpp (g++) and once in a .cu (nvcc); see docs/kernels.md.
enum class Backend { cpu, gpu };

}  // namespace advect

#if defined(__CUDACC__)
#define ADVECT_HD __host__ __device__
// Inline helpers compiled by both compilers must live in different namespaces, otherwise they
// share a mangled name and the linker keeps either body. Not "cuda": that shadows libcu++'s ::cuda.
#define ADVECT_BACKEND gpu
#define ADVECT_THIS_BACKEND ::advect::Backend::gpu
#else
#define ADVECT_HD
#define ADVECT_BACKEND cpu
#define ADVECT_THIS_BACKEND ::advect::Backend::cpu
#endif
