// `advect cfd run cavity|cylinder`: the lid-driven cavity (compared with Ghia et al. 1982) or the
// DFG cylinder (compared with Schafer & Turek 1996) on the MAC solver, to a steady state or a
// given time, with ParaView fields, pictures, and the case's own measurements.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "Command.h"
#include "FlowPrecision.h"
#include "MemoryBudget.h"
#include "NumberChecks.h"
#include "ResidualBar.h"
#include "advect/engine/Log.h"
#include "advect/engine/Progress.h"
#include "advect/fluids/Cavity.h"
#include "advect/fluids/CylinderRun.h"
#include "advect/fluids/DfgCylinder.h"
#include "advect/fluids/FlowAdvance.h"
#include "advect/fluids/Ghia1982.h"
#include "advect/fluids/MacFlow.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/FlowSnapshots.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/VtkFiles.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// One row of a comparison with a published value or interval.
std::string reference_row(const std::string& name, double ours, double low, double high) {
  const bool inside = ours >= low && ours <= high;
  const std::string reference =
      low == high ? fmt::format("{:.5f}", low) : fmt::format("[{:.4f}, {:.4f}]", low, high);
  const double centre = 0.5 * (low + high);
  return fmt::format("  {:<9} {:>10.5f}   {:<18} {:+7.2f}%  {}\n", name, ours, reference,
                     100.0 * (ours - centre) / std::abs(centre),
                     low == high ? "" : (inside ? "inside" : "OUTSIDE"));
}

class CfdRunCommand final : public Command {
 public:
  explicit CfdRunCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "run",
        "Run a flow case: fields_*.vti + fields.pvd, speed.png, vorticity.png, summary.json "
        "(cavity: centerline_u.csv, centerline_v.csv; cylinder: forces.csv)");
    app_->add_option("problem", problem_,
                     "cavity: lid-driven unit square, lid speed 1 m/s; cylinder: the DFG "
                     "benchmark channel (Schafer & Turek 1996)")
        ->required()
        ->check(CLI::IsMember({"cavity", "cylinder"}));
    app_->add_option("--case", dfg_case_, "Cylinder case: dfg-2d-1 (Re 20) or dfg-2d-2 (Re 100)")
        ->check(CLI::IsMember({"dfg-2d-1", "dfg-2d-2"}))
        ->capture_default_str();
    app_->add_option("--re", reynolds_, "Cavity Reynolds number U L / nu")
        ->check(positive())
        ->capture_default_str();
    app_->add_option("--n", cells_,
                     "Cells per side (cavity, default 128) or across the channel (cylinder, a "
                     "multiple of 8, default 128)")
        ->check(CLI::Range(8, 4096));
    app_->add_option("--until", until_, "steady: run until max |du/dt| < --steady-tol")
        ->check(CLI::IsMember({"steady"}));
    app_->add_option("--t-end", t_end_,
                     "Run to this simulated time, s (instead of --until; dfg-2d-2 default 10)")
        ->check(positive());
    app_->add_option("--steady-tol", steady_tol_, "Steady when max |du/dt| falls below, m/s^2")
        ->check(positive());
    app_->add_option("--t-max", t_max_, "Give up on a steady state after this time, s")
        ->check(positive())
        ->capture_default_str();
    app_->add_option("--frames", frames_, "Snapshots written with --t-end (evenly spaced)")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    app_->add_option("--advection", advection_, "central or quick")
        ->check(CLI::IsMember({"central", "quick"}))
        ->capture_default_str();
    add_precision_option(*app_, precision_);
    app_->add_option("--pressure-rtol", pressure_rtol_,
                     "Relative residual of each projection's pressure solve (default 1e-11; "
                     "float: 1e-6, its least)")
        ->check(between(1e-14, 1e-2));
    app_->add_option("-o,--output", output_, "Output directory (created if missing)")->required();
    app_->get_option("--t-end")->excludes(app_->get_option("--until"));
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const bool cavity = problem_ == "cavity";
    const fluids::DfgCase dfg =
        dfg_case_ == "dfg-2d-2" ? fluids::DfgCase::periodic_re100 : fluids::DfgCase::steady_re20;
    const int n = cells_.value_or(128);
    if (!cavity && (n < 32 || n % 8 != 0)) {
      throw std::invalid_argument(
          fmt::format("--n {}: the cylinder channel needs a multiple of 8, at least 32", n));
    }
    // The periodic cylinder has no steady state: it runs to a time.
    const bool periodic = !cavity && dfg == fluids::DfgCase::periodic_re100;
    if (periodic && !t_end_ && !until_.empty()) {
      throw std::invalid_argument("--until steady: dfg-2d-2 is periodic; give --t-end");
    }
    if (periodic && !t_end_) t_end_ = 10.0;
    const fluids::FlowDomain domain =
        cavity ? fluids::lid_driven_cavity(n) : fluids::dfg_channel(dfg, n);
    warn_if_slow_multigrid(domain);
    fluids::FlowOptions options;
    options.viscosity = cavity ? 1.0 / reynolds_ : fluids::dfg::kViscosity;
    apply_precision(precision_, pressure_rtol_, options.pressure_rtol, options);
    options.advection =
        advection_ == "quick" ? fluids::Advection::quick : fluids::Advection::central;
    fluids::MacFlow flow(domain, options, device);
    io::OutputFolder folder(output_);
    write_dir_ = folder.path();

    const bool steady = !t_end_.has_value();
    const double horizon = steady ? t_max_ : *t_end_;
    const double tolerance = steady_tol_.value_or(cavity ? 1e-4 : 1e-5);
    const std::string title =
        cavity ? fmt::format("cavity Re {:g} {}^2", reynolds_, n)
               : fmt::format("DFG {} {}x{}", dfg_case_, flow.geometry().nx, flow.geometry().ny);
    ProgressBar bar(title, horizon, "s", show_progress(common_.quiet));
    std::vector<double> stops;
    for (int k = 1; !steady && k <= frames_; ++k) stops.push_back(k * horizon / frames_);
    std::vector<io::TimeStepFile> snapshots;
    const auto on_stop = [&](const fluids::MacFlow& f) {
      snapshots.push_back(io::write_flow_snapshot(f, write_dir_, int(snapshots.size())));
    };
    const double steady_tol = steady ? tolerance : 0.0;
    std::optional<fluids::CylinderRun> cylinder;
    fluids::FlowAdvance run;
    if (cavity) {
      run = fluids::advance(flow, horizon, steady_tol, stops, on_stop, residual_bar(bar));
    } else {
      cylinder =
          fluids::run_cylinder(flow, dfg, horizon, steady_tol, stops, on_stop, residual_bar(bar));
      run = cylinder->advance;
    }
    bar.finish();
    if (steady) on_stop(flow);
    io::write_pvd(write_dir_ / "fields.pvd", snapshots);

    const fluids::MacGeometry& g = flow.geometry();
    const double cell_steps = double(run.steps) * g.nx * g.ny;
    std::cout << fmt::format(
        "{} ({}, {}): {} steps to t = {:.3f} s in {:.1f} s ({:.3f} us per cell-step), {}max "
        "|du/dt| {:.2e} m/s^2, max |div u| {:.1e} 1/s\n",
        title, advection_, precision_, run.steps, flow.time(), run.wall_seconds,
        1e6 * run.wall_seconds / cell_steps,
        steady ? (run.steady ? "steady, " : "NOT steady by --t-max, ") : "", run.residual,
        run.last.max_divergence);
    nlohmann::json summary = {{"case", cavity ? "cavity" : dfg_case_},
                              {"nx", g.nx},
                              {"ny", g.ny},
                              {"h", g.h},
                              {"advection", advection_},
                              {"precision", precision_},
                              {"pressure_rtol", options.pressure_rtol},
                              {"device", device.name()},
                              {"steps", run.steps},
                              {"simulated_time", flow.time()},
                              {"wall_seconds", run.wall_seconds},
                              {"microseconds_per_cell_step", 1e6 * run.wall_seconds / cell_steps},
                              {"steady", run.steady},
                              {"peak_memory_mib", peak_memory_mib()},
                              {"final",
                               {{"max_du_dt", run.residual},
                                {"max_divergence", run.last.max_divergence},
                                {"pressure_iterations", run.last.pressure_iterations}}}};
    std::vector<std::string> files = {"fields.pvd", "speed.png", "vorticity.png"};
    if (cavity) {
      summary["re"] = reynolds_;
      report_cavity(flow, summary, files);
      io::plot_flow(flow, write_dir_, fmt::format("lid-driven cavity, Re {:g}, {}^2", reynolds_, n),
                    3.0);
    } else {
      report_cylinder(*cylinder, dfg, summary, files);
      io::plot_flow(flow, write_dir_, fmt::format("DFG {}, {} cells across", dfg_case_, n), 1.0);
    }
    files.push_back("summary.json");
    for (const std::string& file : files) summary["files"].push_back((output_ / file).string());
    io::write_file_bytes(write_dir_ / "summary.json", summary.dump(2) + "\n");
    folder.commit();
    std::string listed;
    for (const std::string& file : files) listed += (listed.empty() ? "" : ", ") + file;
    std::cout << fmt::format("wrote {}/{{fields_*.vti, {}}}\n", output_.string(), listed);
    return 0;
  }

 private:
  // Multigrid halves the grid while both sizes are even; what is left is relaxed directly, which
  // is slow when it is large.
  static void warn_if_slow_multigrid(const fluids::FlowDomain& domain) {
    int nx = domain.nx, ny = domain.ny;
    while (nx % 2 == 0 && ny % 2 == 0 && nx / 2 >= 2 && ny / 2 >= 2) {
      nx /= 2;
      ny /= 2;
    }
    if (nx * ny > 1024) {
      log().warn(
          "a {} x {} grid coarsens only to {} x {}, which makes the pressure solve slow; sizes "
          "with a large power of two (64, 96, 128, 192, 256) are much faster",
          domain.nx, domain.ny, nx, ny);
    }
  }

  void report_cavity(const fluids::MacFlow& flow, nlohmann::json& summary,
                     std::vector<std::string>& files) const {
    io::write_centre_lines(write_dir_, flow);
    files.insert(files.end(), {"centerline_u.csv", "centerline_v.csv"});
    const std::optional<fluids::ghia1982::Table> ghia = fluids::ghia1982::table_for(reynolds_);
    if (!ghia) return;
    const fluids::GhiaComparison c = fluids::compare_with_ghia(flow, *ghia);
    std::cout << "   y      u       u_Ghia    diff  |    x      v       v_Ghia    diff\n";
    for (std::size_t k = 0; k < 15; ++k) {
      std::cout << fmt::format("{:.4f} {:8.5f} {:8.5f} {:8.5f} | {:.4f} {:8.5f} {:8.5f} {:8.5f}\n",
                               fluids::ghia1982::kY[k], c.u[k], ghia->u[k], c.u[k] - ghia->u[k],
                               fluids::ghia1982::kX[k], c.v[k], ghia->v[k], c.v[k] - ghia->v[k]);
    }
    std::cout << fmt::format(
        "max |u - u_Ghia| {:.4f}, max |v - v_Ghia| {:.4f} over the 15 interior stations "
        "(Ghia, Ghia & Shin 1982)\n",
        c.max_u_error, c.max_v_error);
    summary["ghia"] = {{"max_u_error", c.max_u_error}, {"max_v_error", c.max_v_error}};
  }

  void report_cylinder(const fluids::CylinderRun& run, fluids::DfgCase dfg, nlohmann::json& summary,
                       std::vector<std::string>& files) const {
    io::write_force_history(write_dir_ / "forces.csv", run.history);
    files.push_back("forces.csv");
    const fluids::DfgCoefficients& c = run.last;
    summary["cd"] = c.drag;
    summary["cl"] = c.lift;
    summary["delta_p"] = c.delta_p;
    summary["reynolds"] =
        fluids::dfg_mean_inflow(dfg) * fluids::dfg::kDiameter / fluids::dfg::kViscosity;
    std::cout << "  quantity        ours   reference          difference\n";
    if (dfg == fluids::DfgCase::steady_re20) {
      namespace d = fluids::dfg;
      std::cout << reference_row("C_D", c.drag, d::kDrag2D1, d::kDrag2D1)
                << reference_row("C_L", c.lift, d::kLift2D1, d::kLift2D1)
                << reference_row("Delta_p", c.delta_p, d::kDeltaP2D1, d::kDeltaP2D1)
                << "  (reference: FeatFlow's values for DFG 2D-1, Schafer & Turek 1996)\n";
      return;
    }
    const fluids::DfgPeriodic& p = run.periodic;
    if (!p.periodic) {
      std::cout << fmt::format(
          "  no periodic shedding yet (fewer than {} lift periods): run longer (--t-end)\n",
          p.periods + 1);
      summary["periodic"] = false;
      return;
    }
    namespace d = fluids::dfg;
    std::cout << reference_row("C_D,max", p.drag_max, d::kDragMax2D2[0], d::kDragMax2D2[1])
              << reference_row("C_L,max", p.lift_max, d::kLiftMax2D2[0], d::kLiftMax2D2[1])
              << reference_row("St", p.strouhal, d::kStrouhal2D2[0], d::kStrouhal2D2[1])
              << reference_row("Delta_p", p.delta_p, d::kDeltaP2D2[0], d::kDeltaP2D2[1])
              << fmt::format(
                     "  (over the last {} lift periods; intervals of Schafer & Turek 1996; "
                     "Delta_p half a period after the lift maximum)\n",
                     p.periods);
    summary["periodic"] = true;
    summary["cd_max"] = p.drag_max;
    summary["cl_max"] = p.lift_max;
    summary["strouhal"] = p.strouhal;
    summary["frequency"] = p.frequency;
    summary["delta_p_half_period"] = p.delta_p;
  }

  std::string problem_, dfg_case_ = "dfg-2d-1";
  double reynolds_ = 100.0;
  std::optional<int> cells_;
  std::string until_;
  std::optional<double> t_end_, steady_tol_;
  double t_max_ = 200.0;
  int frames_ = 10;
  std::string advection_ = "central";
  std::string precision_ = "double";
  std::optional<double> pressure_rtol_;
  fs::path output_;
  fs::path write_dir_;  // output_'s staging folder while the run writes
  CommonOptions common_;
};

}  // namespace

void add_cfd_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands) {
  CLI::App* cfd = parent.add_subcommand("cfd", "Fluid simulation: classic benchmark cases");
  cfd->require_subcommand(1);
  commands.push_back(std::make_unique<CfdRunCommand>(*cfd));
  commands.push_back(make_cfd_dataset_command(*cfd));
  commands.push_back(make_cfd_validate_command(*cfd));
}

}  // namespace advect::app
