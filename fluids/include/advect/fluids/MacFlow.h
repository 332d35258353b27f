// Incompressible Navier-Stokes on a uniform staggered (MAC) grid, fractional-step projection:
//
//   du/dt + (u . grad) u = -grad p + nu laplace u,   div u = 0   (density 1)
//
// Advection in conservative form with central face values (second order, energy-conserving) or
// QUICK (Leonard 1979: third-order upwind-biased interpolation of the transported value), diffusion
// and pressure with second-order central differences, Heun's method
// (SSP-RK2) in time with a projection after each stage; the pressure equation is solved by the
// multigrid-preconditioned CG of Poisson.h. Either device; the fields are stored and stepped in
// double precision, or in float (FlowOptions::precision) for half the memory and its traffic.
//
// Layout (x fastest): cells (i, j) with centres ((i + 1/2) h, (j + 1/2) h), i < nx, j < ny;
// u on the vertical faces x = i h (nx + 1 per row with walls at x, nx when x is periodic),
// v on the horizontal faces y = j h (ny + 1 per column with walls at y, ny when periodic).
// Units: metres, seconds; velocities m/s; p is kinematic pressure (m^2/s^2).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"
#include "advect/fluids/ImmersedBoundary.h"
#include "advect/fluids/Poisson.h"

namespace advect::fluids {

// Each axis is periodic or bounded by two no-slip walls; a wall may slide along itself (a lid).
struct FlowDomain {
  int nx = 0, ny = 0;
  double h = 1.0;  // cell edge, m
  bool periodic_x = false, periodic_y = false;
  // Tangential velocity of the walls, m/s: v of the left (x = 0) and right walls, u of the
  // bottom (y = 0) and top walls.
  double left = 0.0, right = 0.0, bottom = 0.0, top = 0.0;
  // A channel along x instead of walls at x = 0 and x = nx h: a parabolic inflow at x = 0,
  // u = 4 inflow_peak y (H - y) / H^2 with H = ny h (v = 0), and an outflow at the far end
  // (zero normal gradient of the velocity, p = 0 on the outflow face). Needs walls at y.
  bool channel = false;
  double inflow_peak = 0.0;  // m/s
  // Obstacles inside the grid, imposed by the immersed boundary of ImmersedBoundary.h.
  std::vector<Circle> bodies;
};

// A rectangle of cells [i0, i1) x [j0, j1), the control volume of a momentum balance.
struct CellBox {
  int i0 = 0, i1 = 0, j0 = 0, j1 = 0;
};

enum class Advection { central, quick };

// What the fields are stored and computed in. The interface is double either way; reductions
// (norms, momentum sums) accumulate in double.
enum class Precision { float64, float32 };

// The tightest pressure tolerance a float32 flow accepts: float holds ~7 digits, and CG's residual
// stops falling a little above its rounding level.
inline constexpr double kMinFloatPressureRtol = 1e-6;

// The lid-driven cavity: a square of side `size` metres in n x n cells, walls all round, the top
// one sliding in +x at `lid` m/s.
FlowDomain lid_driven_cavity(int n, double lid = 1.0, double size = 1.0);

// A channel `height` metres high and `length` long with `rows` cells across: parabolic inflow with
// peak `inflow_peak` m/s at x = 0, outflow at x = length, walls at y = 0 and y = height.
FlowDomain parabolic_channel(int rows, double length, double height, double inflow_peak);

struct FlowOptions {
  double viscosity = 1e-2;  // nu, m^2/s
  Advection advection = Advection::central;
  double force_x = 0.0, force_y = 0.0;  // uniform body force per unit mass, m/s^2
  double cfl = 0.5;                     // |u|max dt / h
  // Explicit diffusion is stable for nu dt / h^2 <= 1/4 (2-D); dt keeps this fraction of it.
  double diffusion_safety = 0.8;
  double pressure_rtol = 1e-11;  // of each projection's Poisson solve (>= 1e-6 for float32)
  Precision precision = Precision::float64;
};

// What the kernels see of the grid.
struct MacGeometry {
  int nx = 0, ny = 0, nux = 0, nvy = 0;  // cells; u columns; v rows
  double h = 1.0;
  bool periodic_x = false, periodic_y = false;
  double left = 0.0, right = 0.0, bottom = 0.0, top = 0.0;
  bool channel = false;
  double inflow_peak = 0.0;
};

// The inflow profile of a channel at the centre of row j, m/s.
ADVECT_HD inline double inflow_velocity(const MacGeometry& g, int j) {
  const double y = (j + 0.5) / g.ny;  // y / H
  return 4.0 * g.inflow_peak * y * (1.0 - y);
}

// Bilinear interpolation at (x, y) (metres) of a cell-centred field with `components` values per
// cell (component `component` of them), constant beyond the outermost cell centres.
double interpolate_cells(const MacGeometry& g, const std::vector<double>& cells, int components,
                         int component, double x, double y);

struct StepReport {
  double dt = 0.0;
  int pressure_iterations = 0;  // of the last projection
  double max_divergence = 0.0;  // |div u| after the step, 1/s
};

class MacFlow {
 public:
  MacFlow(const FlowDomain& domain, const FlowOptions& options, const Device& device);
  ~MacFlow();
  MacFlow(const MacFlow&) = delete;
  MacFlow& operator=(const MacFlow&) = delete;

  // Velocity components on their faces (host arrays in the layout above); the field is projected
  // onto divergence-free fields before it is stored.
  void set_velocity(const std::vector<double>& u, const std::vector<double>& v);
  std::vector<double> u() const;
  std::vector<double> v() const;
  std::vector<double> pressure() const;    // at cell centres
  std::vector<double> divergence() const;  // at cell centres, 1/s
  // At cell centres: the velocity (u, v per cell, the mean of the two faces), m/s, and the
  // vorticity dv/dx - du/dy (the mean of the cell's four corner values, walls included), 1/s.
  std::vector<double> cell_velocity() const;
  std::vector<double> vorticity() const;

  // The largest stable step for the current velocity (CFL and diffusion limits), s.
  double stable_dt() const;
  // One Heun step of length dt (0: stable_dt()).
  StepReport step(double dt = 0.0);
  double time() const;
  const MacGeometry& geometry() const { return geometry_; }
  const std::vector<Circle>& bodies() const { return bodies_; }
  std::size_t forced_faces() const;

  // The momentum balance of a box (per unit density): the integral of the velocity, m^3/s, and of
  // its rate of change without the bodies, -div(u u) + nu laplace u - grad p + body force,
  // m^3/s^2, over the u faces i0..i1 of rows j0..j1-1 and the v faces i0..i1-1 of rows j0..j1.
  // The rate sums to fluxes through the box's sides, so the force of the fluid on the bodies
  // inside it is rate - d/dt momentum, whatever the boundary does near them.
  // The box keeps one cell clear of the grid's edges.
  std::array<double, 2> momentum(const CellBox& box) const;
  std::array<double, 2> momentum_rate(const CellBox& box);

 private:
  class Solver;  // the fields and the steps on them, in one precision (MacFlow.cpp)
  template <class Real>
  class SolverOf;
  void check_box(const CellBox& box) const;

  MacGeometry geometry_;
  std::vector<Circle> bodies_;
  std::unique_ptr<Solver> solver_;
};

// Fields of Real values; the scalars are converted to Real inside.

}  // namespace advect::fluids
