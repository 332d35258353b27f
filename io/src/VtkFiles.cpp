// The VTK files' checks and atomic writes; VTK itself is called by the plugin (VtkBackend.h).
#include "advect/io/VtkFiles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "VtkBackend.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {

namespace fs = std::filesystem;

namespace {

void check_arrays(const std::vector<PointArray>& arrays, std::size_t n, const fs::path& path) {
  for (const PointArray& a : arrays) {
    if (a.components <= 0 || a.values.size() != n * std::size_t(a.components)) {
      throw IoError(path, fmt::format("array '{}' has {} values, expected {} x {}", a.name,
                                      a.values.size(), n, a.components));
    }
  }
}

template <class Write>
void write_vtk(const fs::path& path, Write write) {
  const detail::VtkBackend& vtk = detail::vtk_backend();
  write_atomically(path, [&](const fs::path& temporary) {
    if (!write(vtk, temporary.string())) throw IoError(path, "VTK writer failed (disk full?)");
  });
}

}  // namespace

void write_vtp_points(const fs::path& path, std::span<const double> positions,
                      const std::vector<PointArray>& arrays) {
  if (positions.size() % 3 != 0) throw IoError(path, "positions are not N x 3");
  check_arrays(arrays, positions.size() / 3, path);
  write_vtk(path, [&](const detail::VtkBackend& vtk, const std::string& file) {
    return vtk.write_polydata(file, positions, {}, arrays, {});
  });
}

void write_vtp_polylines(const fs::path& path, const Polylines& lines,
                         const std::vector<PointArray>& line_arrays) {
  const std::size_t vertices = lines.vertices.size() / 3;
  if (lines.vertices.size() % 3 != 0 || lines.time.size() != vertices || lines.starts.empty() ||
      lines.starts.front() != 0 || lines.starts.back() != vertices ||
      !std::is_sorted(lines.starts.begin(), lines.starts.end())) {
    throw IoError(path, "polylines: vertices, times and line starts do not fit together");
  }
  const std::size_t count = lines.starts.size() - 1;
  // Speed at each vertex from central differences along its line (one-sided at the ends).
  std::vector<double> speed(vertices, 0.0);
  for (std::size_t line = 0; line < count; ++line) {
    const std::size_t first = lines.starts[line], last = lines.starts[line + 1];
    for (std::size_t v = first; v < last; ++v) {
      const std::size_t a = v == first ? v : v - 1, b = v + 1 == last ? v : v + 1;
      if (a == b) continue;
      double squared = 0.0;
      for (std::size_t d = 0; d < 3; ++d) {
        squared += std::pow(lines.vertices[3 * b + d] - lines.vertices[3 * a + d], 2);
      }
      speed[v] = std::sqrt(squared) / std::fabs(lines.time[b] - lines.time[a]);
    }
  }
  const std::vector<PointArray> point_arrays{{"time", 1, lines.time}, {"speed", 1, speed}};
  check_arrays(line_arrays, count, path);
  write_vtk(path, [&](const detail::VtkBackend& vtk, const std::string& file) {
    return vtk.write_polydata(file, lines.vertices, lines.starts, point_arrays, line_arrays);
  });
}

void write_vtp_trajectories(const fs::path& path, std::span<const double> states,
                            std::span<const double> times) {
  const std::size_t t_count = times.size();
  if (t_count == 0 || states.size() % (3 * t_count) != 0) {
    throw IoError(path, "trajectory states are not T x N x 3 for the given times");
  }
  const std::size_t n = states.size() / (3 * t_count);
  // Reorder to point-major so that each polyline's vertices are contiguous.
  Polylines lines;
  lines.vertices.resize(states.size());
  lines.time.resize(n * t_count);
  for (std::size_t i = 0; i < n; ++i) {
    lines.starts.push_back(i * t_count);
    for (std::size_t k = 0; k < t_count; ++k) {
      const std::size_t vertex = i * t_count + k;
      for (std::size_t d = 0; d < 3; ++d) {
        lines.vertices[3 * vertex + d] = states[(k * n + i) * 3 + d];
      }
      lines.time[vertex] = times[k];
    }
  }
  lines.starts.push_back(n * t_count);
  write_vtp_polylines(path, lines);
}

void write_vti(const fs::path& path, const GridGeometry& grid,
               const std::vector<PointArray>& arrays) {
  for (int d = 0; d < 3; ++d) {
    if (grid.dims[std::size_t(d)] < 1) throw IoError(path, "grid dimensions must be >= 1");
  }
  check_arrays(arrays,
               std::size_t(grid.dims[0]) * std::size_t(grid.dims[1]) * std::size_t(grid.dims[2]),
               path);
  write_vtk(path, [&](const detail::VtkBackend& vtk, const std::string& file) {
    return vtk.write_image(file, grid, arrays);
  });
}

void write_pvd(const fs::path& path, const std::vector<TimeStepFile>& steps) {
  const fs::path base = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string xml =
      "<?xml version=\"1.0\"?>\n"
      "<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n  <Collection>\n";
  for (const TimeStepFile& step : steps) {
    xml += fmt::format(
        "    <DataSet timestep=\"{:.17g}\" group=\"\" part=\"0\" file=\"{}\"/>\n", step.time,
        step.file.is_absolute() ? step.file.lexically_relative(base).string() : step.file.string());
  }
  xml += "  </Collection>\n</VTKFile>\n";
  write_file_bytes(path, xml);
}

}  // namespace advect::io
