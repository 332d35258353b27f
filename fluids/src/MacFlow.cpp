#include "advect/fluids/MacFlow.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "advect/engine/Dispatch.h"
#include "kernels/MacFlowKernels.h"
#include "kernels/PoissonKernels.h"

namespace advect::fluids {

FlowDomain lid_driven_cavity(int n, double lid, double size) {
  FlowDomain domain;
  domain.nx = domain.ny = n;
  domain.h = size / n;
  domain.top = lid;
  return domain;
}

FlowDomain parabolic_channel(int rows, double length, double height, double inflow_peak) {
  FlowDomain domain;
  domain.ny = rows;
  domain.h = height / rows;
  domain.nx = int(std::lround(length / domain.h));
  domain.channel = true;
  domain.inflow_peak = inflow_peak;
  return domain;
}

double interpolate_cells(const MacGeometry& g, const std::vector<double>& cells, int components,
                         int component, double x, double y) {
  const double fi = std::clamp(x / g.h - 0.5, 0.0, g.nx - 1.0);
  const double fj = std::clamp(y / g.h - 0.5, 0.0, g.ny - 1.0);
  const int i = std::min(int(fi), g.nx - 2), j = std::min(int(fj), g.ny - 2);
  const double a = fi - i, b = fj - j;
  const auto at = [&](int di, int dj) {
    return cells[std::size_t(components) *
                     (std::size_t(j + dj) * std::size_t(g.nx) + std::size_t(i + di)) +
                 std::size_t(component)];
  };
  return (1 - a) * (1 - b) * at(0, 0) + a * (1 - b) * at(1, 0) + (1 - a) * b * at(0, 1) +
         a * b * at(1, 1);
}

// The fields of one flow and the steps on them; MacFlow forwards to it. The interface is in
// double whatever Real is.
class MacFlow::Solver {
 public:
  virtual ~Solver() = default;
  virtual void set_velocity(const std::vector<double>& u, const std::vector<double>& v) = 0;
  virtual std::vector<double> u() const = 0;
  virtual std::vector<double> v() const = 0;
  virtual std::vector<double> pressure() const = 0;
  virtual std::vector<double> divergence() const = 0;
  virtual std::vector<double> cell_velocity() const = 0;
  virtual std::vector<double> vorticity() const = 0;
  virtual double stable_dt() const = 0;
  virtual StepReport step(double dt) = 0;
  virtual double time() const = 0;
  virtual std::size_t forced_faces() const = 0;
  virtual std::array<double, 2> momentum(const CellBox& box) const = 0;
  virtual std::array<double, 2> momentum_rate(const CellBox& box) = 0;
};

namespace {

template <class Real>
std::vector<double> to_double(const Buffer<Real>& buffer) {
  if constexpr (std::is_same_v<Real, double>) {
    return buffer.to_host();
  } else {
    const std::vector<Real> values = buffer.to_host();
    return {values.begin(), values.end()};
  }
}

template <class Real>
void copy_to(Buffer<Real>& buffer, const std::vector<double>& values) {
  if constexpr (std::is_same_v<Real, double>) {
    buffer.copy_from_host(values);
  } else {
    buffer.copy_from_host(std::vector<Real>(values.begin(), values.end()));
  }
}

}  // namespace

template <class Real>
class MacFlow::SolverOf final : public MacFlow::Solver {
 public:
  SolverOf(const MacGeometry& g, const FlowOptions& options, const std::vector<Circle>& bodies,
           const Device& device);
  void set_velocity(const std::vector<double>& u, const std::vector<double>& v) override;
  std::vector<double> u() const override { return to_double(u_); }
  std::vector<double> v() const override { return to_double(v_); }
  std::vector<double> pressure() const override { return to_double(p_); }
  std::vector<double> divergence() const override;
  std::vector<double> cell_velocity() const override;
  std::vector<double> vorticity() const override;
  double stable_dt() const override;
  StepReport step(double dt) override;
  double time() const override { return time_; }
  std::size_t forced_faces() const override { return bodies_ ? bodies_->forced_count() : 0; }
  std::array<double, 2> momentum(const CellBox& box) const override;
  std::array<double, 2> momentum_rate(const CellBox& box) override;

 private:
  // `scale`: the norm of div u / dt before the current pressure gradient was taken off, which
  // the pressure change is solved relative to (0: relative to its own right-hand side).
  void project(Buffer<Real>& u, Buffer<Real>& v, double dt, double scale, StepReport& report);
  // Imposes the bodies (if any) on u, v, then projects.
  void constrain(Buffer<Real>& u, Buffer<Real>& v, double dt, double scale, StepReport& report);
  // Takes dt grad p off the predictor u, v and returns the scale for project().
  double subtract_pressure(Buffer<Real>& u, Buffer<Real>& v, double dt);

  MacGeometry geometry_;
  FlowOptions options_;
  Device device_;
  double time_ = 0.0;
  Buffer<Real> u_, v_, p_;
  Buffer<Real> u_stage_, v_stage_, u_rate_, v_rate_, divergence_, pressure_change_;
  std::unique_ptr<PoissonSolver<Real>> poisson_;
  std::unique_ptr<ImmersedBoundary<Real>> bodies_;
};

MacFlow::MacFlow(const FlowDomain& domain, const FlowOptions& options, const Device& device)
    : bodies_(domain.bodies) {
  if (domain.nx < 4 || domain.ny < 4 || !(domain.h > 0.0)) {
    throw std::invalid_argument("MAC grid: at least 4 x 4 cells and h > 0");
  }
  if (domain.channel &&
      (domain.periodic_x || domain.periodic_y || domain.left != 0.0 || domain.right != 0.0)) {
    throw std::invalid_argument("a channel has walls (at rest) at y only");
  }
  if (!(options.viscosity > 0.0) || !(options.cfl > 0.0) || !(options.diffusion_safety > 0.0)) {
    throw std::invalid_argument("flow options: viscosity, cfl and diffusion_safety must be > 0");
  }
  if (options.precision == Precision::float32 &&
      !(options.pressure_rtol >= kMinFloatPressureRtol)) {
    throw std::invalid_argument(
        fmt::format("flow options: float32 fields resolve the pressure to a relative {:g} at best; "
                    "pressure_rtol {:g} is below it",
                    kMinFloatPressureRtol, options.pressure_rtol));
  }
  MacGeometry& g = geometry_;
  g.nx = domain.nx;
  g.ny = domain.ny;
  g.nux = domain.periodic_x ? domain.nx : domain.nx + 1;
  g.nvy = domain.periodic_y ? domain.ny : domain.ny + 1;
  g.h = domain.h;
  g.periodic_x = domain.periodic_x;
  g.periodic_y = domain.periodic_y;
  g.channel = domain.channel;
  g.inflow_peak = domain.inflow_peak;
  g.left = domain.left;
  g.right = domain.right;
  g.bottom = domain.bottom;
  g.top = domain.top;
  if (options.precision == Precision::float32) {
    solver_ = std::make_unique<SolverOf<float>>(g, options, domain.bodies, device);
  } else {
    solver_ = std::make_unique<SolverOf<double>>(g, options, domain.bodies, device);
  }
}

MacFlow::~MacFlow() = default;

void MacFlow::set_velocity(const std::vector<double>& u, const std::vector<double>& v) {
  if (u.size() != std::size_t(geometry_.nux) * std::size_t(geometry_.ny) ||
      v.size() != std::size_t(geometry_.nx) * std::size_t(geometry_.nvy)) {
    throw std::invalid_argument(fmt::format("velocity: u needs {} x {} and v {} x {} values",
                                            geometry_.nux, geometry_.ny, geometry_.nx,
                                            geometry_.nvy));
  }
  solver_->set_velocity(u, v);
}
std::vector<double> MacFlow::u() const {
  return solver_->u();
}
std::vector<double> MacFlow::v() const {
  return solver_->v();
}
std::vector<double> MacFlow::pressure() const {
  return solver_->pressure();
}
std::vector<double> MacFlow::divergence() const {
  return solver_->divergence();
}
std::vector<double> MacFlow::cell_velocity() const {
  return solver_->cell_velocity();
}
std::vector<double> MacFlow::vorticity() const {
  return solver_->vorticity();
}
double MacFlow::stable_dt() const {
  return solver_->stable_dt();
}
StepReport MacFlow::step(double dt) {
  return solver_->step(dt);
}
double MacFlow::time() const {
  return solver_->time();
}
std::size_t MacFlow::forced_faces() const {
  return solver_->forced_faces();
}

void MacFlow::check_box(const CellBox& box) const {
  const MacGeometry& g = geometry_;
  if (box.i0 < 1 || box.j0 < 1 || box.i1 > g.nx - 1 || box.j1 > g.ny - 1 || box.i0 >= box.i1 ||
      box.j0 >= box.j1) {
    throw std::invalid_argument(
        fmt::format("momentum box [{}, {}) x [{}, {}) must lie inside cells [1, {}) x [1, {})",
                    box.i0, box.i1, box.j0, box.j1, g.nx - 1, g.ny - 1));
  }
}

std::array<double, 2> MacFlow::momentum(const CellBox& box) const {
  check_box(box);
  return solver_->momentum(box);
}

std::array<double, 2> MacFlow::momentum_rate(const CellBox& box) {
  check_box(box);
  return solver_->momentum_rate(box);
}

template <class Real>
MacFlow::SolverOf<Real>::SolverOf(const MacGeometry& g, const FlowOptions& options,
                                  const std::vector<Circle>& bodies, const Device& device)
    : geometry_(g), options_(options), device_(device) {
  const auto u_size = std::size_t(g.nux) * std::size_t(g.ny);
  const auto v_size = std::size_t(g.nx) * std::size_t(g.nvy);
  const auto cells = std::size_t(g.nx) * std::size_t(g.ny);
  u_ = Buffer<Real>::from_host(std::vector<Real>(u_size, 0), device);
  v_ = Buffer<Real>::from_host(std::vector<Real>(v_size, 0), device);
  p_ = Buffer<Real>::from_host(std::vector<Real>(cells, 0), device);
  u_stage_ = Buffer<Real>(u_size, device);
  v_stage_ = Buffer<Real>(v_size, device);
  u_rate_ = Buffer<Real>(u_size, device);
  v_rate_ = Buffer<Real>(v_size, device);
  divergence_ = Buffer<Real>(cells, device);
  pressure_change_ = Buffer<Real>(cells, device);
  // The pressure sees walls where the velocity has walls (the normal velocity there is given).
  PoissonGrid grid;
  grid.nx = g.nx;
  grid.ny = g.ny;
  grid.h = g.h;
  const Side x_side = g.periodic_x ? Side::periodic : Side::wall;
  const Side y_side = g.periodic_y ? Side::periodic : Side::wall;
  grid.sides = {x_side, g.channel ? Side::zero : x_side, y_side, y_side};
  PoissonOptions poisson;
  poisson.rtol = options.pressure_rtol;
  poisson_ = std::make_unique<PoissonSolver<Real>>(grid, poisson, device);
  if (!bodies.empty()) bodies_ = std::make_unique<ImmersedBoundary<Real>>(g, bodies, device);
  // The inflow and the bodies from the start.
  if (g.channel || bodies_) set_velocity(u(), v());
}

template <class Real>
void MacFlow::SolverOf<Real>::set_velocity(const std::vector<double>& u,
                                           const std::vector<double>& v) {
  std::vector<double> uu = u, vv = v;
  // The walls' normal velocity is zero whatever was given; a channel's inflow face holds its
  // profile.
  for (int j = 0; j < geometry_.ny && !geometry_.periodic_x; ++j) {
    const std::size_t row = std::size_t(j) * std::size_t(geometry_.nux);
    uu[row] = geometry_.channel ? inflow_velocity(geometry_, j) : 0.0;
    if (!geometry_.channel) uu[row + std::size_t(geometry_.nx)] = 0.0;
  }
  for (int i = 0; i < geometry_.nx && !geometry_.periodic_y; ++i) {
    vv[std::size_t(i)] = 0.0;
    vv[std::size_t(geometry_.ny) * std::size_t(geometry_.nx) + std::size_t(i)] = 0.0;
  }
  copy_to(u_, uu);
  copy_to(v_, vv);
  // The projection of a given field says nothing of the pressure of the flow.
  const std::vector<double> zero(p_.size(), 0.0);
  copy_to(p_, zero);
  StepReport report;
  constrain(u_, v_, 1.0, 0.0, report);
  copy_to(p_, zero);
}

template <class Real>
void MacFlow::SolverOf<Real>::constrain(Buffer<Real>& u, Buffer<Real>& v, double dt, double scale,
                                        StepReport& report) {
  if (bodies_) bodies_->impose(u.data(), v.data());
  project(u, v, dt, scale, report);
}

template <class Real>
double MacFlow::SolverOf<Real>::subtract_pressure(Buffer<Real>& u, Buffer<Real>& v, double dt) {
  double scale = 0.0;
  with_backend(device_, [&](auto b) {
    using K = MacFlowKernels<b, Real>;
    // The right-hand side a solve for the whole pressure would have had: the tolerance of the
    // solve for its change is taken relative to it, as it was before the projection was
    // incremental (relative to the change alone, it would tighten without end as the flow
    // settles).
    K::divergence(geometry_, u.data(), v.data(), -1.0 / dt, divergence_.data());
    const auto n = std::int64_t(divergence_.size());
    scale = std::sqrt(PoissonKernels<b, Real>::dot(divergence_.data(), divergence_.data(), n));
    K::subtract_gradient(geometry_, dt, p_.data(), u.data(), v.data());
  });
  return scale;
}

template <class Real>
std::array<double, 2> MacFlow::SolverOf<Real>::momentum(const CellBox& box) const {
  std::array<double, 2> sums{};
  with_backend(device_, [&](auto b) {
    sums = MacFlowKernels<b, Real>::box_sums(geometry_, box, u_.data(), v_.data(), nullptr);
  });
  return sums;
}

template <class Real>
std::array<double, 2> MacFlow::SolverOf<Real>::momentum_rate(const CellBox& box) {
  std::array<double, 2> sums{};
  with_backend(device_, [&](auto b) {
    using K = MacFlowKernels<b, Real>;
    K::rates(geometry_, options_, u_.data(), v_.data(), u_rate_.data(), v_rate_.data());
    sums = K::box_sums(geometry_, box, u_rate_.data(), v_rate_.data(), p_.data());
  });
  return sums;
}

template <class Real>
std::vector<double> MacFlow::SolverOf<Real>::divergence() const {
  Buffer<Real> out(divergence_.size(), device_);
  with_backend(device_, [&](auto b) {
    MacFlowKernels<b, Real>::divergence(geometry_, u_.data(), v_.data(), 1.0, out.data());
  });
  return to_double(out);
}

template <class Real>
std::vector<double> MacFlow::SolverOf<Real>::cell_velocity() const {
  Buffer<Real> out(2 * divergence_.size(), device_);
  with_backend(device_, [&](auto b) {
    MacFlowKernels<b, Real>::cell_velocity(geometry_, u_.data(), v_.data(), out.data());
  });
  return to_double(out);
}

template <class Real>
std::vector<double> MacFlow::SolverOf<Real>::vorticity() const {
  Buffer<Real> out(divergence_.size(), device_);
  with_backend(device_, [&](auto b) {
    MacFlowKernels<b, Real>::vorticity(geometry_, u_.data(), v_.data(), out.data());
  });
  return to_double(out);
}

template <class Real>
double MacFlow::SolverOf<Real>::stable_dt() const {
  double speed = std::max({std::abs(geometry_.left), std::abs(geometry_.right),
                           std::abs(geometry_.inflow_peak), std::abs(geometry_.bottom),
                           std::abs(geometry_.top)});
  with_backend(device_, [&](auto b) {
    using K = MacFlowKernels<b, Real>;
    speed = std::max(speed, K::max_abs(u_.data(), std::int64_t(u_.size())) +
                                K::max_abs(v_.data(), std::int64_t(v_.size())));
  });
  const double h = geometry_.h;
  const double diffusion = options_.diffusion_safety * 0.25 * h * h / options_.viscosity;
  return speed > 0.0 ? std::min(options_.cfl * h / speed, diffusion) : diffusion;
}

template <class Real>
void MacFlow::SolverOf<Real>::project(Buffer<Real>& u, Buffer<Real>& v, double dt, double scale,
                                      StepReport& report) {
  // The predictor carried -grad p of the current pressure, so what is solved for is its change q:
  // -laplace q = -div u / dt, then u -= dt grad q leaves div u = -dt (Poisson residual), and
  // p += q. What the projection moves is then O(dt^2) (van Kan 1986), so the velocity imposed
  // at an immersed boundary before it survives it nearly unchanged.
  with_backend(device_, [&](auto b) {
    MacFlowKernels<b, Real>::divergence(geometry_, u.data(), v.data(), -1.0 / dt,
                                        divergence_.data());
    PoissonKernels<b, Real>::fill(pressure_change_.data(), 0,
                                  std::int64_t(pressure_change_.size()));
  });
  const PoissonResult solved = poisson_->solve(divergence_.data(), pressure_change_.data(), scale);
  if (!solved.converged) {
    throw std::runtime_error(
        fmt::format("pressure solve did not converge at t = {} s ({} iterations, residual {:.3g})",
                    time_, solved.iterations, solved.relative_residual));
  }
  report.pressure_iterations = solved.iterations;
  with_backend(device_, [&](auto b) {
    using K = MacFlowKernels<b, Real>;
    K::subtract_gradient(geometry_, dt, pressure_change_.data(), u.data(), v.data());
    const auto n = std::int64_t(p_.size());
    K::combine(1.0, p_.data(), 1.0, pressure_change_.data(), 0.0, p_.data(), p_.data(), n);
  });
}

template <class Real>
StepReport MacFlow::SolverOf<Real>::step(double dt) {
  StepReport report;
  report.dt = dt > 0.0 ? dt : stable_dt();
  const double h = report.dt;
  const auto nu = std::int64_t(u_.size()), nv = std::int64_t(v_.size());
  // Heun (SSP-RK2): u1 = P(u + h L(u)); u_next = P(u/2 + (u1 + h L(u1))/2), each predictor
  // carrying -grad p of the pressure so far (see project()).
  with_backend(device_, [&](auto b) {
    using K = MacFlowKernels<b, Real>;
    K::rates(geometry_, options_, u_.data(), v_.data(), u_rate_.data(), v_rate_.data());
    K::combine(1.0, u_.data(), h, u_rate_.data(), 0.0, u_.data(), u_stage_.data(), nu);
    K::combine(1.0, v_.data(), h, v_rate_.data(), 0.0, v_.data(), v_stage_.data(), nv);
  });
  constrain(u_stage_, v_stage_, h, subtract_pressure(u_stage_, v_stage_, h), report);
  with_backend(device_, [&](auto b) {
    using K = MacFlowKernels<b, Real>;
    K::rates(geometry_, options_, u_stage_.data(), v_stage_.data(), u_rate_.data(), v_rate_.data());
    K::combine(0.5, u_.data(), 0.5, u_stage_.data(), 0.5 * h, u_rate_.data(), u_.data(), nu);
    K::combine(0.5, v_.data(), 0.5, v_stage_.data(), 0.5 * h, v_rate_.data(), v_.data(), nv);
  });
  constrain(u_, v_, 0.5 * h, subtract_pressure(u_, v_, 0.5 * h), report);
  time_ += h;
  with_backend(device_, [&](auto b) {
    using K = MacFlowKernels<b, Real>;
    K::divergence(geometry_, u_.data(), v_.data(), 1.0, divergence_.data());
    report.max_divergence = K::max_abs(divergence_.data(), std::int64_t(divergence_.size()));
  });
  return report;
}

}  // namespace advect::fluids
