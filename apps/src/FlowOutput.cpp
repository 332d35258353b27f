#include "FlowOutput.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "advect/engine/OdeSolver.h"
#include "advect/fluids/GridVelocityField.h"

#include "advect/io/FieldPlot.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// The cell-centred velocity as x y z triples (z = 0).
std::vector<double> cell_velocity_3d(const fluids::MacFlow& flow) {
  const std::vector<double> cells = flow.cell_velocity();
  std::vector<double> velocity;
  velocity.reserve(cells.size() / 2 * 3);
  for (std::size_t k = 0; k < cells.size(); k += 2) {
    velocity.insert(velocity.end(), {cells[k], cells[k + 1], 0.0});
  }
  return velocity;
}

// Streamlines of the cell-centred velocity from a grid of seeds about 12 across the shorter side,
// integrated for `span` seconds with RK4 through the shared integrator.
std::vector<std::vector<double>> streamlines(const fluids::MacFlow& flow, double span) {
  const fluids::MacGeometry& g = flow.geometry();
  const fluids::GridVelocityField field({g.nx, g.ny, 1}, {0.5 * g.h, 0.5 * g.h, 0.0},
                                        {g.h, g.h, 1.0}, cell_velocity_3d(flow), Device::cpu());
  const double spacing = std::min(g.nx, g.ny) * g.h / 12.0;
  const int seeds_x = std::max(1, int(g.nx * g.h / spacing));
  const int seeds_y = std::max(1, int(g.ny * g.h / spacing));
  constexpr int kOutputs = 200;
  std::vector<double> seeds;
  for (int j = 0; j < seeds_y; ++j) {
    for (int i = 0; i < seeds_x; ++i) {
      seeds.insert(seeds.end(),
                   {(i + 0.5) / seeds_x * g.nx * g.h, (j + 0.5) / seeds_y * g.ny * g.h, 0.0});
    }
  }
  std::vector<double> times;
  for (int k = 0; k <= kOutputs; ++k) times.push_back(span * k / kOutputs);
  OdeOptions options;
  options.method = OdeMethod::rk4;
  options.step = span / kOutputs;
  const OdeResult result =
      integrate(field, Buffer<double>::from_host(seeds, Device::cpu()), times, options);
  const std::vector<double> states = result.states.to_host();
  const std::size_t n = seeds.size() / 3;
  std::vector<std::vector<double>> lines(n);
  for (std::size_t k = 0; k < result.times_reached; ++k) {
    for (std::size_t p = 0; p < n; ++p) {
      lines[p].push_back(states[3 * (k * n + p)]);
      lines[p].push_back(states[3 * (k * n + p) + 1]);
    }
  }
  return lines;
}

}  // namespace

io::TimeStepFile write_flow_snapshot(const fluids::MacFlow& flow, const fs::path& dir, int index) {
  const fluids::MacGeometry& g = flow.geometry();
  std::vector<double> pressure = flow.pressure();
  for (const fluids::Circle& body : flow.bodies()) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        const double r = std::hypot((i + 0.5) * g.h - body.x, (j + 0.5) * g.h - body.y);
        if ((r < body.radius) != body.fluid_inside) {
          pressure[std::size_t(j) * std::size_t(g.nx) + std::size_t(i)] =
              std::numeric_limits<double>::quiet_NaN();
        }
      }
    }
  }
  io::GridGeometry grid;
  grid.dims = {g.nx, g.ny, 1};
  grid.origin = {0.5 * g.h, 0.5 * g.h, 0.0};
  grid.spacing = {g.h, g.h, 1.0};
  const std::string name = fmt::format("fields_{:04d}.vti", index);
  io::write_vti(dir / name, grid,
                {{"velocity", 3, cell_velocity_3d(flow)},
                 {"pressure", 1, pressure},
                 {"vorticity", 1, flow.vorticity()},
                 {"divergence", 1, flow.divergence()}});
  return {flow.time(), name};
}

void plot_flow(const fluids::MacFlow& flow, const fs::path& dir, const std::string& title,
               double streamline_seconds) {
  const fluids::MacGeometry& g = flow.geometry();
  const std::vector<double> cells = flow.cell_velocity();
  io::CellImage speed{g.nx, g.ny, g.h, {}, 0.0, 1.0, "|u| / (m/s)"};
  for (std::size_t k = 0; k < cells.size(); k += 2) {
    speed.values.push_back(std::hypot(cells[k], cells[k + 1]));
  }
  speed.high = *std::max_element(speed.values.begin(), speed.values.end());
  io::plot_cells(dir / "speed.png", speed, streamlines(flow, streamline_seconds),
                 fmt::format("{}, t = {:.2f} s: speed and streamlines", title, flow.time()));
  io::CellImage vorticity{g.nx,         g.ny, g.h, flow.vorticity(), 0.0, 0.0, "vorticity / (1/s)",
                          io::cool_warm};
  std::vector<double> magnitude;
  for (const double w : vorticity.values) magnitude.push_back(std::abs(w));
  const auto p99 = magnitude.begin() + std::ptrdiff_t(0.99 * double(magnitude.size() - 1));
  std::nth_element(magnitude.begin(), p99, magnitude.end());
  vorticity.low = -*p99;
  vorticity.high = *p99;
  io::plot_cells(dir / "vorticity.png", vorticity, {},
                 fmt::format("{}, t = {:.2f} s: vorticity", title, flow.time()));
}

}  // namespace advect::app
