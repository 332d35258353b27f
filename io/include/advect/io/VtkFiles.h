// VTK XML files for ParaView, written through VTK: .vtp (points with per-point arrays, and
// trajectories as polylines), .vti (2-D/3-D regular grids) and .pvd (time series). All writes are
// atomic (temporary file, then rename).
#pragma once

#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace advect::io {

// A per-point (or per-grid-node) array: N x components doubles, point-major.
struct PointArray {
  std::string name;
  int components = 1;  // 1: scalar, 3: vector
  std::vector<double> values;
};

// Points (N x 3, metres) as vertices with the given arrays.
void write_vtp_points(const std::filesystem::path& path, std::span<const double> positions,
                      const std::vector<PointArray>& arrays = {});

// Trajectories from states laid out T x N x 3 (time-major, as OdeResult::states): one polyline
// per point through its T positions, with per-vertex arrays "time" (s), "speed" (m/s, from
// finite differences) and per-line "trajectory" index.
void write_vtp_trajectories(const std::filesystem::path& path, std::span<const double> states,
                            std::span<const double> times);

// Polylines of different lengths: line l runs through vertices starts[l] .. starts[l + 1] - 1
// (vertices V x 3, metres; time per vertex, seconds). Written with per-vertex "time" and "speed"
// (m/s, finite differences along the line), per-line "trajectory" index and `line_arrays` (one
// value or vector per line, e.g. the sweep a point came from).
struct Polylines {
  std::vector<double> vertices;
  std::vector<double> time;
  std::vector<std::size_t> starts;  // lines + 1 offsets, starts.front() = 0, starts.back() = V
};
void write_vtp_polylines(const std::filesystem::path& path, const Polylines& lines,
                         const std::vector<PointArray>& line_arrays = {});
// A regular grid with dims[d] nodes along axis d (dims[2] = 1 for 2-D), node (i, j, k) at
// origin + (i, j, k) * spacing; arrays hold dims[0]*dims[1]*dims[2] nodes, x fastest.
struct GridGeometry {
  std::array<int, 3> dims{1, 1, 1};
  std::array<double, 3> origin{0, 0, 0};
  std::array<double, 3> spacing{1, 1, 1};
};
void write_vti(const std::filesystem::path& path, const GridGeometry& grid,
               const std::vector<PointArray>& arrays);

// A ParaView collection: each entry's file path is written relative to the .pvd's directory.
struct TimeStepFile {
  double time = 0.0;
  std::filesystem::path file;
};
void write_pvd(const std::filesystem::path& path, const std::vector<TimeStepFile>& steps);

}  // namespace advect::io
