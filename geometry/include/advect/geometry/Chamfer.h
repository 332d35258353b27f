// Chamfer distance between a moving cloud and a fixed target, with its gradient with respect to
// the moving points, on either device.
//
//   C = mean_i g(|a_i - nn_B(a_i)|) + mean_j g(|b_j - nn_A(b_j)|)
//
// with g(d) = d^2 (squared, the scene-flow convention) or d; a nearest-neighbour term whose
// squared distance is >= truncate_squared has no gradient and counts as 0 (NSFP's published
// loss, 2 m^2) or, with clamp_truncated, as g at the truncation distance, so that pushing points
// away from everything is never rewarded.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "advect/engine/Buffer.h"
#include "advect/geometry/NeighbourGrid.h"

namespace advect::geometry {

enum class ChamferDirection { both, moving_to_target, target_to_moving };

struct ChamferOptions {
  bool squared = true;
  float truncate_squared = std::numeric_limits<float>::infinity();  // m^2
  bool clamp_truncated = false;
  ChamferDirection direction = ChamferDirection::both;
};

struct ChamferValue {
  double moving_to_target = 0.0;  // mean over moving points (0 if not computed)
  double target_to_moving = 0.0;  // mean over target points (0 if not computed)
  double total() const { return moving_to_target + target_to_moving; }
};

// Holds the target's neighbour grid and the work buffers, so that repeated evaluations (an
// optimiser's iterations) build only the moving cloud's grid and allocate nothing else. One
// object must not be evaluated from two threads at once.
class Chamfer {
 public:
  // target: n x 3 float32 (metres) on `device`; copied.
  Chamfer(const float* target, std::int64_t n, const Device& device, ChamferOptions options = {});

  // moving: n x 3 on the same device. With `gradient` (n x 3, on the device), writes dC/da.
  ChamferValue evaluate(const float* moving, std::int64_t n, float* gradient = nullptr) const;

  const ChamferOptions& options() const { return options_; }
  std::int64_t target_size() const { return target_.size() / 3; }

 private:
  // Resized only when the moving cloud's size changes.
  struct Scratch {
    Buffer<std::int32_t> nearest, first;       // per moving point (first: n + 1)
    Buffer<float> moving_distance;             // per moving point
    Buffer<std::int32_t> owner, order;         // per target point
    Buffer<float> target_distance;             // per target point
    std::optional<NeighbourGrid> moving_grid;  // rebuilt in place every evaluation
  };

  Buffer<float> target_;
  NeighbourGrid target_grid_;
  ChamferOptions options_;
  mutable Scratch scratch_;
};

}  // namespace advect::geometry
