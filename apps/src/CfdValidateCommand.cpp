// `advect cfd validate`: the solver against exact and published solutions at full size, as a
// table (the fast sizes of the same checks run in ctest).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "Command.h"
#include "ResidualBar.h"
#include "advect/fluids/Cavity.h"
#include "advect/fluids/CylinderRun.h"
#include "advect/fluids/TaylorGreen.h"
#include "advect/io/AtomicWrite.h"

namespace advect::app {

namespace {

struct Check {
  std::string name, target;
  double value = 0.0;
  bool passed = false;
  double seconds = 0.0;
};

class CfdValidateCommand final : public Command {
 public:
  explicit CfdValidateCommand(CLI::App& cfd) {
    app_ = cfd.add_subcommand(
        "validate", "The solver against exact solutions and published tables, as a table");
    app_->add_flag("--quick", quick_,
                   "Smaller sizes (seconds instead of minutes; the cavity at Re = 1000 left out)");
    app_->add_option("--json", json_, "Also write the checks to this JSON file");
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    std::vector<Check> checks;
    taylor_green_checks(device, checks);
    channel_checks(quick_ ? 16 : 32, device, checks);
    cavity_checks(100.0, quick_ ? 64 : 128, 0.01, 0.01, device, checks);
    if (!quick_) cavity_checks(1000.0, 128, 0.01, 0.02, device, checks);
    dfg_steady_checks(quick_ ? 64 : 128, device, checks);

    int failed = 0;
    std::cout << fmt::format("{:<58} {:>11} {:>14} {:>6} {:>8}\n", "check", "measured", "target",
                             "", "seconds");
    for (const Check& c : checks) {
      failed += !c.passed;
      std::cout << fmt::format("{:<58} {:>11.4g} {:>14} {:>6} {:>8.1f}\n", c.name, c.value,
                               c.target, c.passed ? "pass" : "FAIL", c.seconds);
    }
    std::cout << fmt::format("{} passed, {} failed\n", checks.size() - std::size_t(failed), failed);
    if (!json_.empty()) {
      nlohmann::json out = {{"checks", nlohmann::json::array()}};
      for (const Check& c : checks) {
        out["checks"].push_back({{"name", c.name},
                                 {"value", c.value},
                                 {"target", c.target},
                                 {"passed", c.passed},
                                 {"seconds", c.seconds}});
      }
      io::write_file_bytes(json_, out.dump(2) + "\n");
    }
    return failed == 0 ? 0 : 1;
  }

 private:
  void taylor_green_checks(const Device& device, std::vector<Check>& checks) const {
    const auto start = std::chrono::steady_clock::now();
    constexpr double nu = 0.05, t_end = 1.0;
    const std::vector<int> sizes =
        quick_ ? std::vector<int>{16, 32, 64} : std::vector<int>{32, 64, 128};
    std::vector<double> errors;
    double divergence = 0.0;
    for (const int n : sizes) {
      fluids::FlowOptions options;
      options.viscosity = nu;
      fluids::MacFlow flow(fluids::taylor_green_domain(n), options, device);
      const fluids::FaceVelocity initial = fluids::taylor_green(flow.geometry(), nu, 0.0);
      flow.set_velocity(initial.u, initial.v);
      const int steps = int(std::ceil(t_end / flow.stable_dt()));
      for (int s = 0; s < steps; ++s) {
        divergence = std::max(divergence, flow.step(t_end / steps).max_divergence);
      }
      errors.push_back(fluids::rms_difference(fluids::taylor_green(flow.geometry(), nu, t_end),
                                              flow.u(), flow.v()));
    }
    const double order =
        std::min(std::log2(errors[0] / errors[1]), std::log2(errors[1] / errors[2]));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    checks.push_back(
        {fmt::format("Taylor-Green L2 velocity order, {}/{}/{}", sizes[0], sizes[1], sizes[2]),
         ">= 1.8", order, order >= 1.8, seconds});
    checks.push_back({"max |div u| after projection (Taylor-Green runs), 1/s", "<= 1e-10",
                      divergence, divergence <= 1e-10, 0.0});
  }

  // Plane Poiseuille flow from a parabolic inflow to an outflow: channel 1 m high, 2 m long,
  // U_peak 1 m/s, nu 0.1 m^2/s; steady, it is the inflow parabola everywhere with dp/dx = -0.8.
  void channel_checks(int rows, const Device& device, std::vector<Check>& checks) const {
    const auto start = std::chrono::steady_clock::now();
    const fluids::FlowDomain domain = fluids::parabolic_channel(rows, 2.0, 1.0, 1.0);
    fluids::FlowOptions options;
    options.viscosity = 0.1;
    fluids::MacFlow flow(domain, options, device);
    while (flow.time() < 12.0) flow.step();  // 12 e-folding times of the slowest transient
    const std::vector<double> u = flow.u(), p = flow.pressure();
    double velocity = 0.0, gradient = 0.0;
    for (int j = 0; j < rows; ++j) {
      const double y = (j + 0.5) / rows;
      for (int i = 0; i <= domain.nx; ++i) {
        velocity = std::max(
            velocity, std::abs(u[std::size_t(j * (domain.nx + 1) + i)] - 4.0 * y * (1.0 - y)));
      }
      const double dp = p[std::size_t(j * domain.nx + 3 * rows / 2)] -
                        p[std::size_t(j * domain.nx + rows / 2)];  // over x = 0.5 .. 1.5
      gradient = std::max(gradient, std::abs(dp + 0.8) / 0.8);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string where = fmt::format("Poiseuille channel in/out, {} x {}", domain.nx, rows);
    checks.push_back(
        {where + ": max |u - u_exact| / U", "<= 0.01", velocity, velocity <= 0.01, seconds});
    checks.push_back(
        {where + ": dp/dx relative error", "<= 0.01", gradient, gradient <= 0.01, 0.0});
  }

  void cavity_checks(double reynolds, int n, double u_target, double v_target, const Device& device,
                     std::vector<Check>& checks) const {
    fluids::FlowOptions options;
    options.viscosity = 1.0 / reynolds;
    options.pressure_rtol = 1e-8;
    fluids::MacFlow flow(fluids::lid_driven_cavity(n), options, device);
    constexpr double steady_tol = 1e-4, t_max = 200.0;
    ProgressBar bar(fmt::format("cavity Re {:g} {}^2", reynolds, n), t_max, "s",
                    show_progress(common_.quiet));
    const fluids::FlowAdvance run =
        fluids::advance(flow, t_max, steady_tol, {}, {}, residual_bar(bar));
    bar.finish();
    const fluids::GhiaComparison c =
        fluids::compare_with_ghia(flow, *fluids::ghia1982::table_for(reynolds));
    const std::string where =
        fmt::format("cavity Re {:g} {}^2{}", reynolds, n, run.steady ? "" : " (not steady)");
    checks.push_back({where + ": max |u - u_Ghia|", fmt::format("<= {:g}", u_target), c.max_u_error,
                      run.steady && c.max_u_error <= u_target, run.wall_seconds});
    checks.push_back({where + ": max |v - v_Ghia|", fmt::format("<= {:g}", v_target), c.max_v_error,
                      run.steady && c.max_v_error <= v_target, 0.0});
  }

  // DFG 2D-1 to a steady state: C_D within 1 % of FeatFlow's value and, at full size, C_L in the
  // interval of Schafer & Turek (1996). The lift settles last (by t = 8 s at 128 rows); --quick
  // checks the drag only, at t = 3 s (within 0.1 % of its steady value at 64 rows).
  void dfg_steady_checks(int rows, const Device& device, std::vector<Check>& checks) const {
    fluids::FlowOptions options;
    options.viscosity = fluids::dfg::kViscosity;
    options.pressure_rtol = 1e-8;
    const fluids::DfgCase c = fluids::DfgCase::steady_re20;
    fluids::MacFlow flow(fluids::dfg_channel(c, rows), options, device);
    const double steady_tol = quick_ ? 0.0 : 1e-5, t_max = quick_ ? 3.0 : 100.0;
    ProgressBar bar(fmt::format("DFG 2D-1, {} rows", rows), t_max, "s",
                    show_progress(common_.quiet));
    const fluids::CylinderRun run =
        fluids::run_cylinder(flow, c, t_max, steady_tol, {}, {}, residual_bar(bar));
    bar.finish();
    const bool settled = quick_ || run.advance.steady;
    const std::string where = fmt::format("DFG 2D-1 {}x{}{}", flow.geometry().nx, rows,
                                          quick_ ? ", t = 3 s" : (settled ? "" : " (not steady)"));
    const double drag_error = std::abs(run.last.drag / fluids::dfg::kDrag2D1 - 1.0);
    checks.push_back({where + ": |C_D / 5.5795 - 1|", "<= 0.01", drag_error,
                      settled && drag_error <= 0.01, run.advance.wall_seconds});
    if (quick_) return;
    checks.push_back({where + ": C_L", "[0.0104, 0.011]", run.last.lift,
                      run.advance.steady && run.last.lift >= 0.0104 && run.last.lift <= 0.0110,
                      0.0});
  }

  bool quick_ = false;
  std::string json_;
  CommonOptions common_;
};

}  // namespace

std::unique_ptr<Command> make_cfd_validate_command(CLI::App& cfd) {
  return std::make_unique<CfdValidateCommand>(cfd);
}

}  // namespace advect::app
