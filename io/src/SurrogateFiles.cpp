#include "advect/io/SurrogateFiles.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "advect/io/AtomicWrite.h"
#include "advect/io/FieldPlot.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/VtkFiles.h"

namespace advect::io {

namespace fs = std::filesystem;

namespace {

// Rows of a CSV with the given header, each `columns` finite numbers.
std::vector<std::vector<double>> read_numeric_csv(const fs::path& path, const std::string& header,
                                                  int columns) {
  if (!fs::exists(path)) throw IoError(path, "no such file");
  std::istringstream text(read_file_bytes(path));
  std::string line;
  if (!std::getline(text, line) || line.substr(0, line.find_last_not_of("\r") + 1) != header) {
    throw IoError(path, "line 1: expected the header \"" + header + "\"");
  }
  std::vector<std::vector<double>> rows;
  for (int number = 2; std::getline(text, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<double> row;
    std::size_t start = 0;
    for (int c = 0; c < columns; ++c) {
      const std::size_t end = c + 1 < columns ? line.find(',', start) : line.size();
      double value = 0.0;
      const char* first = line.data() + start;
      const char* last = end == std::string::npos ? line.data() + line.size() : line.data() + end;
      const auto [stop, error] = std::from_chars(first, last, value);
      if (end == std::string::npos || error != std::errc() || stop != last) {
        throw IoError(path,
                      fmt::format("line {}: expected {} comma-separated numbers", number, columns));
      }
      if (!std::isfinite(value)) {
        throw IoError(path, fmt::format("line {}: NaN or infinite value", number));
      }
      row.push_back(value);
      start = end + 1;
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw IoError(path, "no rows after the header");
  return rows;
}

void check_unit_square(const fs::path& path, double x, double y, std::size_t row) {
  if (x < 0 || x > 1 || y < 0 || y > 1) {
    throw IoError(path,
                  fmt::format("line {}: position ({}, {}) outside the unit square", row + 2, x, y));
  }
}

}  // namespace

std::vector<neural::ObservedFrame> read_observations_csv(const fs::path& path) {
  const auto rows = read_numeric_csv(path, "t,x,y,value", 4);
  std::map<double, neural::ObservedFrame> frames;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    check_unit_square(path, row[1], row[2], r);
    auto& frame = frames[row[0]];
    frame.time = row[0];
    frame.points.push_back(row[1]);
    frame.points.push_back(row[2]);
    frame.values.push_back(float(row[3]));
  }
  std::vector<neural::ObservedFrame> result;
  for (auto& [time, frame] : frames) result.push_back(std::move(frame));
  return result;
}

std::vector<double> read_points_csv(const fs::path& path) {
  const auto rows = read_numeric_csv(path, "x,y", 2);
  std::vector<double> points;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    check_unit_square(path, rows[r][0], rows[r][1], r);
    points.push_back(rows[r][0]);
    points.push_back(rows[r][1]);
  }
  return points;
}

std::vector<fs::path> write_grid_prediction(const fs::path& directory,
                                            const std::vector<float>& values, int n,
                                            const std::vector<double>& times,
                                            const std::string& field) {
  OutputFolder folder(directory);
  std::vector<fs::path> written = {directory / "prediction.npy"};
  write_npy(folder / "prediction.npy",
            NpyArray::from_values<float>(values, {times.size(), std::size_t(n), std::size_t(n)}));
  GridGeometry grid;
  grid.dims = {n, n, 1};
  grid.origin = {0.5 / n, 0.5 / n, 0.0};
  grid.spacing = {1.0 / n, 1.0 / n, 1.0};
  const auto frame = std::size_t(n) * std::size_t(n);
  // One colour range for every time, symmetric (the field is signed) at the 99th percentile.
  std::vector<double> magnitude(values.size());
  std::transform(values.begin(), values.end(), magnitude.begin(),
                 [](float v) { return std::abs(double(v)); });
  const auto p99 = magnitude.begin() + std::ptrdiff_t(0.99 * double(magnitude.size() - 1));
  std::nth_element(magnitude.begin(), p99, magnitude.end());
  std::vector<TimeStepFile> steps;
  for (std::size_t k = 0; k < times.size(); ++k) {
    const std::vector<double> slice(values.begin() + std::ptrdiff_t(k * frame),
                                    values.begin() + std::ptrdiff_t((k + 1) * frame));
    const std::string name = fmt::format("prediction_{:04d}", k);
    write_vti(folder / (name + ".vti"), grid, {{field, 1, slice}});
    steps.push_back({times[k], name + ".vti"});
    written.push_back(directory / (name + ".vti"));
    CellImage image{n, n, 1.0 / n, slice, -*p99, *p99, field, cool_warm};
    plot_cells(folder / (name + ".png"), image, {},
               fmt::format("surrogate: {} at t = {:.3g} s", field, times[k]));
    written.push_back(directory / (name + ".png"));
  }
  write_pvd(folder / "prediction.pvd", steps);
  written.push_back(directory / "prediction.pvd");
  folder.commit();
  return written;
}

std::vector<fs::path> write_point_prediction(const fs::path& directory,
                                             const std::vector<float>& values,
                                             const std::vector<double>& points,
                                             const std::vector<double>& times,
                                             const std::string& field) {
  OutputFolder folder(directory);
  const std::size_t count = points.size() / 2;
  write_npy(folder / "prediction.npy", NpyArray::from_values<float>(values, {times.size(), count}));
  std::string csv = "t,x,y," + field + "\n";
  for (std::size_t k = 0; k < times.size(); ++k) {
    for (std::size_t q = 0; q < count; ++q) {
      csv += fmt::format("{},{},{},{}\n", times[k], points[2 * q], points[2 * q + 1],
                         values[k * count + q]);
    }
  }
  write_file_bytes(folder / "prediction.csv", csv);
  folder.commit();
  return {directory / "prediction.npy", directory / "prediction.csv"};
}

}  // namespace advect::io
