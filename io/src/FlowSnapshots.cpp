#include "advect/io/FlowSnapshots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "advect/fluids/Cavity.h"
#include "advect/fluids/Streamlines.h"
#include "advect/io/AtomicWrite.h"

#include "advect/io/FieldPlot.h"

namespace advect::io {

namespace fs = std::filesystem;

TimeStepFile write_flow_snapshot(const fluids::MacFlow& flow, const fs::path& dir, int index) {
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
  GridGeometry grid;
  grid.dims = {g.nx, g.ny, 1};
  grid.origin = {0.5 * g.h, 0.5 * g.h, 0.0};
  grid.spacing = {g.h, g.h, 1.0};
  const std::string name = fmt::format("fields_{:04d}.vti", index);
  write_vti(dir / name, grid,
            {{"velocity", 3, fluids::cell_velocity_3d(flow)},
             {"pressure", 1, pressure},
             {"vorticity", 1, flow.vorticity()},
             {"divergence", 1, flow.divergence()}});
  return {flow.time(), name};
}

void plot_flow(const fluids::MacFlow& flow, const fs::path& dir, const std::string& title,
               double streamline_seconds) {
  const fluids::MacGeometry& g = flow.geometry();
  const std::vector<double> cells = flow.cell_velocity();
  CellImage speed{g.nx, g.ny, g.h, {}, 0.0, 1.0, "|u| / (m/s)"};
  for (std::size_t k = 0; k < cells.size(); k += 2) {
    speed.values.push_back(std::hypot(cells[k], cells[k + 1]));
  }
  speed.high = *std::max_element(speed.values.begin(), speed.values.end());
  plot_cells(dir / "speed.png", speed, fluids::streamlines(flow, streamline_seconds),
             fmt::format("{}, t = {:.2f} s: speed and streamlines", title, flow.time()));
  CellImage vorticity{g.nx, g.ny, g.h, flow.vorticity(), 0.0, 0.0, "vorticity / (1/s)", cool_warm};
  std::vector<double> magnitude;
  for (const double w : vorticity.values) magnitude.push_back(std::abs(w));
  const auto p99 = magnitude.begin() + std::ptrdiff_t(0.99 * double(magnitude.size() - 1));
  std::nth_element(magnitude.begin(), p99, magnitude.end());
  vorticity.low = -*p99;
  vorticity.high = *p99;
  plot_cells(dir / "vorticity.png", vorticity, {},
             fmt::format("{}, t = {:.2f} s: vorticity", title, flow.time()));
}

void write_centre_lines(const std::filesystem::path& dir, const fluids::MacFlow& flow) {
  const fluids::MacGeometry& g = flow.geometry();
  const fluids::CentreLines lines = fluids::centre_lines(flow);
  std::string u_csv = "y,u\n0,0\n", v_csv = "x,v\n0,0\n";
  for (int j = 0; j < g.ny; ++j)
    u_csv += fmt::format("{},{}\n", (j + 0.5) * g.h, lines.u[std::size_t(j)]);
  for (int i = 0; i < g.nx; ++i)
    v_csv += fmt::format("{},{}\n", (i + 0.5) * g.h, lines.v[std::size_t(i)]);
  u_csv += fmt::format("{},{}\n", g.ny * g.h, g.top);  // the lid
  v_csv += fmt::format("{},0\n", g.nx * g.h);
  write_file_bytes(dir / "centerline_u.csv", u_csv);
  write_file_bytes(dir / "centerline_v.csv", v_csv);
}

void write_force_history(const std::filesystem::path& path,
                         const std::vector<fluids::DfgCoefficients>& history) {
  std::string csv = "time,cd,cl,delta_p\n";
  for (const fluids::DfgCoefficients& c : history) {
    csv += fmt::format("{},{},{},{}\n", c.time, c.drag, c.lift, c.delta_p);
  }
  write_file_bytes(path, csv);
}

}  // namespace advect::io
