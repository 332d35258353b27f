// `advect cfd dataset cavity|cylinder|vorticity -o DIR --cases N`: surrogate training data in
// CFDBench's layout (fluids/Dataset.h makes each case, io/CfdBench.h writes it all or nothing).
// Each case's parameters come from (seed, case number) alone, so a rerun skips finished cases and
// redoes the rest identically.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>

#include "Command.h"
#include "FlowPrecision.h"
#include "MemoryBudget.h"
#include "NumberChecks.h"
#include "advect/engine/Progress.h"
#include "advect/fluids/Dataset.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CfdBench.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// "A:B" or a single value.
fluids::ValueRange parse_range(const std::string& text, const std::string& flag) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) return {std::stod(text), std::stod(text)};
    const fluids::ValueRange range{std::stod(text.substr(0, colon)),
                                   std::stod(text.substr(colon + 1))};
    if (range.low > range.high) throw std::invalid_argument("reversed");
    return range;
  } catch (const std::exception&) {
    throw CLI::ValidationError(flag, fmt::format("'{}' is not a value or a range A:B", text));
  }
}

class CfdDatasetCommand final : public Command {
 public:
  explicit CfdDatasetCommand(CLI::App& cfd) {
    app_ = cfd.add_subcommand("dataset",
                              "Cases in CFDBench's layout: DIR/caseNNNN/{u.npy, v.npy, case.json}");
    app_->add_option("problem", problem_,
                     "cavity (lid-driven unit square), cylinder (the DFG channel, 0.41 m x "
                     "2.2 m, parabolic inflow, one cylinder) or vorticity (the forced periodic "
                     "flow on the unit torus of Li et al. 2021, pseudo-spectral)")
        ->required()
        ->check(CLI::IsMember({"cavity", "cylinder", "vorticity"}));
    app_->add_option("-o,--output", output_, "Dataset directory (created if missing)")->required();
    app_->add_option("--cases", cases_, "Number of cases")
        ->required()
        ->check(CLI::Range(1, 100000));
    app_->add_option("--n", cells_,
                     "Cells per side (cavity, also the saved resolution), across the channel "
                     "(cylinder, a multiple of 8; saved as --size^2) or grid points per side of "
                     "the torus (vorticity; every (n / size)-th saved)")
        ->check(CLI::Range(8, 1024))
        ->capture_default_str();
    app_->add_option("--size", size_, "Cylinder, vorticity: saved points per side")
        ->check(CLI::Range(2, 4096))
        ->capture_default_str();
    app_->add_option("--frames", frames_, "Frames per case, the first at t = 0")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app_->add_option("--interval", interval_,
                     "Seconds between frames (default 0.1 cavity, 0.05 cylinder, 1 vorticity)")
        ->check(positive());
    app_->add_option("--lid", lid_, "Cavity: lid velocity range A:B, m/s (uniform)")
        ->capture_default_str();
    app_->add_option("--inflow", inflow_,
                     "Cylinder: mean inflow velocity range A:B, m/s (uniform; the profile is a "
                     "parabola with peak 1.5x)")
        ->capture_default_str();
    app_->add_option("--radius", radius_, "Cylinder: radius range A:B, m (uniform)")
        ->capture_default_str();
    app_->add_option("--center-x", centre_x_, "Cylinder: centre x range A:B, m (uniform)")
        ->capture_default_str();
    app_->add_option("--center-y", centre_y_, "Cylinder: centre y range A:B, m (uniform)")
        ->capture_default_str();
    app_->add_option("--density", density_, "Density range A:B, kg/m^3 (uniform)")
        ->capture_default_str();
    app_->add_option("--viscosity", viscosity_,
                     "Dynamic viscosity range A:B, Pa s (log-uniform; default 0.002:0.02 cavity, "
                     "0.001:0.004 cylinder)");
    app_->add_option("--spin-up", spin_up_, "Vorticity: seconds before the first frame")
        ->check(non_negative())
        ->capture_default_str();
    app_->add_option("--seed", seed_, "Seed of the parameter draws (and initial fields)")
        ->capture_default_str();
    add_precision_option(*app_, precision_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const fluids::DatasetOptions options = dataset_options();
    if (const auto problem = fluids::find_dataset_problem(options)) {
      throw CLI::ValidationError(flag_of(problem->option), problem->message);
    }
    // A case's frames are held at once, about three times over (fields, their .npy bytes, the
    // write); up to three fields (u, v and p or vorticity).
    const int saved = options.problem == fluids::DatasetProblem::cavity ? cells_ : size_;
    refuse_beyond_memory(3.0 * 3.0 * 4.0 * double(frames_) * double(saved) * double(saved),
                         fmt::format("one case of {} frames of {}^2", frames_, saved),
                         "--frames/--n/--size");
    fs::create_directories(output_);
    // Marks the folder unfinished until the last case is in (readers refuse it meanwhile); each
    // case folder is itself written all or nothing, so a rerun resumes where this one stopped.
    const fs::path marker = output_ / io::kIncompleteDatasetMarker;
    io::write_file_bytes(marker,
                         "advect cfd dataset is making this dataset (or was interrupted): "
                         "rerun the same command to finish it\n");
    ProgressBar bar(fmt::format("{} dataset", problem_), cases_, "cases",
                    show_progress(common_.quiet));
    const auto start = std::chrono::steady_clock::now();
    int made = 0, skipped = 0;
    for (int k = 0; k < cases_; ++k) {
      const fs::path folder = output_ / fmt::format("case{:04d}", k);
      if (fs::exists(folder / "case.json")) {
        ++skipped;
      } else {
        const fluids::DatasetCase made_case = fluids::make_dataset_case(options, k, device);
        io::write_cfdbench_case(folder, made_case.fields, made_case.height, made_case.width,
                                made_case.metadata.dump(2) + "\n");
        ++made;
      }
      bar.update(k + 1);
    }
    bar.finish();
    fs::remove(marker);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << fmt::format(
        "{} dataset in {}: {} cases made, {} already there; {} frames of {}^2 each, {:.1f} s, "
        "peak memory {:.0f} MiB\n",
        problem_, output_.string(), made, skipped, frames_, saved, seconds, peak_memory_mib());
    return 0;
  }

 private:
  fluids::DatasetOptions dataset_options() const {
    const fluids::DatasetProblem problem = problem_ == "cavity" ? fluids::DatasetProblem::cavity
                                           : problem_ == "cylinder"
                                               ? fluids::DatasetProblem::cylinder
                                               : fluids::DatasetProblem::vorticity;
    fluids::DatasetOptions o = fluids::dataset_defaults(problem);
    o.cells = cells_;
    o.size = size_;
    o.frames = frames_;
    if (interval_) o.interval = *interval_;
    o.lid = parse_range(lid_, "--lid");
    o.inflow = parse_range(inflow_, "--inflow");
    o.radius = parse_range(radius_, "--radius");
    o.centre_x = parse_range(centre_x_, "--center-x");
    o.centre_y = parse_range(centre_y_, "--center-y");
    o.density = parse_range(density_, "--density");
    if (viscosity_) o.viscosity = parse_range(*viscosity_, "--viscosity");
    o.spin_up = spin_up_;
    o.seed = seed_;
    o.precision = precision_ == "float" ? fluids::Precision::float32 : fluids::Precision::float64;
    return o;
  }

  // The command-line flag of a fluids::DatasetOptions field, for one-line refusals.
  static std::string flag_of(const std::string& option) {
    if (option == "cells") return "--n";
    if (option == "radius/centre_x/centre_y") return "--radius/--center-x/--center-y";
    if (option == "centre_x") return "--center-x";
    if (option == "centre_y") return "--center-y";
    return "--" + option;
  }

  std::string problem_;
  fs::path output_;
  int cases_ = 0, cells_ = 64, size_ = 64, frames_ = 20;
  std::optional<double> interval_;
  std::string lid_ = "0.5:2", inflow_ = "0.2:1", radius_ = "0.03:0.06", centre_x_ = "0.15:0.3",
              centre_y_ = "0.15:0.26", density_ = "1";
  std::optional<std::string> viscosity_;
  double spin_up_ = 10.0;
  std::uint64_t seed_ = 0;
  std::string precision_ = "double";
  CommonOptions common_;
};

}  // namespace

std::unique_ptr<Command> make_cfd_dataset_command(CLI::App& cfd) {
  return std::make_unique<CfdDatasetCommand>(cfd);
}

}  // namespace advect::app
