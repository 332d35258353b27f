#include "AccumulationFlags.h"

#include "NumberChecks.h"

#include <fmt/format.h>

#include <charconv>
#include <memory>
#include <stdexcept>

#include "SceneFlowFlags.h"
#include "advect/io/IoError.h"
#include "advect/io/PointCloudIO.h"
#include "advect/io/SceneFlowData.h"
#include "advect/io/SweepSequence.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

// "A:B" of a listing of `count` sweeps, Python-style (B exclusive, either may be left out).
std::pair<int, int> parse_frames(const std::string& text, int count) {
  if (text.empty()) return {0, count};
  const auto colon = text.find(':');
  const auto number = [&](std::string_view part, int fallback) {
    if (part.empty()) return fallback;
    int value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size()) {
      throw std::invalid_argument(
          fmt::format("--frames {}: expected A:B with whole numbers", text));
    }
    return value;
  };
  if (colon == std::string::npos) {
    throw std::invalid_argument(fmt::format("--frames {}: expected A:B", text));
  }
  const std::string_view view(text);
  const int first = number(view.substr(0, colon), 0), end = number(view.substr(colon + 1), count);
  if (first < 0 || end > count || end - first < 2) {
    throw std::invalid_argument(fmt::format(
        "--frames {}: needs at least two of the {} sweeps found (0:{})", text, count, count));
  }
  return {first, end};
}

}  // namespace

void AccumulationSettings::add_sequence_flags(CLI::App& app) {
  add_scene_flow_flags(app, options.flow, true);
  app.add_option("--poses", poses,
                 "Sensor-to-world poses: KITTI poses.txt (3 x 4 per line) or a folder of 4 x 4 "
                 ".npy, one per listed sweep (default: ICP between consecutive sweeps)");
  app.add_flag("--world-frame", world_frame,
               "The sweeps are already in one world frame (no poses, no registration)")
      ->excludes(app.get_option("--poses"));
  app.add_option("--registration", registration_method,
                 "Without poses: point-to-plane ICP or gicp (Generalized ICP), both Open3D")
      ->check(CLI::IsMember({"point-to-plane", "gicp"}))
      ->capture_default_str();
  app.add_option("--timestamps", timestamps, "Sweep times, one per line in seconds (times.txt)")
      ->check(CLI::ExistingFile);
  app.add_option("--interval", interval, "Seconds between sweeps when no timestamps are given")
      ->check(positive())
      ->capture_default_str();
  app.add_option("--frames", frames, "Sweeps A:B of the listing (B exclusive), e.g. 0:8");
  app.add_option("--span", options.flow.rigid.span,
                 "rigid: fit each sweep's clusters to this many next sweeps (a longer baseline "
                 "shows slow motion and motion along an object's length)")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
}

void AccumulationSettings::add_to(CLI::App& app) {
  add_sequence_flags(app);
  app.add_flag("--in-reference-frame", options.in_reference_frame,
               "Write the maps and trajectories in the reference sweep's sensor frame (default: "
               "the world frame of the poses)");
  app.add_option("--flows", flows,
                 "Directory of precomputed flows, one per sweep (.npy (N, 3) or .xyz, world frame, "
                 "to the next sweep), used instead of estimating them")
      ->check(CLI::ExistingDirectory);
  app.add_option("--ref-frame", reference,
                 "Frame (number in the listing) whose time everything is carried to "
                 "(default: the middle one)");
  app.add_option("--integrator", integrator, "Fixed-step method: euler, heun, midpoint or rk4")
      ->check(CLI::IsMember({"euler", "heun", "midpoint", "rk4"}))
      ->capture_default_str();
  app.add_option("--substeps", options.carry.substeps, "Integrator steps per sweep interval")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--neighbours", options.carry.field.neighbours,
                 "Moved sweep points the flow is interpolated from")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  app.add_option("--radius", options.carry.field.radius,
                 "Beyond this distance from every moved sweep point the flow fades to zero, m")
      ->check(positive())
      ->capture_default_str();
  app.add_option("--moving-speed", options.moving_speed,
                 "Points at least this fast (m/s) count as moving (trajectories, crispness)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--max-trajectories", options.max_trajectories,
                 "Moving points whose paths go into trajectories.vtp (random sample)")
      ->check(non_negative())
      ->capture_default_str();
}

SweepFiles open_sweep_files(const std::string& sequence, const AccumulationSettings& settings) {
  SweepFiles out;
  const std::vector<fs::path> listed = io::list_sweeps(sequence);
  const int count = int(listed.size());
  const auto [first, end] = parse_frames(settings.frames, count);
  const int reference = settings.reference.value_or((first + end - 1) / 2);
  if (reference < first || reference >= end) {
    throw std::invalid_argument(
        fmt::format("--ref-frame {} is not among the frames used ({}:{})", reference, first, end));
  }
  out.files.assign(listed.begin() + first, listed.begin() + end);
  lidar::SweepSource& source = out.source;
  for (int k = first; k < end; ++k) {
    out.frames.push_back(k);
    source.names.push_back(listed[std::size_t(k)].string());
  }
  if (settings.poses) {
    const auto poses = io::read_poses(*settings.poses);
    if (int(poses.size()) < count) {
      throw io::IoError(*settings.poses,
                        fmt::format("{} poses for {} sweeps", poses.size(), count));
    }
    source.poses.assign(poses.begin() + first, poses.begin() + end);
  } else if (!settings.world_frame) {
    io::RegistrationOptions options = settings.registration;
    options.generalized = settings.registration_method == "gicp";
    auto registration = std::make_shared<io::SweepRegistration>(options);
    source.register_sweep = [registration](const std::vector<float>& points) {
      return registration->add(points);
    };
  }
  if (settings.timestamps) {
    const std::vector<double> times = io::read_timestamps(*settings.timestamps);
    if (int(times.size()) < count) {
      throw io::IoError(*settings.timestamps,
                        fmt::format("{} times for {} sweeps", times.size(), count));
    }
    source.times.assign(times.begin() + first, times.begin() + end);
  } else {
    for (int k = first; k < end; ++k) source.times.push_back(settings.interval * (k - first));
  }
  source.read = [files = out.files](std::size_t k) { return io::read_point_cloud(files[k]); };
  if (settings.flows) {
    const std::vector<fs::path> flow_files = io::list_sweeps(settings.flows->string());
    // Listed like the sweeps: the frames used need the files up to the one before the last.
    if (int(flow_files.size()) < end - 1) {
      throw io::IoError(*settings.flows,
                        fmt::format("{} flow files for {} sweeps (one per sweep but the last is "
                                    "needed)",
                                    flow_files.size(), end));
    }
    // A copy, not the binding: clang 14 cannot capture structured bindings.
    source.read_flow = [flow_files, offset = std::size_t(first)](std::size_t k,
                                                                 std::size_t points) {
      return io::read_flow_file(flow_files[offset + k], points);
    };
  }
  out.options = settings.options;
  out.options.reference = reference - first;
  out.options.integrator = *parse_ode_method(settings.integrator);
  return out;
}

}  // namespace advect::app
