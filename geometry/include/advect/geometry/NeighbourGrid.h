// Exact k-nearest neighbours between point clouds, on either device, through a uniform grid over
// the reference cloud (built once, queried many times).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"

namespace advect::geometry {

inline constexpr int kMaxNeighbours = 32;

// The device-side view of a NeighbourGrid: reference points sorted by cell, with each cell's
// range. Copied by value into kernels.
struct GridView {
  const float* points = nullptr;             // n x 3, sorted by cell
  const std::int32_t* original = nullptr;    // original index of each sorted point
  const std::int32_t* cell_start = nullptr;  // cells + 1 offsets into points
  float origin[3] = {0, 0, 0};               // metres
  float cell = 1.0f;                         // cell edge, metres
  int dims[3] = {1, 1, 1};
  std::int64_t size = 0;
};

// A uniform grid over a reference cloud (n x 3 float32, metres) on one device. The cell edge
// starts at one cell per point of bounding-box volume and is halved while cells are crowded (as
// near a lidar), with at most 16 cells per point, so memory stays linear in n.
class NeighbourGrid {
 public:
  NeighbourGrid(const float* reference, std::int64_t n, const Device& device);
  // The grid of a cloud on the host (n x 3), built on `device` (the grid keeps its own copy).
  static NeighbourGrid from_host(std::span<const float> reference, const Device& device);
  // The grid of another cloud on the same device, in this grid's memory where it is large enough
  // (an optimiser rebuilds the moving cloud's grid every step: no allocation once warm).
  void rebuild(const float* reference, std::int64_t n);

  // For each of the n query points (n x 3, on the grid's device): the indices (into the reference
  // cloud) and squared distances of its k nearest reference points, nearest first, k <= 32 and
  // k <= reference size. Outputs are n x k, row-major, on the grid's device. With max_distance
  // (metres), only neighbours that near are searched for; missing ones get index -1 and squared
  // distance +infinity, and a query far from every point costs next to nothing.
  void query(const float* points, std::int64_t n, int k, std::int32_t* indices,
             float* squared_distances,
             float max_distance = std::numeric_limits<float>::infinity()) const;

  // The same search for points on the host (n x 3), answered on the host: the points are copied
  // to the grid's device and the answers back.
  struct HostAnswer {
    std::vector<std::int32_t> indices;     // n x k, -1 where missing
    std::vector<float> squared_distances;  // n x k, +infinity where missing
  };
  HostAnswer query_host(std::span<const float> points, int k,
                        float max_distance = std::numeric_limits<float>::infinity()) const;

  std::int64_t size() const { return view_.size; }
  const Device& device() const { return sorted_.device(); }
  const GridView& view() const { return view_; }

 private:
  Buffer<float> sorted_;
  Buffer<std::int32_t> original_, keys_, cell_start_;
  GridView view_;
};

}  // namespace advect::geometry
