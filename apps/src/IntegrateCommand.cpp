// `advect integrate`: advect seed points through an analytic field with the batched ODE solver and
// write the final points, the trajectories and a summary.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "Command.h"
#include "FieldOptions.h"
#include "MemoryBudget.h"
#include "NumberChecks.h"
#include "advect/engine/Log.h"
#include "advect/engine/OdeSolver.h"
#include "advect/engine/Progress.h"
#include "advect/engine/TimeGrid.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/PointCloudIO.h"
#include "advect/io/TrajectoryPlot.h"
#include "advect/io/VtkFiles.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// n points on a regular grid filling `box` ([xmin, xmax, ymin, ymax, zmin, zmax]), state-major.
std::vector<double> seed_grid(const std::array<int, 3>& counts, const std::array<double, 6>& box) {
  std::vector<double> points;
  const auto coordinate = [&](int axis, int i) {
    const double lo = box[std::size_t(2 * axis)], hi = box[std::size_t(2 * axis + 1)];
    return counts[std::size_t(axis)] == 1 ? 0.5 * (lo + hi)
                                          : lo + (hi - lo) * i / (counts[std::size_t(axis)] - 1);
  };
  for (int k = 0; k < counts[2]; ++k) {
    for (int j = 0; j < counts[1]; ++j) {
      for (int i = 0; i < counts[0]; ++i) {
        points.insert(points.end(), {coordinate(0, i), coordinate(1, j), coordinate(2, k)});
      }
    }
  }
  return points;
}

class IntegrateCommand final : public Command {
 public:
  explicit IntegrateCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "integrate",
        "Advect points through an analytic velocity field; write final points, "
        "trajectories (.vtp), a top-view picture and summary.json");
    app_->add_option("input", input_,
                     "Seed points (.ply .pcd .xyz .bin .npy); default: a grid (--grid)")
        ->check(CLI::ExistingFile);
    app_->add_option("-o,--output", output_, "Output directory (created if missing)")->required();
    app_->add_option("--grid", grid_, "Seed grid points per axis NX NY NZ (without an input file)")
        ->expected(3)
        ->check(positive());
    app_->add_option("--box", box_,
                     "Seed grid box xmin xmax ymin ymax zmin zmax, m (default: the field's domain)")
        ->expected(6);
    fields_.add_to(*app_);
    app_->add_option("--method", method_, "euler, heun, midpoint, rk4, bs3 or dopri5")
        ->check(
            CLI::IsMember({"euler", "heun", "midpoint", "rk4", "bs3", "dopri5", "rk23", "rk45"}))
        ->capture_default_str();
    app_->add_option("--t0", t0_, "Start time, s")->capture_default_str();
    app_->add_option(
        "--t1", t1_,
        "End time, s (before t0 integrates backward; default: the field's natural span)");
    app_->add_option("--outputs", outputs_,
                     "Number of output times from t0 to t1 (trajectory vertices)")
        ->check(CLI::Range(2, 1000000))
        ->capture_default_str();
    app_->add_option("--step", step_,
                     "Fixed-step methods: step, s (default: span / 1000); adaptive: first step");
    app_->add_option("--rtol", rtol_, "Adaptive methods: relative tolerance")
        ->check(non_negative())
        ->capture_default_str();
    app_->add_option("--atol", atol_, "Adaptive methods: absolute tolerance, m")
        ->check(non_negative())
        ->capture_default_str();
    app_->add_option("--norm", norm_,
                     "Adaptive error norm: max-state (every point meets rtol) or rms")
        ->check(CLI::IsMember({"max-state", "rms"}))
        ->capture_default_str();
    app_->add_option("--max-steps", max_steps_, "Give up after this many steps")
        ->check(positive())
        ->capture_default_str();
    app_->add_option("--format", format_, "Final points file: ply or npy")
        ->check(CLI::IsMember({"ply", "npy"}))
        ->capture_default_str();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const auto field = fields_.make();
    const std::vector<double> seeds = load_seeds();
    const std::size_t n = seeds.size() / 3;
    const double t1 = t1_.value_or(t0_ + fields_.default_duration());
    if (t1 == t0_) throw CLI::ValidationError("--t1", "must differ from --t0");
    const std::vector<double> times = evenly_spaced_times(t0_, t1, std::size_t(outputs_));
    check_memory(n, times.size());

    OdeOptions options;
    options.method = *parse_ode_method(method_);
    options.rtol = rtol_;
    options.atol = atol_;
    options.norm = norm_ == "rms" ? ErrorNorm::rms : ErrorNorm::max_state_rms;
    options.max_steps = max_steps_;
    options.step = step_.value_or(is_adaptive(options.method) ? 0.0 : std::fabs(t1 - t0_) / 1000.0);
    log().debug("{} points through {} with {} on {}", n, field->describe(),
                to_string(options.method), device.name());

    ProgressBar progress("integrate", std::fabs(t1 - t0_), "s", show_progress(common_.quiet));
    options.on_step = [&](double t) { progress.update(std::fabs(t - t0_)); };
    const auto start = std::chrono::steady_clock::now();
    const OdeResult result =
        integrate(*field, Buffer<double>::from_host(seeds, device), times, options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.finish();
    if (!result.ok()) {
      log().error("integration failed ({}): {}", to_string(result.status), result.message);
      return 2;
    }
    return write_outputs(*field, result, times, n, seconds, device);
  }

 private:
  std::vector<double> load_seeds() const {
    if (!input_.empty()) {
      if (!grid_.empty())
        throw CLI::ValidationError("--grid", "give either an input file or --grid, not both");
      const geometry::PointCloud cloud = io::read_point_cloud(input_);
      return {cloud.positions.begin(), cloud.positions.end()};
    }
    const std::array<int, 3> counts = grid_.empty()
                                          ? std::array<int, 3>{64, 32, 1}
                                          : std::array<int, 3>{grid_[0], grid_[1], grid_[2]};
    std::array<double, 6> box = fields_.default_box();
    if (!box_.empty()) std::copy(box_.begin(), box_.end(), box.begin());
    return seed_grid(counts, box);
  }

  // Every output time's states come back to the host and are copied about three times while the
  // trajectory file is written: refuse early, with numbers, rather than fail in an allocation.
  static void check_memory(std::size_t n, std::size_t outputs) {
    refuse_beyond_memory(3.0 * double(n) * 3.0 * sizeof(double) * double(outputs),
                         fmt::format("{} points x {} output times", n, outputs),
                         "--outputs/--grid");
  }

  int write_outputs(const VectorField& field, const OdeResult& result,
                    const std::vector<double>& times, std::size_t n, double seconds,
                    const Device& device) const {
    io::OutputFolder folder(output_);
    const std::vector<double> states = result.states.to_host();
    const std::size_t last = (times.size() - 1) * 3 * n;
    geometry::PointCloud final_points;
    final_points.positions.assign(states.begin() + std::ptrdiff_t(last), states.end());
    const fs::path points_file = output_ / ("final." + format_);
    const fs::path trajectories_file = output_ / "trajectories.vtp";
    const fs::path picture_file = output_ / "trajectories.png";
    const fs::path summary_file = output_ / "summary.json";
    // Written into the staging folder under these names; the summary names the final paths.
    const auto staged = [&](const fs::path& file) { return folder / file.filename(); };
    io::write_point_cloud(staged(points_file), final_points);
    io::write_vtp_trajectories(staged(trajectories_file), states, times);
    io::plot_trajectories_top_view(staged(picture_file), states, times, field.describe());

    const OdeStats& stats = result.stats;
    nlohmann::json summary = {{"field", field.describe()},
                              {"method", method_},
                              {"device", device.name()},
                              {"points", n},
                              {"t0", times.front()},
                              {"t1", times.back()},
                              {"outputs", times.size()},
                              {"rtol", rtol_},
                              {"atol", atol_},
                              {"accepted_steps", stats.accepted_steps},
                              {"rejected_steps", stats.rejected_steps},
                              {"field_evaluations", stats.field_evaluations},
                              {"wall_seconds", seconds},
                              {"point_steps_per_second",
                               double(n) * double(stats.accepted_steps) / std::max(seconds, 1e-9)},
                              {"files",
                               {points_file.string(), trajectories_file.string(),
                                picture_file.string(), summary_file.string()}}};
    io::write_file_bytes(staged(summary_file), summary.dump(2) + "\n");
    folder.commit();

    std::cout << fmt::format(
        "integrated {} points with {} from t = {:g} s to {:g} s: {} steps ({} rejected), {} field "
        "evaluations, "
        "{:.3f} s on {} ({:.3g} point-steps/s)\n",
        n, method_, times.front(), times.back(), stats.accepted_steps, stats.rejected_steps,
        stats.field_evaluations, seconds, device.name(),
        summary["point_steps_per_second"].get<double>());
    std::cout << fmt::format(
        "wrote {} (final points), {} ({} trajectories x {} times), {} (top view), {}\n",
        points_file.string(), trajectories_file.string(), n, times.size(), picture_file.string(),
        summary_file.string());
    return 0;
  }

  fs::path input_, output_;
  std::vector<int> grid_;
  std::vector<double> box_;
  FieldOptions fields_;
  std::string method_ = "dopri5", norm_ = "max-state", format_ = "ply";
  double t0_ = 0.0, rtol_ = 1e-6, atol_ = 1e-9;
  std::optional<double> t1_, step_;
  int outputs_ = 101;
  std::int64_t max_steps_ = 1'000'000;
  CommonOptions common_;
};

}  // namespace

std::unique_ptr<Command> make_integrate_command(CLI::App& parent) {
  return std::make_unique<IntegrateCommand>(parent);
}

}  // namespace advect::app
