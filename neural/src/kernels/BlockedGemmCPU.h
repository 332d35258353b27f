// advect's own single-precision GEMM for the CPU, for the shapes of MLP training: a small matrix
// (weights, at most a few hundred rows and columns) times a wide one (activations, one column per
// point), and the weight gradient, a sum over the points. Column-major, BLAS conventions as in
// advect/neural/Blas.h. Eigen's GEMM re-packs the weights for every block of columns and zeroes
// its output before accumulating; this one packs them once per product, keeps each 32 x k panel
// in cache while it sweeps the columns, and writes each output tile once.
#pragma once

#include "advect/neural/Blas.h"

namespace advect::neural::blocked_gemm {

// Whether this build and CPU multiply in bf16 (AVX512-BF16, compiled for with -march=native).
bool bf16_supported();

// Whether `multiply` handles this product: op(B) wide (n >= 16, B not transposed), or a sum over
// many columns (k >= 256, A not transposed, B transposed). Other shapes go to Eigen.
bool handles(bool transpose_a, bool transpose_b, int m, int n, int k);

// C = alpha * op(A) op(B) + beta * C on the OpenMP threads; C is not read when beta == 0. The
// result does not depend on the number of threads. bf16: A and B rounded to bfloat16, products
// summed in float32; throws std::invalid_argument where !bf16_supported().
void multiply(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha, const float* a,
              int lda, const float* b, int ldb, float beta, float* c, int ldc,
              MatmulPrecision precision);

}  // namespace advect::neural::blocked_gemm
