#include "kernels/BlockedMlpCPU.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "advect/engine/Device.h"
#include "kernels/Activations.h"
#include "kernels/GemmBf16CPU.h"
#include "kernels/GemmBlocksCPU.h"
#include "kernels/GemmFp32CPU.h"
#include "kernels/GemmScratchCPU.h"
#include "kernels/GemmTilesCPU.h"

namespace advect::neural::blocked_mlp {

namespace {

using blocked_gemm::kLanes;
using blocked_gemm::kPanelRows;
using blocked_gemm::kTileColumns;
using blocked_gemm::panels;
using blocked_gemm::scratch;
using blocked_gemm::Vec;

// Points per block: a block's activations for one layer (128 x 128 floats, 64 KiB) and the next
// stay in the L2 cache, one panel of packed weights (32 x 128, 16 KiB) in the L1.
constexpr int kBlock = 128;
// The weight gradients' sums over the points are split into this many parts, of at least
// kPartPoints points each (a split fixed by the batch alone, so that the rounding does not depend
// on the thread count), each part summed block by block into its own partial, the partials then
// added in part order. Parts of 256 points give the distance-transform method's 512-point steps
// two, one per core.
constexpr int kPartPoints = 256, kMaxParts = 16;

// Scratch tags: the packed weights and the partial gradients are the calling thread's, read or
// written by all; the rest are each thread's own.
struct Offsets;
struct PackedWeights;
struct PackedTransposed;
struct Partials;
struct Delta;
struct DeltaNext;
struct PackedDelta;
struct OperandB;

// The activations and their derivatives on 16 lanes: ReLU and the identity as vector operations,
// the others lane by lane.
template <class F>
Vec each_lane(Vec v, const F& f) {
  float values[kLanes];
  std::memcpy(values, &v, sizeof values);
  for (float& x : values) x = f(x);
  std::memcpy(&v, values, sizeof values);
  return v;
}
template <Activation A>
Vec activate_lanes(Vec z) {
  if constexpr (A == Activation::relu) return z > 0.0f ? z : Vec{};
  if constexpr (A == Activation::none) return z;
  return each_lane(z, [](float x) { return activate(x, A); });
}
template <Activation A>
Vec derivative_lanes(Vec a) {
  if constexpr (A == Activation::relu) return a > 0.0f ? Vec{} + 1.0f : Vec{};
  if constexpr (A == Activation::none) return Vec{} + 1.0f;
  return each_lane(a, [](float x) { return derivative_from_output(x, A); });
}

// A tile's rows [0, rows) of `Columns` columns at c = f(sums, column, row): a whole panel's rows
// 16 at a time (f of a vector of sums and the first row), a partial panel's one at a time (f of a
// float and its row).
template <int Columns, class F>
void write_elements(const Vec (&acc)[Columns][2], int rows, float* c, std::int64_t ldc,
                    const F& f) {
  for (int j = 0; j < Columns; ++j) {
    float* column = c + j * ldc;
    if (rows == kPanelRows) {
      for (int h = 0; h < 2; ++h)
        blocked_gemm::store(column + h * kLanes, f(acc[j][h], j, h * kLanes));
    } else {
      float values[kPanelRows];
      std::memcpy(values, acc[j], sizeof values);
      for (int r = 0; r < rows; ++r) column[r] = f(values[r], j, r);
    }
  }
}

// Writes a tile of z = activation(W a + b) into c.
template <Activation A>
struct ActivatedWrite {
  const float* bias;
  float* c;
  std::int64_t ldc;
  template <int Columns>
  void operator()(const Vec (&acc)[Columns][2], int rows, int row0, int column0) const {
    const float* b = bias + row0;
    write_elements(acc, rows, c + column0 * ldc + row0, ldc, [&](auto sum, int, int r) {
      if constexpr (std::is_same_v<decltype(sum), Vec>) {
        return activate_lanes<A>(sum + blocked_gemm::load(b + r));
      } else {
        return activate(sum + b[r], A);
      }
    });
  }
};

// Writes a tile of the delta below a layer, W^T delta times the activation's derivative at the
// layer's input a (same layout as c).
template <Activation A>
struct DerivativeWrite {
  const float* a;
  float* c;
  std::int64_t ldc;
  template <int Columns>
  void operator()(const Vec (&acc)[Columns][2], int rows, int row0, int column0) const {
    const float* input = a + column0 * ldc + row0;
    write_elements(acc, rows, c + column0 * ldc + row0, ldc, [&](auto sum, int j, int r) {
      if constexpr (std::is_same_v<decltype(sum), Vec>) {
        return sum * derivative_lanes<A>(blocked_gemm::load(input + j * ldc + r));
      } else {
        return sum * derivative_from_output(input[j * ldc + r], A);
      }
    });
  }
};

// Writes a tile of C = acc + beta * C (beta 0: C not read).
struct SumWrite {
  float beta;
  float* c;
  std::int64_t ldc;
  template <int Columns>
  void operator()(const Vec (&acc)[Columns][2], int rows, int row0, int column0) const {
    blocked_gemm::write_tile(acc, rows, 1.0f, beta, c + column0 * ldc + row0, ldc);
  }
};

// Every layer's W (transposed: W^T) packed into panels, one after another, by the calling thread;
// offsets[l] is where layer l's begin.
template <class Words, class Tag>
const typename Words::Word* pack_weights(const std::vector<MlpLayer>& layers,
                                         const float* parameters, bool transposed,
                                         std::size_t*& offsets) {
  offsets = scratch<Offsets, std::size_t>(layers.size());
  std::size_t total = 0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const int rows = transposed ? layers[l].in : layers[l].out,
              sum = transposed ? layers[l].out : layers[l].in;
    offsets[l] = total;
    total += std::size_t(panels(rows)) * kPanelRows * std::size_t(Words::words(sum));
  }
  auto* packed = scratch<Tag, typename Words::Word>(total);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const MlpLayer& layer = layers[l];
    Words::pack_a(transposed, transposed ? layer.in : layer.out, 0,
                  transposed ? layer.out : layer.in, parameters + layer.weight_offset, layer.out,
                  packed + offsets[l]);
  }
  return packed;
}

// C (m x n) = op(A) B, B k x n at b (column-major), op(A) packed; write as panel_by_panel's.
template <class Words, class Write, class BeforeTile>
void wide_product(int m, int k, int n, const typename Words::Word* packed, const float* b,
                  typename Words::Word* b_scratch, const Write& write,
                  const BeforeTile& before_tile) {
  std::ptrdiff_t step_k = 0, step_j = 0;
  const auto* operand = Words::columns_of_b(b, k, k, n, b_scratch, step_k, step_j);
  blocked_gemm::panel_by_panel<Words>(m, n, Words::words(k), packed, operand, step_k, step_j, write,
                                      before_tile);
}

// Before each tile, a few cache lines of the array the next step reads or writes (into the L2
// cache): the backward pass reads each layer's activations of a block once, from memory, where
// the forward pass wrote them (and a write first reads its lines too); spread over the tiles of
// the step before, those transfers overlap its arithmetic.
template <bool ForWriting>
struct LinePrefetch {
  static constexpr int kLinesPerTile = 16;
  mutable const char* next;
  const char* end;
  void operator()() const {
    for (int i = 0; i < kLinesPerTile && next < end; ++i, next += 64) {
      __builtin_prefetch(next, ForWriting ? 1 : 0, 2);
    }
  }
};

// The lines of a layer's activations for the block of `columns` points from `first` on (none when
// columns <= 0: past the batch's or the part's end).
template <bool ForWriting>
LinePrefetch<ForWriting> block_lines(const Buffer<float>& activations, int width,
                                     std::int64_t first, std::int64_t columns) {
  if (columns <= 0) return {nullptr, nullptr};
  const char* begin = reinterpret_cast<const char*>(activations.data() + first * width);
  return {begin, begin + columns * width * std::int64_t(sizeof(float))};
}

int widest(const std::vector<MlpLayer>& layers) {
  int width = 0;
  for (const MlpLayer& layer : layers) width = std::max({width, layer.in, layer.out});
  return width;
}

template <class Words>
void forward_in(const std::vector<MlpLayer>& layers, const float* parameters, const float* input,
                std::int64_t batch, std::vector<Buffer<float>>& activations) {
  using Word = typename Words::Word;
  std::size_t* offsets = nullptr;
  const Word* packed = pack_weights<Words, PackedWeights>(layers, parameters, false, offsets);
  const int width = widest(layers);
  const std::int64_t blocks = (batch + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (blocks > 1) num_threads(cpu_thread_count())
  for (std::int64_t block = 0; block < blocks; ++block) {
    const std::int64_t first = block * kBlock;
    const int count = int(std::min<std::int64_t>(kBlock, batch - first));
    Word* b_scratch = scratch<OperandB, Word>(std::size_t(width) * kBlock);
    const float* a = input + first * layers[0].in;
    for (std::size_t l = 0; l < layers.size(); ++l) {
      const MlpLayer& layer = layers[l];
      float* z = activations[l].data() + first * layer.out;
      // The next layer's outputs, or the next block's first.
      const bool top = l + 1 == layers.size();
      const auto prefetch =
          top ? block_lines<true>(activations[0], layers[0].out, first + kBlock,
                                  std::min<std::int64_t>(kBlock, batch - first - kBlock))
              : block_lines<true>(activations[l + 1], layers[l + 1].out, first, count);
      with_activation(layer.activation, [&](auto activation) {
        wide_product<Words>(layer.out, layer.in, count, packed + offsets[l], a, b_scratch,
                            ActivatedWrite<decltype(activation)::value>{
                                parameters + layer.bias_offset, z, layer.out},
                            prefetch);
      });
      a = z;
    }
  }
}

// sums (+)= the row sums of x (rows x columns), each row's in column order: 16 rows at a time in
// a register, the rest one by one.
void add_row_sums(const float* x, int rows, int columns, bool first, float* sums) {
  int i = 0;
  for (; i + kLanes <= rows; i += kLanes) {
    Vec sum = first ? Vec{} : blocked_gemm::load(sums + i);
    for (int j = 0; j < columns; ++j) sum += blocked_gemm::load(x + std::int64_t(j) * rows + i);
    blocked_gemm::store(sums + i, sum);
  }
  for (; i < rows; ++i) {
    float sum = first ? 0.0f : sums[i];
    for (int j = 0; j < columns; ++j) sum += x[std::int64_t(j) * rows + i];
    sums[i] = sum;
  }
}

template <class Words>
void backward_in(const std::vector<MlpLayer>& layers, const float* parameters, const float* input,
                 const std::vector<Buffer<float>>& activations, const float* d_output,
                 std::int64_t batch, float* gradients, float gradient_beta, float* d_input) {
  using Word = typename Words::Word;
  std::size_t* offsets = nullptr;
  const Word* packed = pack_weights<Words, PackedTransposed>(layers, parameters, true, offsets);
  const int width = widest(layers);
  const std::int64_t count = layers.back().bias_offset + layers.back().out;
  const int parts = int(std::clamp<std::int64_t>(batch / kPartPoints, 1, kMaxParts));
  float* partials = scratch<Partials, float>(std::size_t(count) * std::size_t(parts));
#pragma omp parallel for schedule(static) if (parts > 1) num_threads(cpu_thread_count())
  for (int part = 0; part < parts; ++part) {
    const std::int64_t begin = batch * part / parts, end = batch * (part + 1) / parts;
    float* partial = partials + std::size_t(count) * std::size_t(part);
    float* delta = scratch<Delta, float>(std::size_t(width) * kBlock);
    float* next = scratch<DeltaNext, float>(std::size_t(width) * kBlock);
    Word* packed_delta =
        scratch<PackedDelta, Word>(std::size_t(panels(width)) * kPanelRows * kBlock);
    Word* b_scratch = scratch<OperandB, Word>(std::size_t(width) * kBlock);
    for (std::int64_t k0 = begin; k0 < end; k0 += kBlock) {
      const int columns = int(std::min<std::int64_t>(kBlock, end - k0));
      const float beta = k0 == begin ? 0.0f : 1.0f;
      const MlpLayer& last = layers.back();
      const std::int64_t outputs = std::int64_t(last.out) * columns;
      const float* d_out = d_output + k0 * last.out;
      const float* out = activations.back().data() + k0 * last.out;
      with_activation(last.activation, [&](auto activation) {
        for (std::int64_t i = 0; i < outputs; ++i)
          delta[i] = d_out[i] * derivative_from_output(out[i], activation);
      });
      for (std::size_t l = layers.size(); l-- > 0;) {
        const MlpLayer& layer = layers[l];
        const float* a = (l == 0 ? input : activations[l - 1].data()) + k0 * layer.in;
        // What the next step reads: the activations below the layer below, or those below the
        // next block's top layer (none for a single layer).
        const std::int64_t next_k0 = l >= 2 ? k0 : k0 + kBlock;
        const std::size_t below = l >= 2 ? l - 2 : layers.size() - 2;
        const auto prefetch =
            layers.size() < 2 ? LinePrefetch<false>{nullptr, nullptr}
                              : block_lines<false>(activations[below], layers[below].out, next_k0,
                                                   std::min<std::int64_t>(kBlock, end - next_k0));
        // dW += delta a^T: delta packed as op(A), a's rows (this chunk's points) as op(B).
        Words::pack_a(false, layer.out, 0, columns, delta, layer.out, packed_delta);
        std::ptrdiff_t step_k = 0, step_j = 0;
        const Word* rows = Words::rows_of_b_transposed(a, layer.in, 0, columns, layer.in, b_scratch,
                                                       step_k, step_j);
        blocked_gemm::panel_by_panel<Words>(
            layer.out, layer.in, Words::words(columns), packed_delta, rows, step_k, step_j,
            SumWrite{beta, partial + layer.weight_offset, layer.out}, prefetch);
        add_row_sums(delta, layer.out, columns, k0 == begin, partial + layer.bias_offset);
        if (l == 0) {
          if (d_input) {
            wide_product<Words>(layer.in, layer.out, columns, packed + offsets[l], delta, b_scratch,
                                SumWrite{0.0f, d_input + k0 * layer.in, layer.in}, prefetch);
          }
          break;
        }
        with_activation(layers[l - 1].activation, [&](auto activation) {
          wide_product<Words>(layer.in, layer.out, columns, packed + offsets[l], delta, b_scratch,
                              DerivativeWrite<decltype(activation)::value>{a, next, layer.in},
                              prefetch);
        });
        std::swap(delta, next);
      }
    }
  }
  // The parts' sums, added in part order.
#pragma omp parallel for schedule(static) if (count >= (1 << 14)) num_threads(cpu_thread_count())
  for (std::int64_t i = 0; i < count; ++i) {
    float sum = partials[i];
    for (int part = 1; part < parts; ++part) sum += partials[std::size_t(count) * part + i];
    gradients[i] = sum + (gradient_beta != 0.0f ? gradient_beta * gradients[i] : 0.0f);
  }
}

}  // namespace

bool handles(std::int64_t batch) {
  return batch >= 2 * kPartPoints;
}

void forward(const std::vector<MlpLayer>& layers, const float* parameters, const float* input,
             std::int64_t batch, std::vector<Buffer<float>>& activations,
             MatmulPrecision precision) {
  if (precision == MatmulPrecision::fp32) {
    forward_in<blocked_gemm::Fp32Words>(layers, parameters, input, batch, activations);
    return;
  }
#if defined(__AVX512BF16__)
  forward_in<blocked_gemm::Bf16Words>(layers, parameters, input, batch, activations);
#else
  throw std::invalid_argument("bf16 MLP products need a CPU with AVX512-BF16 (and a build for it)");
#endif
}

void backward(const std::vector<MlpLayer>& layers, const float* parameters, const float* input,
              const std::vector<Buffer<float>>& activations, const float* d_output,
              std::int64_t batch, float* gradients, float gradient_beta, float* d_input,
              MatmulPrecision precision) {
  if (precision == MatmulPrecision::fp32) {
    backward_in<blocked_gemm::Fp32Words>(layers, parameters, input, activations, d_output, batch,
                                         gradients, gradient_beta, d_input);
    return;
  }
#if defined(__AVX512BF16__)
  backward_in<blocked_gemm::Bf16Words>(layers, parameters, input, activations, d_output, batch,
                                       gradients, gradient_beta, d_input);
#else
  throw std::invalid_argument("bf16 MLP products need a CPU with AVX512-BF16 (and a build for it)");
#endif
}

}  // namespace advect::neural::blocked_mlp
