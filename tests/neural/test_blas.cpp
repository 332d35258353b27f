// Blas::gemm against a double-precision triple loop, for every transpose combination and the
// shapes of MLP training (the CPU's blocked GEMM: wide products and long sums, with rows, columns
// and sums that are not multiples of its tiles) and the rest (matrix-vector, small products).
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/Dispatch.h"
#include "advect/neural/Blas.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

struct Product {
  bool transpose_a, transpose_b;
  int m, n, k;
  float alpha, beta;
  neural::MatmulPrecision precision = neural::MatmulPrecision::fp32;
};

// x rounded to bfloat16 (8 significant bits), to nearest with ties to even.
double to_bf16(float x) {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits = (bits + 0x7FFFu + ((bits >> 16) & 1u)) & 0xFFFF0000u;
  float rounded;
  std::memcpy(&rounded, &bits, sizeof rounded);
  return rounded;
}

std::vector<float> uniform(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

class BlasOnDevice : public PerDevice {
 protected:
  // Runs the product with leading dimensions larger than the matrices (padding 3) and checks every
  // element of C, and that the padding rows of C are untouched. bf16 products are checked against
  // the triple loop over the inputs rounded to bfloat16.
  void check(const Product& p) {
    const bool bf16 = p.precision == neural::MatmulPrecision::bf16;
    const auto input = [&](float x) { return bf16 ? to_bf16(x) : double(x); };
    const int a_rows = p.transpose_a ? p.k : p.m, a_cols = p.transpose_a ? p.m : p.k;
    const int b_rows = p.transpose_b ? p.n : p.k, b_cols = p.transpose_b ? p.k : p.n;
    const int lda = a_rows + 3, ldb = b_rows + 3, ldc = p.m + 3;
    const std::vector<float> a = uniform(std::size_t(lda) * a_cols, 1),
                             b = uniform(std::size_t(ldb) * b_cols, 2);
    std::vector<float> c = uniform(std::size_t(ldc) * p.n, 3);
    // beta == 0 must not read C: NaNs there must not reach the result.
    if (p.beta == 0.0f) {
      for (float& x : c) x = std::numeric_limits<float>::quiet_NaN();
    }
    const Buffer<float> a_buffer = Buffer<float>::from_host(a, device()),
                        b_buffer = Buffer<float>::from_host(b, device());
    Buffer<float> c_buffer = Buffer<float>::from_host(c, device());
    with_backend(device(), [&](auto backend) {
      neural::Blas<backend>::gemm(p.transpose_a, p.transpose_b, p.m, p.n, p.k, p.alpha,
                                  a_buffer.data(), lda, b_buffer.data(), ldb, p.beta,
                                  c_buffer.data(), ldc, p.precision);
    });
    const std::vector<float> got = c_buffer.to_host();
    for (int j = 0; j < p.n; ++j) {
      for (int i = 0; i < p.m; ++i) {
        double sum = 0.0, magnitude = 0.0;
        for (int l = 0; l < p.k; ++l) {
          const double x = input(p.transpose_a ? a[std::size_t(l) + std::size_t(i) * lda]
                                               : a[std::size_t(i) + std::size_t(l) * lda]);
          const double y = input(p.transpose_b ? b[std::size_t(j) + std::size_t(l) * ldb]
                                               : b[std::size_t(l) + std::size_t(j) * ldb]);
          sum += x * y;
          magnitude += std::fabs(x * y);
        }
        const std::size_t at = std::size_t(i) + std::size_t(j) * ldc;
        const double before = p.beta == 0.0f ? 0.0 : double(c[at]);
        const double want = p.alpha * sum + p.beta * before;
        // float accumulation: a few ulps of the sum of magnitudes per term.
        const double tolerance =
            4e-7 * std::sqrt(double(p.k)) * (std::fabs(p.alpha) * magnitude + std::fabs(before)) +
            1e-6;
        ASSERT_NEAR(got[at], want, tolerance) << "C(" << i << ", " << j << ")";
      }
      for (int i = p.m; i < ldc; ++i) {
        const std::size_t at = std::size_t(i) + std::size_t(j) * ldc;
        ASSERT_EQ(std::memcmp(&got[at], &c[at], sizeof(float)), 0)
            << "padding row " << i << " written";
      }
    }
  }
};

TEST_P(BlasOnDevice, WideProductsMatchTheTripleLoop) {
  for (bool transpose_a : {false, true}) {
    for (const Product& p : {Product{transpose_a, false, 128, 700, 128, 1.0f, 0.0f},
                             Product{transpose_a, false, 3, 129, 128, 1.0f, 0.0f},
                             Product{transpose_a, false, 128, 37, 3, 1.0f, 1.0f},
                             Product{transpose_a, false, 45, 16, 70, -0.5f, 2.0f}}) {
      SCOPED_TRACE(::testing::Message() << "transpose_a " << transpose_a << " m " << p.m << " n "
                                        << p.n << " k " << p.k);
      check(p);
    }
  }
}

TEST_P(BlasOnDevice, LongSumsMatchTheTripleLoop) {
  for (const Product& p : {Product{false, true, 128, 128, 5000, 1.0f, 0.0f},
                           Product{false, true, 3, 128, 2049, 1.0f, 1.0f},
                           Product{false, true, 128, 3, 300, 0.25f, -1.0f},
                           Product{false, true, 128, 100, 512, 1.0f, 0.5f},
                           Product{false, true, 33, 13, 40000, 1.0f, 0.0f}}) {
    SCOPED_TRACE(::testing::Message() << "m " << p.m << " n " << p.n << " k " << p.k);
    check(p);
  }
}

TEST_P(BlasOnDevice, OtherShapesMatchTheTripleLoop) {
  for (const Product& p :
       {Product{false, false, 128, 1, 3000, 1.0f, 0.0f}, Product{false, false, 7, 5, 4, 1.0f, 1.0f},
        Product{true, true, 20, 30, 40, 2.0f, 0.5f}, Product{true, true, 9, 64, 300, 1.0f, 0.0f},
        Product{false, true, 6, 9, 100, 1.0f, 0.0f}}) {
    SCOPED_TRACE(::testing::Message() << "transposes " << p.transpose_a << p.transpose_b << " m "
                                      << p.m << " n " << p.n << " k " << p.k);
    check(p);
  }
}

TEST_P(BlasOnDevice, Bf16ProductsMatchTheTripleLoopOverRoundedInputs) {
  const bool supported = with_backend(device(), [](auto backend) {
    return neural::Blas<backend>::supports(neural::MatmulPrecision::bf16);
  });
  if (!supported) GTEST_SKIP() << "skipped: no bf16 products here (the CPU lacks AVX512-BF16)";
  const auto bf16 = neural::MatmulPrecision::bf16;
  // Odd sums (a zero-padded last pair), rows and columns off the tiles, both wide shapes and the
  // long sum.
  for (const Product& p : {Product{false, false, 128, 700, 128, 1.0f, 0.0f, bf16},
                           Product{true, false, 3, 129, 127, 1.0f, 1.0f, bf16},
                           Product{false, false, 45, 37, 3, -0.5f, 2.0f, bf16},
                           Product{false, true, 128, 128, 5001, 1.0f, 0.0f, bf16},
                           Product{false, true, 3, 45, 2049, 0.25f, -1.0f, bf16},
                           Product{false, true, 100, 128, 511, 1.0f, 0.0f, bf16}}) {
    SCOPED_TRACE(::testing::Message() << "transposes " << p.transpose_a << p.transpose_b << " m "
                                      << p.m << " n " << p.n << " k " << p.k);
    check(p);
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(BlasOnDevice);

TEST(Blas, CpuProductsAreTheSameBitsOnOneAndTwoThreads) {
  const int m = 128, n = 3000, k = 128;
  const std::vector<float> a = uniform(std::size_t(m) * k, 4), b = uniform(std::size_t(k) * n, 5);
  // columns: the wide product's; for a sum, its length: 3000 is split into parts, 512 (a batch of
  // the fast method) is one part whose output columns the threads share.
  const auto product_on = [&](int threads, bool transpose_b, int columns) {
    const int saved = cpu_thread_count();
    set_cpu_thread_count(threads);
    // transpose_b: the weight gradient's shape, a sum over the columns of a and b.
    std::vector<float> c(std::size_t(m) * (transpose_b ? m : columns));
    if (transpose_b) {
      neural::Blas<Backend::cpu>::gemm(false, true, m, m, columns, 1.0f, b.data(), m, b.data(), m,
                                       0.0f, c.data(), m);
    } else {
      neural::Blas<Backend::cpu>::gemm(false, false, m, columns, k, 1.0f, a.data(), m, b.data(), k,
                                       0.0f, c.data(), m);
    }
    set_cpu_thread_count(saved);
    return c;
  };
  EXPECT_EQ(product_on(1, false, n), product_on(2, false, n));
  EXPECT_EQ(product_on(1, true, n), product_on(2, true, n));
  EXPECT_EQ(product_on(1, true, 512), product_on(2, true, 512));
}

}  // namespace
}  // namespace advect::testing
