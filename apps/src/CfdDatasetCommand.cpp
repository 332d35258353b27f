// `advect cfd dataset cavity|cylinder|vorticity -o DIR --cases N`: training data for neural
// surrogates in CFDBench's layout (Luo, Chen & Zhang 2023): DIR/caseNNNN/u.npy and v.npy (and
// vorticity.npy for the torus), float32 (T, H, W) = (frames, points along y, points along x),
// row 0 at the bottom, and case.json with the physical parameters. The cavity is saved on its own
// cells; the cylinder channel resampled (bilinear) to H x W points at the centres of an even grid
// over the whole channel; the torus on every (n / size)-th grid point.
// Each case's parameters come from (seed, case number) alone, so a rerun skips finished cases and
// redoes the rest identically; a case is written into a temporary folder and renamed when done.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "Command.h"
#include "FlowPrecision.h"
#include "advect/engine/Progress.h"
#include "advect/fluids/DfgCylinder.h"
#include "advect/fluids/MacFlow.h"
#include "advect/fluids/SpectralVorticity.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/Npy.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

struct Range {
  double low = 0.0, high = 0.0;
};

// "A:B" or a single value.
Range parse_range(const std::string& text, const std::string& flag) {
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) return {std::stod(text), std::stod(text)};
    const Range range{std::stod(text.substr(0, colon)), std::stod(text.substr(colon + 1))};
    if (range.low > range.high) throw std::invalid_argument("reversed");
    return range;
  } catch (const std::exception&) {
    throw CLI::ValidationError(flag, fmt::format("'{}' is not a value or a range A:B", text));
  }
}

// Everything goes into a hidden folder first, renamed when complete: an interrupted case leaves
// no caseNNNN behind, and a leftover hidden folder is simply replaced.
void write_case(const fs::path& folder,
                const std::vector<std::pair<std::string, io::NpyArray>>& arrays,
                const nlohmann::json& json) {
  const fs::path partial = folder.parent_path() / ("." + folder.filename().string() + ".partial");
  fs::remove_all(partial);
  fs::create_directories(partial);
  for (const auto& [name, array] : arrays) io::write_npy(partial / name, array);
  io::write_file_bytes(partial / "case.json", json.dump(2) + "\n");
  fs::rename(partial, folder);
}

struct CaseParameters {
  double velocity = 1.0;                   // lid (cavity) or mean inflow (cylinder), m/s
  double density = 1.0, viscosity = 1e-2;  // kg/m^3, Pa s (dynamic)
  fluids::Circle cylinder;                 // m
};

// The cell-centred velocity (u, v per cell) at `size` x `size` points on the centres of an even
// grid over the whole domain, appended to u and v (x fastest).
void resample(const fluids::MacGeometry& g, const std::vector<double>& cells, int size,
              std::vector<float>& u, std::vector<float>& v) {
  for (int row = 0; row < size; ++row) {
    const double y = (row + 0.5) / size * g.ny * g.h;
    for (int column = 0; column < size; ++column) {
      const double x = (column + 0.5) / size * g.nx * g.h;
      u.push_back(float(fluids::interpolate_cells(g, cells, 2, 0, x, y)));
      v.push_back(float(fluids::interpolate_cells(g, cells, 2, 1, x, y)));
    }
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
        ->check(CLI::PositiveNumber);
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
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app_->add_option("--seed", seed_, "Seed of the parameter draws (and initial fields)")
        ->capture_default_str();
    add_precision_option(*app_, precision_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const bool cavity = problem_ == "cavity", vorticity = problem_ == "vorticity";
    if (vorticity && (cells_ % 2 != 0 || cells_ % size_ != 0)) {
      throw CLI::ValidationError(
          "--n",
          fmt::format("{}: the torus needs an even n that --size {} divides", cells_, size_));
    }
    if (vorticity && precision_ != "double") {
      throw CLI::ValidationError("--precision",
                                 "the vorticity flow's spectral solver computes in double only");
    }
    if (problem_ == "cylinder" && (cells_ < 32 || cells_ % 8 != 0)) {
      throw CLI::ValidationError(
          "--n",
          fmt::format("{}: the cylinder channel needs a multiple of 8, at least 32", cells_));
    }
    const std::vector<std::pair<std::string, std::string>> flags = {
        {"--lid", lid_},
        {"--inflow", inflow_},
        {"--radius", radius_},
        {"--center-x", centre_x_},
        {"--center-y", centre_y_},
        {"--density", density_},
        {"--viscosity", viscosity_.value_or(cavity      ? "0.002:0.02"
                                            : vorticity ? "0.001"
                                                        : "0.001:0.004")}};
    std::vector<Range> ranges;
    for (const auto& [flag, text] : flags) {
      ranges.push_back(parse_range(text, flag));
      if (!(ranges.back().low > 0.0)) throw CLI::ValidationError(flag, "must be positive");
    }
    if (problem_ == "cylinder") check_cylinder_fits(ranges[2], ranges[3], ranges[4]);
    interval_ = interval_.value_or(cavity ? 0.1 : vorticity ? 1.0 : 0.05);
    fs::create_directories(output_);
    ProgressBar bar(fmt::format("{} dataset", problem_), cases_, "cases",
                    show_progress(common_.quiet));
    const auto start = std::chrono::steady_clock::now();
    int made = 0, skipped = 0;
    for (int k = 0; k < cases_; ++k) {
      const fs::path folder = output_ / fmt::format("case{:04d}", k);
      if (fs::exists(folder / "case.json")) {
        ++skipped;
      } else {
        make_case(folder, k, draw(k, ranges), device);
        ++made;
      }
      bar.update(k + 1);
    }
    bar.finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int saved = cavity ? cells_ : size_;
    std::cout << fmt::format(
        "{} dataset in {}: {} cases made, {} already there; {} frames of {}^2 each, {:.1f} s\n",
        problem_, output_.string(), made, skipped, frames_, saved, seconds);
    return 0;
  }

 private:
  // The cylinder and the first images out from its wall (3.5 cells) must stay off the channel's
  // walls and inflow.
  void check_cylinder_fits(const Range& radius, const Range& x, const Range& y) const {
    const double margin = 5.0 * fluids::dfg::kHeight / cells_;
    if (y.low - radius.high < margin || y.high + radius.high > fluids::dfg::kHeight - margin ||
        x.low - radius.high < margin || x.high + radius.high > 0.5 * fluids::dfg::kLength) {
      throw CLI::ValidationError(
          "--radius/--center-x/--center-y",
          fmt::format("the cylinder must keep {:.3g} m from the walls and the inflow and stay in "
                      "the first half of the channel (0.41 m x 2.2 m)",
                      margin));
    }
  }

  // Parameters from (seed, case number) alone; ranges in the order of the flags in run().
  CaseParameters draw(int k, const std::vector<Range>& ranges) const {
    std::seed_seq seed{std::uint64_t(seed_), std::uint64_t(k)};
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto uniform = [&](const Range& r) { return r.low + unit(rng) * (r.high - r.low); };
    CaseParameters p;
    const bool cavity = problem_ == "cavity";
    p.velocity = uniform(ranges[cavity ? 0 : 1]);
    p.density = uniform(ranges[5]);
    const Range& mu = ranges[6];
    p.viscosity = std::exp(std::log(mu.low) + unit(rng) * (std::log(mu.high) - std::log(mu.low)));
    if (!cavity) {
      p.cylinder.radius = uniform(ranges[2]);
      p.cylinder.x = uniform(ranges[3]);
      p.cylinder.y = uniform(ranges[4]);
    }
    return p;
  }

  void make_case(const fs::path& folder, int k, const CaseParameters& p,
                 const Device& device) const {
    if (problem_ == "vorticity") return make_vorticity_case(folder, k, p);
    const bool cavity = problem_ == "cavity";
    fluids::FlowOptions options;
    options.viscosity = p.viscosity / p.density;  // kinematic
    apply_precision(precision_, std::nullopt, 1e-8, options);
    const fluids::FlowDomain domain =
        cavity ? fluids::lid_driven_cavity(cells_, p.velocity)
               : fluids::cylinder_channel(cells_, 1.5 * p.velocity, p.cylinder);
    fluids::MacFlow flow(domain, options, device);
    const int saved = cavity ? cells_ : size_;
    const std::size_t per_frame = std::size_t(saved) * std::size_t(saved);
    std::vector<float> u, v;
    u.reserve(per_frame * std::size_t(frames_));
    v.reserve(u.capacity());
    for (int frame = 0; frame < frames_; ++frame) {
      const double target = frame * *interval_;
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
    const fluids::MacGeometry& g = flow.geometry();
    nlohmann::json json = {{"case", problem_},
                           {"density", p.density},
                           {"viscosity", p.viscosity},
                           {"frames", frames_},
                           {"frame_interval", *interval_},
                           {"solver_precision", precision_},
                           {"layout", cavity ? "(T, H, W) float32, row 0 at y = 0, cell centres"
                                             : "(T, H, W) float32, row 0 at y = 0, the centres "
                                               "of an H x W grid over the channel"}};
    if (cavity) {
      json.update({{"vel_top", p.velocity},
                   {"height", 1.0},
                   {"width", 1.0},
                   {"reynolds", p.density * p.velocity * 1.0 / p.viscosity},
                   {"grid", cells_}});
    } else {
      json.update({{"vel_in", p.velocity},
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
    const std::vector<std::size_t> shape = {std::size_t(frames_), std::size_t(saved),
                                            std::size_t(saved)};
    write_case(folder,
               {{"u.npy", io::NpyArray::from_values<float>(u, shape)},
                {"v.npy", io::NpyArray::from_values<float>(v, shape)}},
               json);
  }

  // The periodic vorticity flow of the continuous-simulation literature (Li et al. 2021): a
  // Gaussian random field from (seed, case) evolved with Li et al.'s forcing for --spin-up
  // seconds, then --frames frames --interval apart, on every (n / size)-th grid point.
  void make_vorticity_case(const fs::path& folder, int k, const CaseParameters& p) const {
    const std::uint64_t field_seed = (std::uint64_t(seed_) << 32) ^ std::uint64_t(k);
    fluids::SpectralVorticity flow(cells_, p.viscosity / p.density, fluids::li_forcing(cells_));
    flow.set_vorticity(fluids::gaussian_random_field(cells_, field_seed));
    flow.advance(spin_up_);
    const int stride = cells_ / size_;
    std::vector<float> w, u, v;
    for (int frame = 0; frame < frames_; ++frame) {
      if (frame > 0) flow.advance(*interval_);
      const std::vector<double> vorticity = flow.vorticity(), velocity = flow.velocity();
      for (int j = 0; j < cells_; j += stride) {
        for (int i = 0; i < cells_; i += stride) {
          const std::size_t at = std::size_t(j) * std::size_t(cells_) + std::size_t(i);
          w.push_back(float(vorticity[at]));
          u.push_back(float(velocity[2 * at]));
          v.push_back(float(velocity[2 * at + 1]));
        }
      }
    }
    const std::vector<std::size_t> shape = {std::size_t(frames_), std::size_t(size_),
                                            std::size_t(size_)};
    const nlohmann::json json = {
        {"case", "vorticity"},
        {"viscosity", p.viscosity / p.density},
        {"forcing", "0.1 (sin 2 pi (x + y) + cos 2 pi (x + y))"},
        {"initial", "Gaussian random field, covariance 7^3 (-laplace + 49)^-2.5"},
        {"field_seed", field_seed},
        {"spin_up", spin_up_},
        {"frames", frames_},
        {"frame_interval", *interval_},
        {"width", 1.0},
        {"height", 1.0},
        {"simulation_grid", cells_},
        {"grid", {size_, size_}},
        {"layout", "(T, H, W) float32, row 0 at y = 0, grid points (i / W, j / H) of the torus"}};
    write_case(folder,
               {{"vorticity.npy", io::NpyArray::from_values<float>(w, shape)},
                {"u.npy", io::NpyArray::from_values<float>(u, shape)},
                {"v.npy", io::NpyArray::from_values<float>(v, shape)}},
               json);
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
