#include "Accumulation.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <random>

#include "Timing.h"
#include "advect/engine/Log.h"
#include "advect/engine/Progress.h"
#include "advect/geometry/Knn.h"
#include "advect/geometry/RigidTransform.h"
#include "advect/io/IoError.h"
#include "advect/io/PointCloudIO.h"
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

geometry::RigidTransform to_transform(const io::Pose& pose) {
  geometry::RigidTransform transform;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) transform.rotation[3 * r + c] = pose[std::size_t(4 * r + c)];
    transform.translation[r] = pose[std::size_t(4 * r + 3)];
  }
  return transform;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const auto middle = values.begin() + std::ptrdiff_t(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

// Distance from each point to the nearest point of `reference` (both N x 3, host), metres.
std::vector<double> nearest_distances(const std::vector<float>& reference,
                                      const std::vector<float>& points, const Device& device) {
  const auto n = std::int64_t(points.size() / 3);
  if (n == 0) return {};
  const auto reference_points = Buffer<float>::from_host(reference, device);
  const geometry::NeighbourGrid grid(reference_points.data(), std::int64_t(reference.size() / 3),
                                     device);
  const auto queries = Buffer<float>::from_host(points, device);
  Buffer<std::int32_t> index(std::size_t(n), device);
  Buffer<float> squared(std::size_t(n), device);
  grid.query(queries.data(), n, 1, index.data(), squared.data());
  std::vector<double> distances;
  for (const float d2 : squared.to_host()) distances.push_back(std::sqrt(double(d2)));
  return distances;
}

Crispness measure_crispness(const AccumulatedSequence& s, float moving_speed,
                            const Device& device) {
  std::vector<float> carried, still;
  for (std::size_t j = 0; j < s.sweeps.size(); ++j) {
    if (int(j) == s.reference) continue;
    for (std::size_t i = 0; i < s.speeds[j].size(); ++i) {
      if (s.speeds[j][i] < moving_speed) continue;
      carried.insert(carried.end(), &s.carried.at_reference[j][3 * i],
                     &s.carried.at_reference[j][3 * i] + 3);
      still.insert(still.end(), &s.sweeps[j][3 * i], &s.sweeps[j][3 * i] + 3);
    }
  }
  Crispness out;
  out.moving_points = std::int64_t(carried.size() / 3);
  if (out.moving_points == 0) return out;
  const auto& reference = s.sweeps[std::size_t(s.reference)];
  const std::vector<double> flow = nearest_distances(reference, carried, device);
  const std::vector<double> pose_only = nearest_distances(reference, still, device);
  out.flow_mean = std::accumulate(flow.begin(), flow.end(), 0.0) / double(flow.size());
  out.static_mean = std::accumulate(pose_only.begin(), pose_only.end(), 0.0) / double(flow.size());
  out.flow_median = median(flow);
  out.static_median = median(pose_only);
  return out;
}

// Up to `limit` moving points of the sweeps other than the reference, drawn at random.
std::vector<std::vector<std::int64_t>> pick_traced(const AccumulatedSequence& s, float moving_speed,
                                                   std::int64_t limit, std::uint64_t seed) {
  std::vector<std::pair<std::size_t, std::int64_t>> moving;
  for (std::size_t j = 0; j < s.speeds.size(); ++j) {
    if (int(j) == s.reference) continue;
    for (std::size_t i = 0; i < s.speeds[j].size(); ++i) {
      if (s.speeds[j][i] >= moving_speed) moving.emplace_back(j, std::int64_t(i));
    }
  }
  std::mt19937_64 rng(seed);
  if (std::int64_t(moving.size()) > limit) {
    std::shuffle(moving.begin(), moving.end(), rng);
    moving.resize(std::size_t(std::max<std::int64_t>(limit, 0)));
    std::sort(moving.begin(), moving.end());
  }
  std::vector<std::vector<std::int64_t>> traced(s.sweeps.size());
  for (const auto& [sweep, row] : moving) traced[sweep].push_back(row);
  return traced;
}

// Poses and times of the sweeps [first, end) of a listing of `listed` sweeps.
void read_poses_and_times(const AccumulationSettings& settings, int listed, int first, int end,
                          AccumulatedSequence& s) {
  if (settings.poses) {
    const std::vector<io::Pose> poses = io::read_poses(*settings.poses);
    if (int(poses.size()) < listed) {
      throw io::IoError(*settings.poses,
                        fmt::format("{} poses for {} sweeps", poses.size(), listed));
    }
    s.poses.assign(poses.begin() + first, poses.begin() + end);
  }
  if (settings.timestamps) {
    const std::vector<double> times = io::read_timestamps(*settings.timestamps);
    if (int(times.size()) < listed) {
      throw io::IoError(*settings.timestamps,
                        fmt::format("{} times for {} sweeps", times.size(), listed));
    }
    s.times.assign(times.begin() + first, times.begin() + end);
  } else {
    for (int k = first; k < end; ++k) s.times.push_back(settings.interval * (k - first));
  }
}

void read_sweeps(const AccumulationSettings& settings, const Device& device, bool progress,
                 AccumulatedSequence& s) {
  const bool registering = !settings.poses && !settings.world_frame;
  std::optional<SweepRegistration> registration;
  if (registering) {
    RegistrationOptions options = settings.registration;
    options.generalized = settings.registration_method == "gicp";
    registration.emplace(options);
  }
  ProgressBar bar(registering ? "read + register" : "read", double(s.files.size()), "sweeps",
                  progress);
  for (std::size_t k = 0; k < s.files.size(); ++k) {
    const auto start = Clock::now();
    geometry::PointCloud cloud = io::read_point_cloud(s.files[k]);
    std::vector<std::int64_t> rows = surviving_rows(cloud.positions, settings.flow, device);
    if (rows.empty()) {
      throw io::IoError(s.files[k], "no points left after --crop/--remove-ground");
    }
    s.seconds.read += seconds_since(start);
    if (registering) {
      const auto registration_start = Clock::now();
      const RegistrationStep step = registration->add(cloud.positions);
      s.poses.push_back(step.pose);
      s.registration.push_back(step);
      s.seconds.registration += seconds_since(registration_start);
    } else if (settings.world_frame) {
      s.poses.push_back({1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
    }
    std::vector<float> world = pick_rows(cloud.positions, rows, 3);
    geometry::transform_points(to_transform(s.poses[k]), world.data(),
                               std::int64_t(world.size() / 3), Device::cpu());
    s.sweeps.push_back(std::move(world));
    s.rows.push_back(std::move(rows));
    s.file_points.push_back(cloud.size());
    const auto intensity = cloud.scalars.find("intensity");
    if (intensity != cloud.scalars.end()) {
      s.intensity.push_back(pick_rows(intensity->second, s.rows.back(), 1));
    }
    bar.update(double(k + 1));
  }
}

// The flows of the sweeps used from --flows (all but the last sweep's).
void read_flows(const fs::path& directory, int listed, AccumulatedSequence& s) {
  const std::vector<fs::path> files = io::list_sweeps(directory.string());
  if (int(files.size()) < listed - 1) {
    throw io::IoError(directory, fmt::format("{} flow files for {} sweeps (one per sweep but the "
                                             "last is needed)",
                                             files.size(), listed));
  }
  for (std::size_t k = 0; k + 1 < s.sweeps.size(); ++k) {
    const std::vector<float> flow =
        io::read_flow_file(files[std::size_t(s.frames[k])], s.file_points[k]);
    s.flows.push_back(pick_rows(flow, s.rows[k], 3));
    FlowEstimate given;
    given.fitted_source_points = std::int64_t(s.rows[k].size());
    s.estimates.push_back(given);
  }
}

void estimate_flows(const AccumulationSettings& settings, const Device& device, bool progress,
                    AccumulatedSequence& s) {
  const auto start = Clock::now();
  const std::size_t pairs = s.sweeps.size() - 1;
  ProgressBar bar(fmt::format("scene flow ({})", settings.flow.method), double(pairs), "pairs",
                  progress);
  for (std::size_t k = 0; k < pairs; ++k) {
    io::SceneFlowPair pair;
    pair.name = s.files[k].stem().string();
    pair.source.positions = s.sweeps[k];
    pair.target.positions = s.sweeps[k + 1];
    // Whole pairs only: early stopping makes iterations a poor measure of what is left.
    FlowEstimate estimate = estimate_flow(pair, settings.flow, device, [](int) {});
    if (std::any_of(estimate.flow.begin(), estimate.flow.end(),
                    [](float v) { return !std::isfinite(v); })) {
      throw std::runtime_error(fmt::format("scene flow from {} to {} is not finite",
                                           s.files[k].string(), s.files[k + 1].string()));
    }
    s.flows.push_back(std::move(estimate.flow));
    estimate.flow.clear();
    s.estimates.push_back(std::move(estimate));
    bar.update(double(k + 1));
    log().debug("{}: {} iterations, {:.2f} s", pair.name, s.estimates.back().iterations,
                s.estimates.back().seconds);
  }
  s.seconds.flow = seconds_since(start);
}

}  // namespace

AccumulationSettings::AccumulationSettings() {
  flow.method = "fast";
}

void AccumulationSettings::add_to(CLI::App& app) {
  flow.add_to(app);
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
  app.add_flag("--in-reference-frame", in_reference_frame,
               "Write the maps and trajectories in the reference sweep's sensor frame (default: "
               "the world frame of the poses)");
  app.add_option("--flows", flows,
                 "Directory of precomputed flows, one per sweep (.npy (N, 3) or .xyz, world frame, "
                 "to the next sweep), used instead of estimating them")
      ->check(CLI::ExistingDirectory);
  app.add_option("--timestamps", timestamps, "Sweep times, one per line in seconds (times.txt)")
      ->check(CLI::ExistingFile);
  app.add_option("--interval", interval, "Seconds between sweeps when no timestamps are given")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--frames", frames, "Sweeps A:B of the listing (B exclusive), e.g. 0:8");
  app.add_option("--ref-frame", reference,
                 "Frame (number in the listing) whose time everything is carried to "
                 "(default: the middle one)");
  app.add_option("--integrator", integrator, "Fixed-step method: euler, heun, midpoint or rk4")
      ->check(CLI::IsMember({"euler", "heun", "midpoint", "rk4"}))
      ->capture_default_str();
  app.add_option("--substeps", carry.substeps, "Integrator steps per sweep interval")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--neighbours", carry.field.neighbours,
                 "Moved sweep points the flow is interpolated from")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  app.add_option("--radius", carry.field.radius,
                 "Beyond this distance from every moved sweep point the flow fades to zero, m")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--moving-speed", moving_speed,
                 "Points at least this fast (m/s) count as moving (trajectories, crispness)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--max-trajectories", max_trajectories,
                 "Moving points whose paths go into trajectories.vtp (random sample)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

AccumulatedSequence accumulate(const std::string& sequence, const AccumulationSettings& settings,
                               const Device& device, bool progress) {
  AccumulatedSequence s;
  const std::vector<fs::path> listed = io::list_sweeps(sequence);
  const auto [first, end] = parse_frames(settings.frames, int(listed.size()));
  const int reference = settings.reference.value_or((first + end - 1) / 2);
  if (reference < first || reference >= end) {
    throw std::invalid_argument(
        fmt::format("--ref-frame {} is not among the frames used ({}:{})", reference, first, end));
  }
  s.files.assign(listed.begin() + first, listed.begin() + end);
  for (int k = first; k < end; ++k) s.frames.push_back(k);
  s.reference = reference - first;
  read_poses_and_times(settings, int(listed.size()), first, end, s);
  read_sweeps(settings, device, progress, s);
  if (s.intensity.size() != s.sweeps.size()) s.intensity.clear();
  if (settings.flows) {
    read_flows(*settings.flows, int(listed.size()), s);
  } else {
    estimate_flows(settings, device, progress, s);
  }

  const auto start = Clock::now();
  s.speeds = geometry::sweep_speeds(s.sweeps, s.flows, s.times, settings.carry.field, device);
  s.traced = pick_traced(s, settings.moving_speed, settings.max_trajectories, settings.flow.seed);
  geometry::CarryOptions carry = settings.carry;
  carry.method = *parse_ode_method(settings.integrator);
  carry.still_below = settings.moving_speed;
  carry.traced = s.traced;
  ProgressBar bar("integrate", double(s.sweeps.size() - 1), "intervals", progress);
  carry.on_interval = [&](int done, int) { bar.update(done); };
  s.carried = geometry::carry_to_reference(s.sweeps, s.flows, s.times, s.reference, carry, device);
  bar.finish();
  s.crispness = measure_crispness(s, settings.moving_speed, device);
  if (settings.in_reference_frame) {
    const geometry::RigidTransform to_reference =
        geometry::inverse(to_transform(s.poses[std::size_t(s.reference)]));
    const auto move = [&](std::vector<float>& points) {
      geometry::transform_points(to_reference, points.data(), std::int64_t(points.size() / 3),
                                 Device::cpu());
    };
    for (auto& points : s.sweeps) move(points);
    for (auto& points : s.carried.at_reference) move(points);
    for (auto& points : s.carried.paths) move(points);
  }
  s.seconds.integration = seconds_since(start);
  return s;
}

}  // namespace advect::app
