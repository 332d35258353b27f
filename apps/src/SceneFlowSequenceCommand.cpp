// `advect sceneflow sequence SEQ -o OUT`: the scene flow of every sweep of a lidar sequence to the
// next one (lidar::estimate_sequence: read, register, crop and ground removal, flows), written as
// one world-frame flow file per sweep that `advect accumulate --flows` reads back.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "AccumulationFlags.h"
#include "Command.h"
#include "MemoryBudget.h"
#include "StageBars.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/FlowPlot.h"
#include "advect/io/Npy.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/VtkFiles.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

class SceneFlowSequenceCommand final : public Command {
 public:
  explicit SceneFlowSequenceCommand(CLI::App& sceneflow) {
    app_ = sceneflow.add_subcommand(
        "sequence",
        "Scene flow of every sweep of a sequence to the next: flows/<sweep>.npy (world frame), "
        "flows.pvd for ParaView, flow.png, summary.json");
    app_->add_option("sequence", sequence_,
                     "Directory of sweeps (.bin .ply .pcd .xyz .npy, name order) or a glob "
                     "pattern such as 'velodyne/*.bin'")
        ->required();
    app_->add_option("-o,--output", output_, "Output directory (created if missing)")->required();
    settings_.options.flow.method = "sequence";
    settings_.add_sequence_flags(*app_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const auto start = std::chrono::steady_clock::now();
    const Device device = parse_device(common_.device);
    const SweepFiles files = open_sweep_files(sequence_, settings_);
    StageBars bars(show_progress(common_.quiet));
    const lidar::AccumulatedSequence s =
        lidar::estimate_sequence(files.source, files.options, device, bars.callback());
    bars.finish();

    io::OutputFolder folder(output_);
    std::vector<fs::path> written;
    std::vector<io::TimeStepFile> steps;
    std::int64_t points = 0, moving = 0;
    nlohmann::json sweeps = nlohmann::json::array();
    for (std::size_t k = 0; k < s.flows.size(); ++k) {
      const std::string stem = files.files[k].stem().string();
      // Every point as read: those cropped or taken for ground keep still (flow 0), as the
      // world frame's static scene does.
      const std::vector<float> full = s.flow_at_read_points(k);
      const fs::path npy = fs::path("flows") / (stem + ".npy");
      fs::create_directories((folder / "flows"));
      io::write_npy(folder / npy, io::NpyArray::from_values<float>(full, {s.read_points[k], 3}));
      written.push_back(output_ / npy);
      const fs::path vtp = fs::path("flows") / (stem + ".vtp");
      std::vector<double> speed;
      for (std::size_t i = 0; i < s.flows[k].size(); i += 3) {
        speed.push_back(std::hypot(s.flows[k][i], s.flows[k][i + 1], s.flows[k][i + 2]) /
                        (s.times[k + 1] - s.times[k]));
      }
      io::write_vtp_points(folder / vtp,
                           std::vector<double>(s.sweeps[k].begin(), s.sweeps[k].end()),
                           {{"flow", 3, std::vector<double>(s.flows[k].begin(), s.flows[k].end())},
                            {"speed", 1, speed}});
      steps.push_back({s.times[k], vtp});
      const lidar::FlowEstimate& e = s.estimates[k];
      points += std::int64_t(s.rows[k].size());
      moving += e.moving_points;
      nlohmann::json sweep = {{"file", files.files[k].string()},
                              {"flow", (output_ / npy).string()},
                              {"time", s.times[k]},
                              {"points_read", s.read_points[k]},
                              {"points_estimated", s.rows[k].size()}};
      if (settings_.options.flow.is_neural()) {
        sweep["iterations"] = e.iterations;
        sweep["seconds"] = e.seconds;
      } else {
        sweep["clusters"] = e.clusters;
        sweep["moving_clusters"] = e.moving_clusters;
        sweep["moving_points"] = e.moving_points;
      }
      sweeps.push_back(std::move(sweep));
    }
    io::write_pvd(folder / "flows.pvd", steps);
    written.push_back(output_ / "flows.pvd");
    const std::size_t shown = std::min(std::size_t(s.reference), s.flows.size() - 1);
    io::plot_flow_top_view(folder / "flow.png", s.sweeps[shown], s.flows[shown],
                           s.sweeps[shown + 1],
                           fmt::format("{} flow of {}", settings_.options.flow.method,
                                       files.files[shown].filename().string()));
    written.push_back(output_ / "flow.png");
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    written.push_back(output_ / "summary.json");
    nlohmann::json summary = {
        {"sequence", sequence_},
        {"method", settings_.options.flow.method},
        {"warm_start", settings_.options.flow.warm_starts()},
        {"device", device.name()},
        {"frame", "world"},
        {"removed_points_flow", "zero (cropped or ground: still in the world frame)"},
        {"sweeps", sweeps},
        {"points", points},
        {"moving_points", moving},
        {"seconds",
         {{"read", s.seconds.read},
          {"registration", s.seconds.registration},
          {"flow", s.seconds.flow},
          {"total", total}}},
        {"peak_memory_mib", peak_memory_mib()}};
    if (settings_.options.flow.method == "sequence")
      summary["window"] = settings_.options.flow.sequence.window;
    for (const fs::path& file : written) summary["files"].push_back(file.string());
    io::write_file_bytes(folder / "summary.json", summary.dump(2) + "\n");
    folder.commit();

    std::cout << fmt::format(
        "{} flow of {} sweeps ({} points) on {}: {} points move with their objects\n",
        settings_.options.flow.method, s.flows.size(), points, device.name(), moving);
    std::cout << fmt::format(
        "time: read {:.2f} s, registration {:.2f} s, flow {:.2f} s; {:.2f} s in all; peak memory "
        "{:.0f} MiB\n",
        s.seconds.read, s.seconds.registration, s.seconds.flow, total, peak_memory_mib());
    std::cout << fmt::format(
        "wrote {} flow files in {}/flows (world frame, N x 3 per sweep, the last sweep has none), "
        "flows.pvd, flow.png, summary.json\n",
        s.flows.size(), output_.string());
    return 0;
  }

 private:
  std::string sequence_;
  fs::path output_;
  AccumulationSettings settings_;
  CommonOptions common_;
};

}  // namespace

std::unique_ptr<Command> make_sceneflow_sequence_command(CLI::App& sceneflow) {
  return std::make_unique<SceneFlowSequenceCommand>(sceneflow);
}

}  // namespace advect::app
