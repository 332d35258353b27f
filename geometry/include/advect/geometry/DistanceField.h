// An exact Euclidean distance transform of a point cloud's voxelisation, read back with trilinear
// interpolation and its gradient: a smooth "how far is the nearest target point" for losses.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"

namespace advect::geometry {

struct DistanceFieldOptions {
  float cell = 0.1f;     // voxel edge, metres (grown if the box would exceed max_cells)
  float padding = 1.0f;  // margin around the box, metres
  std::int64_t max_cells = std::int64_t(1) << 24;
  // Box to cover ({min x, min y, min z, max x, max y, max z}, metres); default: the target's.
  std::optional<std::array<float, 6>> bounds;
};

// Device-side view: squared distances in units of cells^2 (exact integers) at cell centres.
struct DistanceGridView {
  const float* squared = nullptr;  // dims[0]*dims[1]*dims[2], x fastest
  float origin[3] = {0, 0, 0};     // corner of cell (0, 0, 0), metres
  float cell = 1.0f;
  int dims[3] = {1, 1, 1};
};

// The voxels holding at least one target point are the sites; every voxel stores the exact
// squared distance from its centre to the nearest site's centre (Felzenszwalb and Huttenlocher,
// "Distance Transforms of Sampled Functions", Theory of Computing 8, 2012: three separable 1-D
// passes). Lookups interpolate the distance (metres) trilinearly between centres; a point outside
// the grid reads the value at the nearest grid point plus its distance to the grid, so escaping
// points keep a cost and a gradient pointing back.
class DistanceField {
 public:
  DistanceField(const float* target, std::int64_t n, const Device& device,
                const DistanceFieldOptions& options = {});

  // distance[i] (metres) at points (n x 3, on the field's device); with `gradient`, d distance/dp.
  void evaluate(const float* points, std::int64_t n, float* distance,
                float* gradient = nullptr) const;

  const DistanceGridView& view() const { return view_; }
  const Buffer<float>& squared_cell_distances() const { return squared_; }
  const Device& device() const { return squared_.device(); }

 private:
  Buffer<float> squared_;
  DistanceGridView view_;
};

}  // namespace advect::geometry
