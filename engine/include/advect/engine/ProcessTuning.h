// Process-wide settings that advect's own programs (the CLI, the benchmarks) make at start, and
// that a program embedding the library may choose to make: the library itself never changes
// process state behind its caller's back.
#pragma once

namespace advect {

// glibc keeps freed blocks of up to 256 MiB for reuse instead of returning them to the system
// (mallopt M_MMAP_THRESHOLD / M_TRIM_THRESHOLD). Eigen allocates its GEMM packing buffers
// (megabytes for large batches) on every product; with the default thresholds each is a fresh
// mmap whose pages fault in and are unmapped at free, which costs 2.4x on an NSFP iteration at
// 8192 points. Cost: freed memory stays in the process. Safe to call more than once.
void keep_freed_memory_for_reuse();

}  // namespace advect
