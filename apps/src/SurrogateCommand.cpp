// `advect surrogate train|eval|predict`: the flow surrogate of issue 6 (neural/FlowSurrogate.h) on
// a dataset made by `advect cfd dataset`, judged against the observation-only baselines.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

#include "Command.h"
#include "MemoryBudget.h"
#include "NumberChecks.h"
#include "SurrogatePlots.h"
#include "advect/engine/Log.h"
#include "advect/engine/Progress.h"
#include "advect/engine/Timing.h"
#include "advect/fluids/SpectralVorticity.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CfdBench.h"
#include "advect/io/IoError.h"
#include "advect/io/SurrogateFiles.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

void add_split_options(CLI::App& app, double& test_fraction) {
  app.add_option("--test-fraction", test_fraction,
                 "The last fraction of the case folders (in name order) are test cases, the rest "
                 "training cases")
      ->check(between(0.01, 0.99))
      ->capture_default_str();
}

// The wave numbers a box's fields are given by default: 3/4 of the grid's, at most 48 (1810
// features). The 64^2 cavity's boundary layers need them (docs/surrogate.md).
int box_max_wave_number(const neural::SequenceShape& shape) {
  return std::min(48, 3 * std::min(shape.height, shape.width) / 4);
}

class SurrogateTrainCommand final : public Command {
 public:
  explicit SurrogateTrainCommand(CLI::App& fluid) {
    app_ = fluid.add_subcommand("train", "Train a surrogate on a dataset's training cases");
    app_->add_option("--data", data_, "Dataset directory (advect cfd dataset)")->required();
    app_->add_option("-o,--output", output_, "Model file to write")->required();
    app_->add_option("--obs", training_.point_fraction,
                     "Fraction of the grid points observed in the end-to-end steps (drawn anew "
                     "per step; see --field-iterations)")
        ->check(between(0.001, 1.0))
        ->capture_default_str();
    app_->add_option("--field", config_.field, "The array of each case to learn (FIELD.npy)")
        ->capture_default_str();
    app_->add_option("--frames", frames_, "Training horizon: the first frames of each case")
        ->check(CLI::Range(2, 100000))
        ->capture_default_str();
    app_->add_option("--config", config_file_,
                     "JSON with the model's settings (max_wave_number, domain, latent_dims, "
                     "field_width, field_layers, dynamics_width, dynamics_layers, "
                     "steps_per_frame); domain and max_wave_number follow the data unless given: "
                     "periodic and 12 on the torus (vorticity), box and 48 (64^2 and up) for the "
                     "cavity and cylinder");
    app_->add_option("--field-iterations", training_.field_iterations,
                     "Steps of the decoder field and prior end to end through the sparse solve "
                     "(after the warm start; 0: none)")
        ->check(CLI::Range(0, 10000000))
        ->capture_default_str();
    app_->add_option("--dynamics-iterations", training_.dynamics_iterations,
                     "Steps of the latent dynamics")
        ->check(CLI::Range(0, 10000000))
        ->capture_default_str();
    app_->add_option("--rollout", training_.rollout_frames,
                     "Frames each dynamics window is integrated through")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    app_->add_option("--field-rate", training_.field_learning_rate,
                     "Adam's rate for the field end to end (the prior's is 10x)")
        ->check(positive())
        ->capture_default_str();
    app_->add_option("--dynamics-rate", training_.dynamics_learning_rate,
                     "Adam's rate for the dynamics")
        ->check(positive())
        ->capture_default_str();
    app_->add_option("--seed", seed_, "Seed of the initialisation and the draws")
        ->capture_default_str();
    add_split_options(*app_, test_fraction_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    nlohmann::json given = nlohmann::json::object();
    if (!config_file_.empty()) {
      const auto field = config_.field;
      try {
        given = nlohmann::json::parse(io::read_file_bytes(config_file_));
        config_ = neural::FlowSurrogateConfig::from_json(given);
      } catch (const nlohmann::json::exception& e) {
        throw io::IoError(config_file_, std::string("bad JSON: ") + e.what());
      } catch (const std::invalid_argument& e) {
        throw io::IoError(config_file_, e.what());
      }
      config_.field = field;
    }
    const auto cases = io::read_cfdbench_cases(data_, config_.field, io::CaseSplit::train,
                                               test_fraction_, frames_);
    config_.frame_interval = cases.frame_interval;
    // Unless the configuration says otherwise: a box's fields (cavity, cylinder) get the box's
    // cosine features, and finer ones, for their boundary layers.
    if (!given.contains("domain")) config_.domain = cases.periodic ? "periodic" : "box";
    if (!given.contains("max_wave_number") && config_.domain == "box") {
      config_.max_wave_number = box_max_wave_number(shape_of(cases));
    }
    training_.seed = seed_;
    neural::FlowSurrogate model(config_, device, seed_);
    log().info("training on {} cases of {} frames of {}x{} ({}), {} parameters",
               cases.sequences.size(), cases.frames, cases.width, cases.height, config_.field,
               model.parameter_count());

    const bool progress = show_progress(common_.quiet);
    std::unique_ptr<ProgressBar> bar;
    std::string phase;
    training_.on_iteration = [&](const std::string& name, int iteration, int total, double loss) {
      if (name != phase) {
        if (bar) bar->finish();
        phase = name;
        bar = std::make_unique<ProgressBar>("train " + name, total, "steps", progress);
      }
      if (iteration % 100 == 0 || iteration == total) {
        log().debug("{} step {}/{}: loss {:.4e}", name, iteration, total, loss);
      }
      bar->set_detail(fmt::format("loss {:.3e}", loss));
      bar->update(iteration);
    };
    const auto start = Clock::now();
    const auto summary = model.train(cases.sequences, shape_of(cases), training_);
    if (bar) bar->finish();
    const double seconds = seconds_since(start);
    if (output_.has_parent_path()) fs::create_directories(output_.parent_path());
    io::write_file_bytes(output_, model.to_bytes());
    std::cout << fmt::format(
        "trained on {} cases x {} frames ({}, {}x{}) in {:.1f} s on {}\n"
        "  decoder: {} principal components leave {:.2e} of the training frames' variance; "
        "features of a {} domain, wave numbers <= {}\n",
        cases.sequences.size(), cases.frames, config_.field, cases.width, cases.height, seconds,
        device.name(), config_.latent_dims, 1.0 - summary.captured_variance, config_.domain,
        config_.max_wave_number);
    if (training_.field_iterations > 0) {
      std::cout << fmt::format(
          "  decoder end to end: {} steps at {:.0f}% observed, last relative squared error "
          "{:.3e}\n",
          training_.field_iterations, 100 * training_.point_fraction, summary.field_loss);
    }
    std::cout << fmt::format(
        "  dynamics: {} steps of {}-frame rollouts, last relative squared error {:.3e}\n"
        "  model: {} ({} parameters); peak memory {:.0f} MiB\n",
        training_.dynamics_iterations, training_.rollout_frames, summary.dynamics_loss,
        output_.string(), model.parameter_count(), peak_memory_mib());
    return 0;
  }

 private:
  CommonOptions common_;
  fs::path data_, output_, config_file_;
  neural::FlowSurrogateConfig config_;
  neural::SurrogateTraining training_;
  int frames_ = 20;
  double test_fraction_ = 0.2;
  std::uint64_t seed_ = 0;
};

// The pseudo-spectral solver's time for one frame interval of a vorticity case (the fastest of
// eight, from its first frame) at the case's own resolution; nullopt for other data.
std::optional<double> solver_seconds_per_frame(const io::CfdBenchCases& cases) {
  try {
    const auto json =
        nlohmann::json::parse(io::read_file_bytes(cases.folders.front() / "case.json"));
    if (json.value("case", "") != "vorticity" || json.value("simulation_grid", 0) != cases.width) {
      return std::nullopt;
    }
    const int n = cases.width;
    fluids::SpectralVorticity solver(n, json.at("viscosity").get<double>(), fluids::li_forcing(n));
    const auto& first = cases.sequences.front();
    solver.set_vorticity(std::vector<double>(first.begin(), first.begin() + n * n));
    // The fastest of several frames: the solver's cost without the machine's noise.
    double fastest = std::numeric_limits<double>::infinity();
    for (int f = 0; f < 8; ++f) {
      const auto start = Clock::now();
      solver.advance(cases.frame_interval);
      fastest = std::min(fastest, seconds_since(start));
    }
    return fastest;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

class SurrogateEvalCommand final : public Command {
 public:
  explicit SurrogateEvalCommand(CLI::App& fluid) {
    app_ = fluid.add_subcommand(
        "eval", "Errors of a surrogate and of the baselines on a dataset's test cases");
    app_->add_option("model", model_, "Model file (advect surrogate train)")->required();
    app_->add_option("--data", data_, "Dataset directory (advect cfd dataset)")->required();
    app_->add_option("--obs", settings_.protocol.point_fraction,
                     "Fraction of the grid points observed (fixed per test case)")
        ->check(between(0.001, 1.0))
        ->capture_default_str();
    app_->add_option("--frame-stride", settings_.protocol.frame_stride,
                     "Observe every k-th frame of the training horizon")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app_->add_option("--json", json_, "Also write the scores as JSON here");
    app_->add_option("--png", png_,
                     "Also draw truth, model, interpolation and identity for the first test case "
                     "into this directory (an unobserved frame and the last one)");
    app_->add_option("--seed", settings_.seed, "Seed of the observation draws")
        ->capture_default_str();
    add_split_options(*app_, test_fraction_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const auto model =
        neural::FlowSurrogate::from_bytes(io::read_file_bytes(model_), model_.string(), device);
    const auto cases =
        io::read_cfdbench_cases(data_, model.config().field, io::CaseSplit::test, test_fraction_);
    ProgressBar bar("eval", double(cases.sequences.size()), "cases", show_progress(common_.quiet));
    const auto evaluation = neural::evaluate_surrogate(
        model, cases.sequences, shape_of(cases), settings_, [&](int done) { bar.update(done); });
    bar.finish();
    const auto& scores = evaluation.scores;
    auto json = neural::scores_to_json(scores);
    const auto solver = solver_seconds_per_frame(cases);
    if (solver) json["solver"] = {{"seconds_per_frame", *solver}};
    const int horizon = model.config().training_frames;
    std::cout << fmt::format(
        "{} test cases ({}), {}x{}, horizon {} frames; observed: {:.0f}% of the points, every "
        "{} frame(s)\n",
        cases.sequences.size(), model.config().field, cases.width, cases.height, horizon,
        100 * settings_.protocol.point_fraction, settings_.protocol.frame_stride);
    std::cout << fmt::format("  {:<14} {:>9} {:>11} {:>11} {:>10} {:>12} {:>12}\n", "method",
                             "rel_l2", "unobs pts", "unobs times", "nmse",
                             fmt::format("to {} frames", std::min(cases.frames, 2 * horizon)),
                             "s per frame");
    for (const auto& s : scores) {
      const auto& e = s.horizon;
      std::cout << fmt::format(
          "  {:<14} {:>9.2e} {:>11.2e} {:>11} {:>10.2e} {:>12} {:>12.2e}\n", s.name, e.rel_l2,
          e.rel_l2_unobserved_points,
          settings_.protocol.frame_stride > 1 ? fmt::format("{:.2e}", e.rel_l2_unobserved_times)
                                              : "-",
          e.nmse, s.rel_l2_extended >= 0 ? fmt::format("{:.2e}", s.rel_l2_extended) : "-",
          s.seconds_per_frame);
    }
    if (solver) {
      std::cout << fmt::format("  {:<14} {:>9} {:>11} {:>11} {:>10} {:>12} {:>12.2e}\n", "solver",
                               "-", "-", "-", "-", "-", *solver);
    }
    if (!json_.empty()) {
      io::write_file_bytes(json_, json.dump(2) + "\n");
      std::cout << "  scores: " << json_.string() << "\n";
    }
    if (!png_.empty()) {
      for (const auto& file :
           plot_evaluation(png_, evaluation, cases, settings_.protocol, model.config().field)) {
        std::cout << "  picture: " << file.string() << "\n";
      }
    }
    return 0;
  }

 private:
  CommonOptions common_;
  fs::path model_, data_, json_, png_;
  neural::EvaluationSettings settings_;
  double test_fraction_ = 0.2;
};

class SurrogatePredictCommand final : public Command {
 public:
  explicit SurrogatePredictCommand(CLI::App& fluid) {
    app_ = fluid.add_subcommand(
        "predict",
        "The field at any points and times from observations: prediction.npy, and on a grid "
        "prediction_*.vti + prediction.pvd and prediction_*.png (at points: prediction.csv)");
    app_->add_option("model", model_, "Model file (advect surrogate train)")->required();
    app_->add_option("--obs", observations_,
                     "Observations: CSV with header t,x,y,value (seconds; x, y in the unit "
                     "square; rows with the same t form one frame)")
        ->required();
    auto* at = app_->add_option("--at", points_, "Query points: CSV with header x,y");
    auto* grid =
        app_->add_option("--grid", grid_, "Query an N x N grid of cell centres ((i + 1/2) / N)")
            ->check(CLI::Range(2, 4096));
    at->excludes(grid);
    app_->add_option("--t", times_, "Times to predict at, seconds (one or more)")
        ->required()
        ->expected(1, 100000);
    app_->add_option("-o,--output", output_, "Output directory")->required();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    if (points_.empty() && grid_ == 0) {
      throw CLI::ValidationError("--at/--grid", "give query points (--at) or a grid (--grid)");
    }
    for (const double t : times_) {
      if (!std::isfinite(t)) throw CLI::ValidationError("--t", "times must be finite");
    }
    const Device device = parse_device(common_.device);
    const auto model =
        neural::FlowSurrogate::from_bytes(io::read_file_bytes(model_), model_.string(), device);
    const auto observed = io::read_observations_csv(observations_);
    const auto points =
        grid_ > 0 ? neural::grid_points(grid_, grid_) : io::read_points_csv(points_);
    const auto start = Clock::now();
    const auto values = model.predict(observed, points, times_);
    const double seconds = seconds_since(start);
    const auto& field = model.config().field;
    const auto written = grid_ > 0
                             ? io::write_grid_prediction(output_, values, grid_, times_, field)
                             : io::write_point_prediction(output_, values, points, times_, field);
    std::size_t observed_points = 0;
    for (const auto& frame : observed) observed_points += frame.values.size();
    std::cout << fmt::format(
        "predicted {} at {} points x {} times from {} observed frames ({} values) in {:.3f} s\n"
        "  wrote {} files to {} (prediction.npy{})\n",
        field, points.size() / 2, times_.size(), observed.size(), observed_points, seconds,
        written.size(), output_.string(),
        grid_ > 0 ? ", prediction.pvd, prediction_*.png" : ", prediction.csv");
    return 0;
  }

 private:
  CommonOptions common_;
  fs::path model_, observations_, points_, output_;
  int grid_ = 0;
  std::vector<double> times_;
};

}  // namespace

void add_surrogate_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands) {
  CLI::App* fluid = parent.add_subcommand(
      "surrogate", "Flow surrogates: fields at any point and time from sparse observations");
  fluid->alias("fluid");  // the command's first name, kept for scripts that use it
  fluid->require_subcommand(1);
  commands.push_back(std::make_unique<SurrogateTrainCommand>(*fluid));
  commands.push_back(std::make_unique<SurrogateEvalCommand>(*fluid));
  commands.push_back(std::make_unique<SurrogatePredictCommand>(*fluid));
}

}  // namespace advect::app
