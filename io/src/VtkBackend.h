// What the VTK plugin (plugins/VtkPlugin.cpp, loaded on first use: Plugins.h) does for io/: build
// VTK data sets from plain arrays and write them as XML (appended, zlib). Sizes are checked by
// the callers in VtkFiles.cpp, which also make the writes atomic.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "advect/io/VtkFiles.h"

namespace advect::io::detail {

struct VtkBackend {
  // Points (N x 3) as vertex cells when `line_starts` is empty, else as polylines: line l through
  // points line_starts[l] .. line_starts[l + 1] - 1, with an Int64 cell array "trajectory" = l.
  // `cell_arrays` have one tuple per line. False if VTK's writer fails.
  bool (*write_polydata)(const std::string& file, std::span<const double> points,
                         std::span<const std::size_t> line_starts,
                         const std::vector<PointArray>& point_arrays,
                         const std::vector<PointArray>& cell_arrays);
  bool (*write_image)(const std::string& file, const GridGeometry& grid,
                      const std::vector<PointArray>& arrays);
};

const VtkBackend& vtk_backend();

}  // namespace advect::io::detail
