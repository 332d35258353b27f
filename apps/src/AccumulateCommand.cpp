// `advect accumulate SEQ -o OUT`: a lidar sequence into one dense map in which moving objects are
// sharp, with per-point trajectories; see Accumulation.h for the stages.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "AccumulationFlags.h"
#include "Command.h"
#include "MemoryBudget.h"
#include "StageBars.h"
#include "advect/engine/Log.h"
#include "advect/engine/Progress.h"
#include "advect/io/AccumulationPlot.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/KittiPoses.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/PointCloudIO.h"
#include "advect/io/VtkFiles.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

std::vector<float> concatenate(const std::vector<std::vector<float>>& parts) {
  std::vector<float> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

io::Polylines trajectories(const lidar::AccumulatedSequence& s, const std::vector<int>& frames,
                           std::vector<double>& frame_of_line) {
  io::Polylines lines;
  lines.starts.push_back(0);
  for (std::size_t j = 0; j < s.sweeps.size(); ++j) {
    const std::size_t steps = std::size_t(std::abs(int(j) - s.reference) + 1);
    const int direction = s.reference >= int(j) ? 1 : -1;
    for (std::size_t p = 0; p < s.traced[j].size(); ++p) {
      for (std::size_t step = 0; step < steps; ++step) {
        const float* x = &s.carried.paths[j][3 * (p * steps + step)];
        lines.vertices.insert(lines.vertices.end(), x, x + 3);
        lines.time.push_back(s.times[std::size_t(int(j) + direction * int(step))]);
      }
      lines.starts.push_back(lines.time.size());
      frame_of_line.push_back(frames[j]);
    }
  }
  return lines;
}

class AccumulateCommand final : public Command {
 public:
  explicit AccumulateCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "accumulate",
        "Lidar sweeps into one motion-compensated map: accumulated.ply/.vtp, static.ply, "
        "trajectories.vtp, poses.txt, accumulation.png, summary.json");
    app_->add_option("sequence", sequence_,
                     "Directory of sweeps (.bin .ply .pcd .xyz .npy, name order) or a glob "
                     "pattern such as 'velodyne/*.bin'")
        ->required();
    app_->add_option("-o,--output", output_, "Output directory (created if missing)")->required();
    settings_.add_to(*app_);
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const auto start = std::chrono::steady_clock::now();
    const Device device = parse_device(common_.device);
    files_ = open_sweep_files(sequence_, settings_);
    StageBars bars(show_progress(common_.quiet));
    const lidar::AccumulatedSequence s =
        lidar::accumulate(files_.source, files_.options, device, bars.callback());
    bars.finish();
    const auto write_start = std::chrono::steady_clock::now();
    io::OutputFolder folder(output_);
    const std::vector<fs::path> files = write_outputs(s, folder);
    const double write_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    write_summary(s, files, write_seconds, total, device, folder);
    folder.commit();
    print_summary(s, write_seconds, total, device);
    return 0;
  }

 private:
  // Writes into `folder`'s staging folder; returns the files' paths once committed.
  std::vector<fs::path> write_outputs(const lidar::AccumulatedSequence& s,
                                      const io::OutputFolder& folder) const {
    std::vector<fs::path> files;
    const auto add = [&](const char* name) {
      files.push_back(output_ / name);
      return folder / name;
    };
    geometry::PointCloud carried{concatenate(s.carried.at_reference), {}};
    geometry::PointCloud still{concatenate(s.sweeps), {}};
    io::write_point_cloud(add("accumulated.ply"), carried);
    io::write_point_cloud(add("static.ply"), still);

    std::vector<double> frame, time, speed;
    std::vector<int> frame_of_point;
    std::vector<unsigned char> moving;
    for (std::size_t j = 0; j < s.sweeps.size(); ++j) {
      for (const float v : s.speeds[j]) {
        frame.push_back(files_.frames[j]);
        frame_of_point.push_back(files_.frames[j]);
        time.push_back(s.times[j]);
        speed.push_back(v);
        moving.push_back(v >= settings_.options.moving_speed);
      }
    }
    std::vector<io::PointArray> arrays = {
        {"frame", 1, frame}, {"time", 1, time}, {"speed", 1, speed}};
    if (!s.intensity.empty()) {
      std::vector<double> intensity;
      for (const auto& values : s.intensity)
        intensity.insert(intensity.end(), values.begin(), values.end());
      arrays.push_back({"intensity", 1, std::move(intensity)});
    }
    io::write_vtp_points(add("accumulated.vtp"),
                         std::vector<double>(carried.positions.begin(), carried.positions.end()),
                         arrays);
    std::vector<double> frame_of_line;
    const io::Polylines lines = trajectories(s, files_.frames, frame_of_line);
    io::write_vtp_polylines(add("trajectories.vtp"), lines, {{"frame", 1, frame_of_line}});
    io::write_kitti_poses(add("poses.txt"), s.poses);
    const std::vector<io::AccumulationView> views = {
        {fmt::format("pose only: crispness {:.3f} m", s.crispness.static_mean), still.positions},
        {fmt::format("with scene flow ({}): crispness {:.3f} m", flow_name(),
                     s.crispness.flow_mean),
         carried.positions}};
    io::plot_accumulations(add("accumulation.png"), views, frame_of_point, moving,
                           files_.frames.front(), files_.frames.back());
    return files;
  }

  void write_summary(const lidar::AccumulatedSequence& s, std::vector<fs::path> files,
                     double write_seconds, double total, const Device& device,
                     const io::OutputFolder& folder) const {
    std::int64_t points = 0, iterations = 0;
    for (const auto& sweep : s.sweeps) points += std::int64_t(sweep.size() / 3);
    for (const auto& e : s.estimates) iterations += e.iterations;
    nlohmann::json sweeps = nlohmann::json::array();
    for (std::size_t j = 0; j < s.sweeps.size(); ++j) {
      nlohmann::json sweep = {{"file", files_.files[j].string()},
                              {"frame", files_.frames[j]},
                              {"time", s.times[j]},
                              {"points", s.sweeps[j].size() / 3}};
      if (j < s.estimates.size()) {
        sweep["flow_iterations"] = s.estimates[j].iterations;
        sweep["flow_seconds"] = s.estimates[j].seconds;
      }
      if (j < s.registration.size()) {
        sweep["icp_fitness"] = s.registration[j].fitness;
        sweep["icp_rmse"] = s.registration[j].rmse;
      }
      sweeps.push_back(std::move(sweep));
    }
    const std::size_t count = s.sweeps.size();
    files.push_back(output_ / "summary.json");
    nlohmann::json summary = {
        {"sequence", sequence_},
        {"frames", count},
        {"reference_frame", files_.frames[std::size_t(s.reference)]},
        {"reference_time", s.times[std::size_t(s.reference)]},
        {"poses", settings_.poses         ? "given"
                  : settings_.world_frame ? "world frame (identity)"
                                          : registration_name()},
        {"method", flow_name()},
        {"warm_start", !settings_.flows && settings_.options.flow.warm_starts()},
        {"integrator", settings_.integrator},
        {"output_frame", settings_.options.in_reference_frame ? "reference sweep" : "world"},
        {"substeps", settings_.options.carry.substeps},
        {"device", device.name()},
        {"points", points},
        {"moving_speed", settings_.options.moving_speed},
        {"moving_points", s.crispness.moving_points},
        {"crispness_flow", s.crispness.flow_mean},
        {"crispness_static", s.crispness.static_mean},
        {"crispness_flow_median", s.crispness.flow_median},
        {"crispness_static_median", s.crispness.static_median},
        {"flow_iterations", iterations},
        {"trajectories",
         std::accumulate(s.traced.begin(), s.traced.end(), std::size_t(0),
                         [](std::size_t n, const auto& t) { return n + t.size(); })},
        {"field_evaluations", s.carried.field_evaluations},
        {"point_intervals_integrated", s.carried.points_integrated},
        {"point_intervals_kept_still", s.carried.points_kept_still},
        {"seconds",
         {{"read", s.seconds.read},
          {"registration", s.seconds.registration},
          {"flow", s.seconds.flow},
          {"integration", s.seconds.integration},
          {"write", write_seconds},
          {"total", total}}},
        {"seconds_per_frame", total / double(count)},
        {"peak_memory_mib", peak_memory_mib()},
        {"sweeps", sweeps}};
    for (const fs::path& file : files) summary["files"].push_back(file.string());
    io::write_file_bytes(folder / "summary.json", summary.dump(2) + "\n");
  }

  void print_summary(const lidar::AccumulatedSequence& s, double write_seconds, double total,
                     const Device& device) const {
    std::int64_t points = 0;
    for (const auto& sweep : s.sweeps) points += std::int64_t(sweep.size() / 3);
    const lidar::Crispness& c = s.crispness;
    std::cout << fmt::format(
        "accumulated {} sweeps ({} points) to frame {} (t = {:.3f} s) with {} flow on {}\n",
        s.sweeps.size(), points, files_.frames[std::size_t(s.reference)],
        s.times[std::size_t(s.reference)], flow_name(), device.name());
    std::cout << fmt::format(
        "crispness of {} moving points (mean / median distance to the reference sweep): "
        "flow {:.3f} / {:.3f} m, pose only {:.3f} / {:.3f} m\n",
        c.moving_points, c.flow_mean, c.flow_median, c.static_mean, c.static_median);
    std::cout << fmt::format(
        "time: read {:.2f} s, registration {:.2f} s, flow {:.2f} s, integration {:.2f} s, write "
        "{:.2f} s; {:.2f} s in all, {:.2f} s per frame; peak memory {:.0f} MiB\n",
        s.seconds.read, s.seconds.registration, s.seconds.flow, s.seconds.integration,
        write_seconds, total, total / double(s.sweeps.size()), peak_memory_mib());
    std::cout << fmt::format(
        "wrote {}/{{accumulated.ply, accumulated.vtp, static.ply, "
        "trajectories.vtp, poses.txt, accumulation.png, summary.json}}\n",
        output_.string());
  }

  std::string registration_name() const {
    return settings_.registration_method == "gicp" ? "Generalized ICP (Open3D)"
                                                   : "point-to-plane ICP (Open3D)";
  }
  std::string flow_name() const {
    return settings_.flows ? "given" : settings_.options.flow.method;
  }

  std::string sequence_;
  fs::path output_;
  AccumulationSettings settings_;
  SweepFiles files_;
  CommonOptions common_;
};

}  // namespace

std::unique_ptr<Command> make_accumulate_command(CLI::App& parent) {
  return std::make_unique<AccumulateCommand>(parent);
}

}  // namespace advect::app
