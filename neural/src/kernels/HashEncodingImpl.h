// One body for HashEncodingKernels on both backends (HashEncodingCPU.cpp / HashEncodingCUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "kernels/HashEncodingKernels.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

// The primes of the paper's spatial hash (the first is 1: coherent along x).
ADVECT_HD inline std::uint32_t hash_prime(int d) {
  switch (d) {
    case 0:
      return 1u;
    case 1:
      return 2654435761u;
    case 2:
      return 805459861u;
    default:
      return 3674653429u;
  }
}

// One point's cell at one level: the lower corner and the fractions along each axis.
struct LevelCell {
  std::uint32_t corner[4];
  float fraction[4];

  ADVECT_HD LevelCell(const HashLevel& level, const float* x, int dims) {
    for (int d = 0; d < dims; ++d) {
      const float u = x[d] < 0.0f ? 0.0f : (x[d] > 1.0f ? 1.0f : x[d]);
      const float position = u * float(level.resolution[d]);
      std::uint32_t lower = std::uint32_t(position);
      if (lower >= level.resolution[d]) lower = level.resolution[d] - 1;  // u = 1: the last cell
      corner[d] = lower;
      fraction[d] = position - float(lower);
    }
  }

  // Table entry and D-linear weight of corner c (bit d of c: upper along axis d).
  ADVECT_HD std::uint32_t entry(const HashLevel& level, int dims, int c, float& weight) const {
    weight = 1.0f;
    std::uint32_t index = 0, stride = 1, hash = 0;
    for (int d = 0; d < dims; ++d) {
      const bool upper = (c >> d) & 1;
      const std::uint32_t v = corner[d] + (upper ? 1u : 0u);
      weight *= upper ? fraction[d] : 1.0f - fraction[d];
      index += v * stride;
      stride *= level.resolution[d] + 1;
      hash ^= v * hash_prime(d);
    }
    return level.hashed ? hash & (level.entries - 1) : index;  // hashed: entries = 2^k
  }

  // Calls visit(first float of the corner's entry in the parameter buffer, weight) for each of
  // the cell's 2^D corners.
  template <class Visit>
  ADVECT_HD void for_each_corner(const HashLevel& level, const HashGridView& grid,
                                 Visit&& visit) const {
    for (int c = 0; c < (1 << grid.input_dims); ++c) {
      float weight;
      const std::uint32_t index = entry(level, grid.input_dims, c, weight);
      visit(level.offset + std::int64_t(index) * grid.features, weight);
    }
  }
};

struct EncodeLevel {
  HashGridView grid;
  const float* parameters;
  const float* inputs;
  float* features;
  ADVECT_HD void operator()(std::int64_t i, int l) const {
    const HashLevel level = grid.levels[l];
    const LevelCell cell(level, inputs + i * grid.input_dims, grid.input_dims);
    float sum[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    cell.for_each_corner(level, grid, [&](std::int64_t entry, float weight) {
      for (int f = 0; f < grid.features; ++f) sum[f] += weight * parameters[entry + f];
    });
    float* out = features + i * grid.level_count * grid.features + l * grid.features;
    for (int f = 0; f < grid.features; ++f) out[f] = sum[f];
  }
};

struct EncodeLevelBackward {
  HashGridView grid;
  const float* inputs;
  const float* d_features;
  float* gradients;
  ADVECT_HD void operator()(std::int64_t i, int l) const {
    const HashLevel level = grid.levels[l];
    const float* d_out = d_features + i * grid.level_count * grid.features + l * grid.features;
    bool any = false;
    for (int f = 0; f < grid.features; ++f) any = any || d_out[f] != 0.0f;
    if (!any) return;
    const LevelCell cell(level, inputs + i * grid.input_dims, grid.input_dims);
    cell.for_each_corner(level, grid, [&](std::int64_t entry, float weight) {
      for (int f = 0; f < grid.features; ++f) {
        detail::scatter_add(gradients + entry + f, weight * d_out[f]);
      }
    });
  }
};

// dL/d input of one point: the D-linear weights differentiated along each axis (inside the unit
// cube; a clamped coordinate has none), summed over levels and features. D is a template
// argument so that the per-axis products unroll.
struct EncodeInputGradient {
  HashGridView grid;
  const float* parameters;
  const float* inputs;
  const float* d_features;
  float* d_inputs;

  template <int D>
  ADVECT_HD void point(std::int64_t i) const {
    const float* x = inputs + i * D;
    float gradient[D] = {};
    for (int l = 0; l < grid.level_count; ++l) {
      const HashLevel level = grid.levels[l];
      const float* d_out = d_features + i * grid.level_count * grid.features + l * grid.features;
      const LevelCell cell(level, x, D);
      for (int c = 0; c < (1 << D); ++c) {
        float weight, factor[D];
        const std::int64_t entry =
            level.offset + std::int64_t(cell.entry(level, D, c, weight)) * grid.features;
        float value = 0.0f;  // dL/d features . this corner's features
        for (int f = 0; f < grid.features; ++f) value += d_out[f] * parameters[entry + f];
        for (int d = 0; d < D; ++d)
          factor[d] = (c >> d) & 1 ? cell.fraction[d] : 1.0f - cell.fraction[d];
        for (int d = 0; d < D; ++d) {
          // The weight without axis d's factor, times that factor's derivative (+-N_l).
          const float cells = float(level.resolution[d]);
          float others = (c >> d) & 1 ? value * cells : -value * cells;
          for (int e = 0; e < D; ++e) others *= e == d ? 1.0f : factor[e];
          gradient[d] += others;
        }
      }
    }
    for (int d = 0; d < D; ++d) {
      const bool inside = x[d] > 0.0f && x[d] < 1.0f;
      d_inputs[i * D + d] = inside ? gradient[d] : 0.0f;
    }
  }

  ADVECT_HD void operator()(std::int64_t i) const {
    switch (grid.input_dims) {
      case 1:
        return point<1>(i);
      case 2:
        return point<2>(i);
      case 3:
        return point<3>(i);
      default:
        return point<4>(i);
    }
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void HashEncodingKernels<B>::forward(const HashGridView& grid, const float* parameters,
                                     const float* inputs, std::int64_t n, float* features) {
  detail::parallel_for_owned(grid.level_count, n, EncodeLevel{grid, parameters, inputs, features});
}

template <Backend B>
void HashEncodingKernels<B>::backward(const HashGridView& grid, const float* inputs,
                                      const float* d_features, std::int64_t n, float* gradients) {
  detail::parallel_for_owned(grid.level_count, n,
                             EncodeLevelBackward{grid, inputs, d_features, gradients});
}

template <Backend B>
void HashEncodingKernels<B>::input_gradient(const HashGridView& grid, const float* parameters,
                                            const float* inputs, const float* d_features,
                                            std::int64_t n, float* d_inputs) {
  detail::parallel_for(n, EncodeInputGradient{grid, parameters, inputs, d_features, d_inputs});
}

template struct HashEncodingKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
