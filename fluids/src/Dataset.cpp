#include "advect/fluids/Dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "advect/fluids/DfgCylinder.h"
#include "advect/fluids/SpectralVorticity.h"

namespace advect::fluids {

namespace {

struct CaseParameters {
  double velocity = 1.0;                   // lid (cavity) or mean inflow (cylinder), m/s
  double density = 1.0, viscosity = 1e-2;  // kg/m^3, Pa s (dynamic)
  Circle cylinder;                         // m
};

// Parameters from (seed, case number) alone.
CaseParameters draw(const DatasetOptions& o, int k) {
  std::seed_seq seed{std::uint64_t(o.seed), std::uint64_t(k)};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto uniform = [&](const ValueRange& r) { return r.low + unit(rng) * (r.high - r.low); };
  CaseParameters p;
  const bool cavity = o.problem == DatasetProblem::cavity;
  p.velocity = uniform(cavity ? o.lid : o.inflow);
  p.density = uniform(o.density);
  const ValueRange& mu = o.viscosity;
  p.viscosity = std::exp(std::log(mu.low) + unit(rng) * (std::log(mu.high) - std::log(mu.low)));
  if (!cavity) {
    p.cylinder.radius = uniform(o.radius);
    p.cylinder.x = uniform(o.centre_x);
    p.cylinder.y = uniform(o.centre_y);
  }
  return p;
}

// The cell-centred velocity (u, v per cell) at `size` x `size` points on the centres of an even
// grid over the whole domain, appended to u and v (x fastest).
void resample(const MacGeometry& g, const std::vector<double>& cells, int size,
              std::vector<float>& u, std::vector<float>& v) {
  for (int row = 0; row < size; ++row) {
    const double y = (row + 0.5) / size * g.ny * g.h;
    for (int column = 0; column < size; ++column) {
      const double x = (column + 0.5) / size * g.nx * g.h;
      u.push_back(float(interpolate_cells(g, cells, 2, 0, x, y)));
      v.push_back(float(interpolate_cells(g, cells, 2, 1, x, y)));
    }
  }
}

DatasetCase mac_case(const DatasetOptions& o, const CaseParameters& p, const Device& device) {
  const bool cavity = o.problem == DatasetProblem::cavity;
  FlowOptions options;
  options.viscosity = p.viscosity / p.density;  // kinematic
  options.precision = o.precision;
  options.pressure_rtol = o.precision == Precision::float32 ? kMinFloatPressureRtol : 1e-8;
  const FlowDomain domain = cavity ? lid_driven_cavity(o.cells, p.velocity)
                                   : cylinder_channel(o.cells, 1.5 * p.velocity, p.cylinder);
  MacFlow flow(domain, options, device);
  const int saved = cavity ? o.cells : o.size;
  const std::size_t per_frame = std::size_t(saved) * std::size_t(saved);
  std::vector<float> u, v;
  u.reserve(per_frame * std::size_t(o.frames));
  v.reserve(u.capacity());
  for (int frame = 0; frame < o.frames; ++frame) {
    const double target = frame * o.interval;
    while (flow.time() < target - 1e-12) {
      flow.step(std::min(flow.stable_dt(), target - flow.time()));
    }
    const std::vector<double> cells = flow.cell_velocity();
    if (!cavity) {
      resample(flow.geometry(), cells, saved, u, v);
      continue;
    }
    for (std::size_t c = 0; c < per_frame; ++c) {
      u.push_back(float(cells[2 * c]));
      v.push_back(float(cells[2 * c + 1]));
    }
  }
  const MacGeometry& g = flow.geometry();
  DatasetCase out;
  out.height = out.width = std::size_t(saved);
  out.metadata = {{"case", cavity ? "cavity" : "cylinder"},
                  {"density", p.density},
                  {"viscosity", p.viscosity},
                  {"frames", o.frames},
                  {"frame_interval", o.interval},
                  {"solver_precision", o.precision == Precision::float32 ? "float" : "double"},
                  {"layout", cavity ? "(T, H, W) float32, row 0 at y = 0, cell centres"
                                    : "(T, H, W) float32, row 0 at y = 0, the centres "
                                      "of an H x W grid over the channel"}};
  if (cavity) {
    out.metadata.update({{"vel_top", p.velocity},
                         {"height", 1.0},
                         {"width", 1.0},
                         {"reynolds", p.density * p.velocity * 1.0 / p.viscosity},
                         {"grid", o.cells}});
  } else {
    out.metadata.update(
        {{"vel_in", p.velocity},
         {"inflow", "parabolic, peak 1.5 vel_in"},
         {"x_min", 0.0},
         {"x_max", g.nx * g.h},
         {"y_min", 0.0},
         {"y_max", g.ny * g.h},
         {"height", g.ny * g.h},
         {"width", g.nx * g.h},
         {"radius", p.cylinder.radius},
         {"center_x", p.cylinder.x},
         {"center_y", p.cylinder.y},
         {"reynolds", p.density * p.velocity * 2.0 * p.cylinder.radius / p.viscosity},
         {"simulation_grid", {g.nx, g.ny}},
         {"grid", {saved, saved}}});
  }
  out.fields = {{"u", std::move(u)}, {"v", std::move(v)}};
  return out;
}

// The periodic vorticity flow of the continuous-simulation literature (Li et al. 2021): a
// Gaussian random field from (seed, case) evolved with Li et al.'s forcing for spin_up seconds,
// then `frames` frames `interval` apart, on every (cells / size)-th grid point.
DatasetCase vorticity_case(const DatasetOptions& o, int k, const CaseParameters& p) {
  const std::uint64_t field_seed = (std::uint64_t(o.seed) << 32) ^ std::uint64_t(k);
  SpectralVorticity flow(o.cells, p.viscosity / p.density, li_forcing(o.cells));
  flow.set_vorticity(gaussian_random_field(o.cells, field_seed));
  flow.advance(o.spin_up);
  const int stride = o.cells / o.size;
  std::vector<float> w, u, v;
  for (int frame = 0; frame < o.frames; ++frame) {
    if (frame > 0) flow.advance(o.interval);
    const std::vector<double> vorticity = flow.vorticity(), velocity = flow.velocity();
    for (int j = 0; j < o.cells; j += stride) {
      for (int i = 0; i < o.cells; i += stride) {
        const std::size_t at = std::size_t(j) * std::size_t(o.cells) + std::size_t(i);
        w.push_back(float(vorticity[at]));
        u.push_back(float(velocity[2 * at]));
        v.push_back(float(velocity[2 * at + 1]));
      }
    }
  }
  DatasetCase out;
  out.height = out.width = std::size_t(o.size);
  out.metadata = {
      {"case", "vorticity"},
      {"viscosity", p.viscosity / p.density},
      {"forcing", "0.1 (sin 2 pi (x + y) + cos 2 pi (x + y))"},
      {"initial", "Gaussian random field, covariance 7^3 (-laplace + 49)^-2.5"},
      {"field_seed", field_seed},
      {"spin_up", o.spin_up},
      {"frames", o.frames},
      {"frame_interval", o.interval},
      {"width", 1.0},
      {"height", 1.0},
      {"simulation_grid", o.cells},
      {"grid", {o.size, o.size}},
      {"layout", "(T, H, W) float32, row 0 at y = 0, grid points (i / W, j / H) of the torus"}};
  out.fields = {{"vorticity", std::move(w)}, {"u", std::move(u)}, {"v", std::move(v)}};
  return out;
}

}  // namespace

DatasetOptions dataset_defaults(DatasetProblem problem) {
  DatasetOptions o;
  o.problem = problem;
  switch (problem) {
    case DatasetProblem::cavity:
      o.interval = 0.1;
      o.viscosity = {0.002, 0.02};
      break;
    case DatasetProblem::cylinder:
      o.interval = 0.05;
      o.viscosity = {0.001, 0.004};
      break;
    case DatasetProblem::vorticity:
      o.interval = 1.0;
      o.viscosity = {0.001, 0.001};
      break;
  }
  return o;
}

std::optional<OptionProblem> find_dataset_problem(const DatasetOptions& o) {
  const bool vorticity = o.problem == DatasetProblem::vorticity;
  if (o.frames < 1) return OptionProblem{"frames", fmt::format("{}: at least one frame", o.frames)};
  if (!(o.interval > 0.0)) return OptionProblem{"interval", "must be positive"};
  if (vorticity && (o.cells < 2 || o.cells % 2 != 0 || o.size < 1 || o.cells % o.size != 0)) {
    return OptionProblem{"cells", fmt::format("{}: the torus needs an even n that size {} divides",
                                              o.cells, o.size)};
  }
  if (vorticity && o.precision != Precision::float64) {
    return OptionProblem{"precision",
                         "the vorticity flow's spectral solver computes in double only"};
  }
  if (o.problem == DatasetProblem::cylinder && (o.cells < 32 || o.cells % 8 != 0)) {
    return OptionProblem{
        "cells",
        fmt::format("{}: the cylinder channel needs a multiple of 8, at least 32", o.cells)};
  }
  if (o.problem == DatasetProblem::cavity && o.cells < 4) {
    return OptionProblem{"cells", fmt::format("{}: the cavity needs at least 4 cells", o.cells)};
  }
  const std::pair<const char*, const ValueRange*> ranges[] = {{"lid", &o.lid},
                                                              {"inflow", &o.inflow},
                                                              {"radius", &o.radius},
                                                              {"centre_x", &o.centre_x},
                                                              {"centre_y", &o.centre_y},
                                                              {"density", &o.density},
                                                              {"viscosity", &o.viscosity}};
  for (const auto& [name, range] : ranges) {
    if (!(range->low > 0.0)) return OptionProblem{name, "must be positive"};
    if (range->low > range->high) return OptionProblem{name, "the range is reversed"};
  }
  if (o.problem == DatasetProblem::cylinder) {
    // The cylinder and the first images out from its wall (3.5 cells) must stay off the
    // channel's walls and inflow.
    const double margin = 5.0 * dfg::kHeight / o.cells;
    const ValueRange &r = o.radius, &x = o.centre_x, &y = o.centre_y;
    if (y.low - r.high < margin || y.high + r.high > dfg::kHeight - margin ||
        x.low - r.high < margin || x.high + r.high > 0.5 * dfg::kLength) {
      return OptionProblem{
          "radius/centre_x/centre_y",
          fmt::format("the cylinder must keep {:.3g} m from the walls and the inflow and stay in "
                      "the first half of the channel (0.41 m x 2.2 m)",
                      margin)};
    }
  }
  return std::nullopt;
}

DatasetCase make_dataset_case(const DatasetOptions& options, int k, const Device& device) {
  if (const auto problem = find_dataset_problem(options)) {
    throw std::invalid_argument(problem->option + ": " + problem->message);
  }
  const CaseParameters p = draw(options, k);
  if (options.problem == DatasetProblem::vorticity) return vorticity_case(options, k, p);
  return mac_case(options, p, device);
}

}  // namespace advect::fluids
