// The MAC Navier-Stokes solver for Python: the lid-driven cavity and the DFG cylinder as objects
// to step, advance and read fields from (the same solver, cases and comparisons as `advect cfd`).
#include <pybind11/stl.h>

#include <memory>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/fluids/Cavity.h"
#include "advect/fluids/CylinderRun.h"
#include "advect/fluids/DfgCylinder.h"
#include "advect/fluids/FlowAdvance.h"
#include "advect/fluids/Ghia1982.h"
#include "advect/fluids/MacFlow.h"

namespace advect::python {

namespace {

fluids::FlowOptions flow_options(double viscosity, const std::string& precision,
                                 std::optional<double> pressure_rtol) {
  fluids::FlowOptions options;
  options.viscosity = viscosity;
  if (precision == "float") {
    options.precision = fluids::Precision::float32;
    options.pressure_rtol = fluids::kMinFloatPressureRtol;
  } else if (precision != "double") {
    throw py::value_error("precision must be 'double' or 'float', got '" + precision + "'");
  }
  if (pressure_rtol) options.pressure_rtol = *pressure_rtol;
  return options;
}

// A grid field as a (rows, columns) array.
py::array_t<double> grid(std::vector<double>&& values, int rows, int columns) {
  return to_numpy(std::move(values), {py::ssize_t(rows), py::ssize_t(columns)});
}

py::dict advance_report(const fluids::FlowAdvance& run) {
  py::dict out;
  out["steps"] = run.steps;
  out["seconds"] = run.wall_seconds;
  out["residual"] = run.residual;
  out["steady"] = run.steady;
  out["pressure_iterations"] = run.last.pressure_iterations;
  out["max_divergence"] = run.last.max_divergence;
  return out;
}

fluids::FlowAdvance advance_released(fluids::MacFlow& flow, double t_end, double steady_tol) {
  py::gil_scoped_release release;
  return fluids::advance(flow, t_end, steady_tol, {}, {},
                         [](double, double) { check_interrupt(); });
}

void bind_flow_fields(py::class_<fluids::MacFlow>& c) {
  c.def_property_readonly("time", &fluids::MacFlow::time, "Simulated time, s.")
      .def_property_readonly(
          "shape",
          [](const fluids::MacFlow& f) { return py::make_tuple(f.geometry().ny, f.geometry().nx); },
          "Cells (rows, columns).")
      .def_property_readonly(
          "h", [](const fluids::MacFlow& f) { return f.geometry().h; }, "Cell edge, m.")
      .def(
          "step",
          [](fluids::MacFlow& f, double dt) {
            fluids::StepReport report;
            {
              py::gil_scoped_release release;
              report = f.step(dt);
            }
            py::dict out;
            out["dt"] = report.dt;
            out["pressure_iterations"] = report.pressure_iterations;
            out["max_divergence"] = report.max_divergence;
            return out;
          },
          py::arg("dt") = 0.0, "One time step of dt seconds (0: the largest stable one).")
      .def(
          "advance",
          [](fluids::MacFlow& f, double t_end, double steady_tol) {
            return advance_report(advance_released(f, t_end, steady_tol));
          },
          py::arg("t_end"), py::arg("steady_tol") = 0.0,
          "Steps to t_end (s), or until max |du/dt| < steady_tol (m/s^2; 0: never). Ctrl-C "
          "stops it with KeyboardInterrupt.")
      .def_property_readonly(
          "u",
          [](const fluids::MacFlow& f) { return grid(f.u(), f.geometry().ny, f.geometry().nux); },
          "x velocity on the vertical faces, (rows, columns + 1), m/s.")
      .def_property_readonly(
          "v",
          [](const fluids::MacFlow& f) { return grid(f.v(), f.geometry().nvy, f.geometry().nx); },
          "y velocity on the horizontal faces, (rows + 1, columns), m/s.")
      .def_property_readonly(
          "pressure",
          [](const fluids::MacFlow& f) {
            return grid(f.pressure(), f.geometry().ny, f.geometry().nx);
          },
          "Kinematic pressure at cell centres, (rows, columns), m^2/s^2.")
      .def_property_readonly(
          "vorticity",
          [](const fluids::MacFlow& f) {
            return grid(f.vorticity(), f.geometry().ny, f.geometry().nx);
          },
          "dv/dx - du/dy at cell centres, (rows, columns), 1/s.")
      .def_property_readonly(
          "velocity",
          [](const fluids::MacFlow& f) {
            return to_numpy(f.cell_velocity(),
                            {py::ssize_t(f.geometry().ny), py::ssize_t(f.geometry().nx), 2});
          },
          "(u, v) at cell centres, (rows, columns, 2), m/s.");
}

}  // namespace

void bind_fluids(py::module_& m) {
  py::class_<fluids::MacFlow> flow(m, "Flow", "A 2-D incompressible flow on a MAC grid.");
  bind_flow_fields(flow);

  m.def(
      "cavity",
      [](int n, double reynolds, double lid, const std::string& precision,
         std::optional<double> pressure_rtol, const std::string& device) {
        if (n < 4) throw py::value_error("n must be at least 4 cells");
        if (!(reynolds > 0.0)) throw py::value_error("re must be positive");
        return std::make_unique<fluids::MacFlow>(
            fluids::lid_driven_cavity(n, lid),
            flow_options(lid / reynolds, precision, pressure_rtol), parse_device(device));
      },
      py::arg("n"), py::arg("re"), py::kw_only(), py::arg("lid") = 1.0,
      py::arg("precision") = "double", py::arg("pressure_rtol") = py::none(),
      py::arg("device") = "auto",
      "The lid-driven cavity on n x n cells of a unit square (lid speed `lid` m/s, Re = lid / "
      "nu).");
  m.def(
      "centre_lines",
      [](const fluids::MacFlow& f) {
        fluids::CentreLines lines = fluids::centre_lines(f);
        const auto nu = py::ssize_t(lines.u.size()), nv = py::ssize_t(lines.v.size());
        return py::make_tuple(to_numpy(std::move(lines.u), {nu}),
                              to_numpy(std::move(lines.v), {nv}));
      },
      py::arg("flow"),
      "A cavity's centre lines: (u at x = 1/2 per row, v at y = 1/2 per column), m/s.");
  m.def(
      "compare_with_ghia",
      [](const fluids::MacFlow& f, double reynolds) {
        const auto table = fluids::ghia1982::table_for(reynolds);
        if (!table) throw py::value_error("Ghia et al. (1982) tabulate Re 100, 400 and 1000 here");
        const fluids::GhiaComparison c = fluids::compare_with_ghia(f, *table);
        py::dict out;
        out["max_u_error"] = c.max_u_error;
        out["max_v_error"] = c.max_v_error;
        out["u"] = std::vector<double>(c.u.begin(), c.u.end());
        out["v"] = std::vector<double>(c.v.begin(), c.v.end());
        return out;
      },
      py::arg("flow"), py::arg("re"),
      "A cavity's centre lines at Ghia, Ghia & Shin's 15 stations and the largest differences.");
  m.def(
      "dfg_cylinder",
      [](const std::string& case_name, int rows, const std::string& precision,
         std::optional<double> pressure_rtol, const std::string& device) {
        if (case_name != "2D-1" && case_name != "2D-2")
          throw py::value_error("case must be '2D-1' or '2D-2'");
        if (rows < 16) throw py::value_error("rows must be at least 16");
        const auto c =
            case_name == "2D-1" ? fluids::DfgCase::steady_re20 : fluids::DfgCase::periodic_re100;
        return std::make_unique<fluids::MacFlow>(
            fluids::dfg_channel(c, rows),
            flow_options(fluids::dfg::kViscosity, precision, pressure_rtol), parse_device(device));
      },
      py::arg("case") = "2D-1", py::arg("rows") = 64, py::kw_only(),
      py::arg("precision") = "double", py::arg("pressure_rtol") = py::none(),
      py::arg("device") = "auto",
      "The DFG benchmark channel with its cylinder (Schafer & Turek 1996), `rows` cells high.");
}

}  // namespace advect::python
