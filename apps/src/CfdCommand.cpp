// `advect cfd run cavity`: the lid-driven cavity on the MAC solver, to a steady state or a given
// time, with ParaView fields, pictures, centre lines and the comparison with Ghia et al. (1982).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "CavityCase.h"
#include "Command.h"
#include "FieldPlot.h"
#include "advect/engine/Log.h"
#include "advect/engine/OdeSolver.h"
#include "advect/engine/Progress.h"
#include "advect/fluids/Ghia1982.h"
#include "advect/fluids/GridVelocityField.h"
#include "advect/fluids/MacFlow.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/VtkFiles.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// Streamlines of the cell-centred velocity from a 12 x 12 grid of seeds, integrated for `span`
// seconds with RK4 through the shared integrator.
std::vector<std::vector<double>> streamlines(const fluids::MacFlow& flow, double span) {
  const fluids::MacGeometry& g = flow.geometry();
  const std::vector<double> cells = flow.cell_velocity();
  std::vector<double> velocity;
  for (std::size_t k = 0; k < cells.size(); k += 2) {
    velocity.insert(velocity.end(), {cells[k], cells[k + 1], 0.0});
  }
  const fluids::GridVelocityField field({g.nx, g.ny, 1}, {0.5 * g.h, 0.5 * g.h, 0.0},
                                        {g.h, g.h, 1.0}, velocity, Device::cpu());
  constexpr int kSeeds = 12, kOutputs = 200;
  std::vector<double> seeds;
  for (int j = 0; j < kSeeds; ++j) {
    for (int i = 0; i < kSeeds; ++i) {
      seeds.insert(seeds.end(),
                   {(i + 0.5) / kSeeds * g.nx * g.h, (j + 0.5) / kSeeds * g.ny * g.h, 0.0});
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

class CfdRunCommand final : public Command {
 public:
  explicit CfdRunCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "run",
        "Run a flow case: fields_*.vti + fields.pvd, speed.png, vorticity.png, "
        "summary.json (cavity: centerline_u.csv, centerline_v.csv)");
    app_->add_option("case", case_, "Flow case (cavity: lid-driven unit square, lid speed 1 m/s)")
        ->required()
        ->check(CLI::IsMember({"cavity"}));
    app_->add_option("--re", reynolds_, "Reynolds number U L / nu")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--n", cells_, "Cells per side")
        ->check(CLI::Range(8, 4096))
        ->capture_default_str();
    app_->add_option("--until", until_, "steady: run until max |du/dt| < --steady-tol")
        ->check(CLI::IsMember({"steady"}));
    app_->add_option("--t-end", t_end_, "Run to this simulated time, s (instead of --until)")
        ->check(CLI::PositiveNumber);
    app_->add_option("--steady-tol", steady_tol_, "Steady when max |du/dt| falls below, m/s^2")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--t-max", t_max_, "Give up on a steady state after this time, s")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--frames", frames_, "Snapshots written with --t-end (evenly spaced)")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    app_->add_option("--advection", advection_, "central or quick")
        ->check(CLI::IsMember({"central", "quick"}))
        ->capture_default_str();
    app_->add_option("--pressure-rtol", pressure_rtol_,
                     "Relative residual of each projection's pressure solve")
        ->check(CLI::Range(1e-14, 1e-2))
        ->capture_default_str();
    app_->add_option("-o,--output", output_, "Output directory (created if missing)")->required();
    app_->get_option("--t-end")->excludes(app_->get_option("--until"));
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    // Multigrid halves the grid while the size is even; what is left is relaxed directly, which
    // is slow when it is large.
    int coarsest = cells_;
    while (coarsest % 2 == 0 && coarsest / 2 >= 2) coarsest /= 2;
    if (coarsest > 16) {
      log().warn(
          "--n {} coarsens only to {}^2, which makes the pressure solve slow; sizes with a "
          "large power of two (64, 96, 128, 192, 256) are much faster",
          cells_, coarsest);
    }
    const fluids::FlowDomain domain = fluids::lid_driven_cavity(cells_);
    fluids::FlowOptions options;
    options.viscosity = 1.0 / reynolds_;
    options.pressure_rtol = pressure_rtol_;
    options.advection =
        advection_ == "quick" ? fluids::Advection::quick : fluids::Advection::central;
    fluids::MacFlow flow(domain, options, device);
    fs::create_directories(output_);

    const bool steady = !t_end_.has_value();
    const double horizon = steady ? t_max_ : *t_end_;
    ProgressBar bar(fmt::format("cavity Re {:g} {}^2", reynolds_, cells_), horizon, "s",
                    show_progress(common_.quiet));
    std::vector<double> stops;
    for (int k = 1; !steady && k <= frames_; ++k) stops.push_back(k * horizon / frames_);
    std::vector<io::TimeStepFile> snapshots;
    const CavityAdvance run = advance(
        flow, horizon, steady ? steady_tol_ : 0.0, stops,
        [&](const fluids::MacFlow& f) {
          snapshots.push_back(write_snapshot(f, int(snapshots.size())));
        },
        &bar);
    if (steady) snapshots.push_back(write_snapshot(flow, 0));
    io::write_pvd(output_ / "fields.pvd", snapshots);
    report(flow, run, device, steady);
    return 0;
  }

 private:
  io::TimeStepFile write_snapshot(const fluids::MacFlow& flow, int index) const {
    const fluids::MacGeometry& g = flow.geometry();
    const std::vector<double> cells = flow.cell_velocity();
    std::vector<double> velocity;
    for (std::size_t k = 0; k < cells.size(); k += 2) {
      velocity.insert(velocity.end(), {cells[k], cells[k + 1], 0.0});
    }
    io::GridGeometry grid;
    grid.dims = {g.nx, g.ny, 1};
    grid.origin = {0.5 * g.h, 0.5 * g.h, 0.0};
    grid.spacing = {g.h, g.h, 1.0};
    const std::string name = fmt::format("fields_{:04d}.vti", index);
    io::write_vti(output_ / name, grid,
                  {{"velocity", 3, velocity},
                   {"pressure", 1, flow.pressure()},
                   {"vorticity", 1, flow.vorticity()},
                   {"divergence", 1, flow.divergence()}});
    return {flow.time(), name};
  }

  void report(const fluids::MacFlow& flow, const CavityAdvance& run, const Device& device,
              bool steady) const {
    const std::int64_t steps = run.steps;
    const double wall = run.wall_seconds, residual = run.residual;
    const fluids::StepReport& last = run.last;
    const fluids::MacGeometry& g = flow.geometry();
    // Centre lines on the grid's own points, walls included.
    const CentreLines lines = centre_lines(flow);
    std::string u_csv = "y,u\n0,0\n", v_csv = "x,v\n0,0\n";
    for (int j = 0; j < g.ny; ++j)
      u_csv += fmt::format("{},{}\n", (j + 0.5) * g.h, lines.u[std::size_t(j)]);
    for (int i = 0; i < g.nx; ++i)
      v_csv += fmt::format("{},{}\n", (i + 0.5) * g.h, lines.v[std::size_t(i)]);
    u_csv += "1,1\n";
    v_csv += "1,0\n";
    io::write_file_bytes(output_ / "centerline_u.csv", u_csv);
    io::write_file_bytes(output_ / "centerline_v.csv", v_csv);

    // Pictures: speed with streamlines, vorticity (range clipped at its 99th percentile).
    const std::vector<double> cells = flow.cell_velocity();
    CellImage speed{g.nx, g.ny, g.h, {}, 0.0, 1.0, "|u| / (m/s)"};
    for (std::size_t k = 0; k < cells.size(); k += 2) {
      speed.values.push_back(std::hypot(cells[k], cells[k + 1]));
    }
    speed.high = *std::max_element(speed.values.begin(), speed.values.end());
    plot_cells(output_ / "speed.png", speed, streamlines(flow, 3.0),
               fmt::format("lid-driven cavity, Re {:g}, {}^2, t = {:.2f} s: speed and streamlines",
                           reynolds_, g.nx, flow.time()));
    CellImage vorticity{g.nx,     g.ny, g.h, flow.vorticity(), 0.0, 0.0, "vorticity / (1/s)",
                        cool_warm};
    std::vector<double> magnitude;
    for (const double w : vorticity.values) magnitude.push_back(std::abs(w));
    const auto p99 = magnitude.begin() + std::ptrdiff_t(0.99 * double(magnitude.size() - 1));
    std::nth_element(magnitude.begin(), p99, magnitude.end());
    vorticity.low = -*p99;
    vorticity.high = *p99;
    plot_cells(output_ / "vorticity.png", vorticity, {},
               fmt::format("lid-driven cavity, Re {:g}, {}^2: vorticity", reynolds_, g.nx));

    const double cell_steps = double(steps) * g.nx * g.ny;
    nlohmann::json summary = {{"case", case_},
                              {"re", reynolds_},
                              {"n", g.nx},
                              {"advection", advection_},
                              {"pressure_rtol", pressure_rtol_},
                              {"device", device.name()},
                              {"steps", steps},
                              {"simulated_time", flow.time()},
                              {"wall_seconds", wall},
                              {"microseconds_per_cell_step", 1e6 * wall / cell_steps},
                              {"steady", run.steady},
                              {"final",
                               {{"max_du_dt", residual},
                                {"max_divergence", last.max_divergence},
                                {"pressure_iterations", last.pressure_iterations}}}};
    const std::optional<fluids::ghia1982::Table> ghia = fluids::ghia1982::table_for(reynolds_);
    std::cout << fmt::format(
        "cavity Re {:g}, {}^2 ({}): {} steps to t = {:.3f} s in {:.1f} s ({:.3f} us per "
        "cell-step), {}max |du/dt| {:.2e} m/s^2, max |div u| {:.1e} 1/s\n",
        reynolds_, g.nx, advection_, steps, flow.time(), wall, 1e6 * wall / cell_steps,
        steady ? (run.steady ? "steady, " : "NOT steady by --t-max, ") : "", residual,
        last.max_divergence);
    if (ghia) {
      const GhiaComparison c = compare_with_ghia(flow, *ghia);
      std::cout << "   y      u       u_Ghia    diff  |    x      v       v_Ghia    diff\n";
      for (std::size_t k = 0; k < 15; ++k) {
        std::cout << fmt::format(
            "{:.4f} {:8.5f} {:8.5f} {:8.5f} | {:.4f} {:8.5f} {:8.5f} {:8.5f}\n",
            fluids::ghia1982::kY[k], c.u[k], ghia->u[k], c.u[k] - ghia->u[k],
            fluids::ghia1982::kX[k], c.v[k], ghia->v[k], c.v[k] - ghia->v[k]);
      }
      std::cout << fmt::format(
          "max |u - u_Ghia| {:.4f}, max |v - v_Ghia| {:.4f} over the 15 interior stations "
          "(Ghia, Ghia & Shin 1982)\n",
          c.max_u_error, c.max_v_error);
      summary["ghia"] = {{"max_u_error", c.max_u_error}, {"max_v_error", c.max_v_error}};
    }
    const std::vector<std::string> files = {"fields.pvd",       "speed.png",        "vorticity.png",
                                            "centerline_u.csv", "centerline_v.csv", "summary.json"};
    for (const std::string& file : files) summary["files"].push_back((output_ / file).string());
    io::write_file_bytes(output_ / "summary.json", summary.dump(2) + "\n");
    std::cout << fmt::format(
        "wrote {}/{{fields_*.vti, fields.pvd, speed.png, vorticity.png, "
        "centerline_u.csv, centerline_v.csv, summary.json}}\n",
        output_.string());
  }

  std::string case_;
  double reynolds_ = 100.0;
  int cells_ = 128;
  std::string until_ = "steady";
  std::optional<double> t_end_;
  double steady_tol_ = 1e-4, t_max_ = 200.0;
  int frames_ = 10;
  std::string advection_ = "central";
  double pressure_rtol_ = fluids::FlowOptions{}.pressure_rtol;
  fs::path output_;
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
