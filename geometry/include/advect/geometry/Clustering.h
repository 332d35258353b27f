// Density-based clustering of a point cloud (DBSCAN, Ester et al. 1996) on the exact neighbour
// search of NeighbourGrid: the search runs on either device, the linking on the host.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "advect/engine/Device.h"

namespace advect::geometry {

struct ClusterOptions {
  float radius = 0.5f;           // neighbourhood radius (DBSCAN's eps), metres
  int core_neighbours = 4;       // a core point has this many points within radius (itself too)
  std::int64_t min_points = 10;  // smaller clusters become noise
};

struct Clusters {
  std::vector<std::int32_t> labels;  // one per point: 0 .. count - 1, or -1 for noise
  std::int32_t count = 0;
};

// Core points within `radius` of each other share a cluster; a border point (not core, within
// radius of a core point) joins its nearest core point's cluster. Neighbours are searched among
// the 16 nearest points, which is exact DBSCAN wherever fewer than 16 points lie within radius
// and otherwise links the same clusters in all but contrived cases. Clusters are numbered in the
// order of their first point. points: n x 3 float32 on the host, metres; n may be 0.
Clusters cluster_points(std::span<const float> points, const ClusterOptions& options,
                        const Device& device);

}  // namespace advect::geometry
