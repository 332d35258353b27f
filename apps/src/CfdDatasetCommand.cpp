// `advect cfd dataset cavity -o DIR --cases N`: training data for neural surrogates in CFDBench's
// layout (Luo, Chen & Zhang 2023): DIR/caseNNNN/u.npy and v.npy, float32 (T, H, W) = (frames,
// cells along y, cells along x), row 0 at the bottom, and case.json with the physical parameters.
// Each case's parameters come from (seed, case number) alone, so a rerun skips finished cases and
// redoes the rest identically; a case is written into a temporary folder and renamed when done.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "Command.h"
#include "advect/engine/Progress.h"
#include "advect/fluids/MacFlow.h"
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

struct CaseParameters {
  double lid = 1.0, density = 1.0, viscosity = 1e-2;  // m/s, kg/m^3, Pa s (dynamic)
};

class CfdDatasetCommand final : public Command {
 public:
  explicit CfdDatasetCommand(CLI::App& cfd) {
    app_ = cfd.add_subcommand("dataset",
                              "Cases in CFDBench's layout: DIR/caseNNNN/{u.npy, v.npy, case.json}");
    app_->add_option("case", case_, "Flow case (cavity)")
        ->required()
        ->check(CLI::IsMember({"cavity"}));
    app_->add_option("-o,--output", output_, "Dataset directory (created if missing)")->required();
    app_->add_option("--cases", cases_, "Number of cases")
        ->required()
        ->check(CLI::Range(1, 100000));
    app_->add_option("--n", cells_, "Cells per side, also the saved resolution")
        ->check(CLI::Range(8, 1024))
        ->capture_default_str();
    app_->add_option("--frames", frames_, "Frames per case, the first at t = 0")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app_->add_option("--interval", interval_, "Seconds between frames")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--lid", lid_, "Lid velocity range A:B, m/s (uniform)")->capture_default_str();
    app_->add_option("--density", density_, "Density range A:B, kg/m^3 (uniform)")
        ->capture_default_str();
    app_->add_option("--viscosity", viscosity_, "Dynamic viscosity range A:B, Pa s (log-uniform)")
        ->capture_default_str();
    app_->add_option("--seed", seed_, "Seed of the parameter draws")->capture_default_str();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const Range lid = parse_range(lid_, "--lid"), density = parse_range(density_, "--density"),
                viscosity = parse_range(viscosity_, "--viscosity");
    if (!(lid.low > 0.0) || !(density.low > 0.0) || !(viscosity.low > 0.0)) {
      throw CLI::ValidationError("--lid/--density/--viscosity", "ranges must be positive");
    }
    fs::create_directories(output_);
    ProgressBar bar(fmt::format("cavity dataset {}^2", cells_), cases_, "cases",
                    show_progress(common_.quiet));
    const auto start = std::chrono::steady_clock::now();
    int made = 0, skipped = 0;
    for (int k = 0; k < cases_; ++k) {
      const fs::path folder = output_ / fmt::format("case{:04d}", k);
      if (fs::exists(folder / "case.json")) {
        ++skipped;
      } else {
        make_case(folder, draw(k, lid, density, viscosity), device);
        ++made;
      }
      bar.update(k + 1);
    }
    bar.finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << fmt::format(
        "cavity dataset in {}: {} cases made, {} already there; {} frames of {}^2 each, {:.1f} s\n",
        output_.string(), made, skipped, frames_, cells_, seconds);
    return 0;
  }

 private:
  CaseParameters draw(int k, const Range& lid, const Range& density, const Range& viscosity) const {
    std::seed_seq seed{std::uint64_t(seed_), std::uint64_t(k)};
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    CaseParameters p;
    p.lid = lid.low + unit(rng) * (lid.high - lid.low);
    p.density = density.low + unit(rng) * (density.high - density.low);
    p.viscosity = std::exp(std::log(viscosity.low) +
                           unit(rng) * (std::log(viscosity.high) - std::log(viscosity.low)));
    return p;
  }

  void make_case(const fs::path& folder, const CaseParameters& p, const Device& device) const {
    fluids::FlowOptions options;
    options.viscosity = p.viscosity / p.density;  // kinematic
    options.pressure_rtol = 1e-8;
    fluids::MacFlow flow(fluids::lid_driven_cavity(cells_, p.lid), options, device);
    const std::size_t per_frame = std::size_t(cells_) * std::size_t(cells_);
    std::vector<float> u, v;
    u.reserve(per_frame * std::size_t(frames_));
    v.reserve(u.capacity());
    for (int frame = 0; frame < frames_; ++frame) {
      const double target = frame * interval_;
      while (flow.time() < target - 1e-12) {
        flow.step(std::min(flow.stable_dt(), target - flow.time()));
      }
      const std::vector<double> cells = flow.cell_velocity();
      for (std::size_t c = 0; c < per_frame; ++c) {
        u.push_back(float(cells[2 * c]));
        v.push_back(float(cells[2 * c + 1]));
      }
    }
    // Everything goes into a hidden folder first: an interrupted case leaves no caseNNNN behind,
    // and a leftover hidden folder is simply replaced.
    const fs::path partial = folder.parent_path() / ("." + folder.filename().string() + ".partial");
    fs::remove_all(partial);
    fs::create_directories(partial);
    const std::vector<std::size_t> shape = {std::size_t(frames_), std::size_t(cells_),
                                            std::size_t(cells_)};
    io::write_npy(partial / "u.npy", io::NpyArray::from_values<float>(u, shape));
    io::write_npy(partial / "v.npy", io::NpyArray::from_values<float>(v, shape));
    const nlohmann::json json = {{"case", "cavity"},
                                 {"vel_top", p.lid},
                                 {"density", p.density},
                                 {"viscosity", p.viscosity},
                                 {"height", 1.0},
                                 {"width", 1.0},
                                 {"reynolds", p.density * p.lid * 1.0 / p.viscosity},
                                 {"frames", frames_},
                                 {"frame_interval", interval_},
                                 {"grid", cells_},
                                 {"layout", "(T, H, W) float32, row 0 at y = 0, cell centres"}};
    io::write_file_bytes(partial / "case.json", json.dump(2) + "\n");
    fs::rename(partial, folder);
  }

  std::string case_;
  fs::path output_;
  int cases_ = 0, cells_ = 64, frames_ = 20;
  double interval_ = 0.1;
  std::string lid_ = "0.5:2", density_ = "1", viscosity_ = "0.002:0.02";
  std::uint64_t seed_ = 0;
  CommonOptions common_;
};

}  // namespace

std::unique_ptr<Command> make_cfd_dataset_command(CLI::App& cfd) {
  return std::make_unique<CfdDatasetCommand>(cfd);
}

}  // namespace advect::app
