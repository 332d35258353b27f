#include "advect/lidar/Accumulation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include "advect/engine/Log.h"
#include "advect/engine/Timing.h"
#include "advect/geometry/NeighbourGrid.h"
#include "advect/geometry/RigidTransform.h"

namespace advect::lidar {

namespace {

void report(const StageProgress& progress, std::string_view stage, double done, double total,
            std::string_view unit) {
  if (progress) progress(stage, done, total, unit);
}

void check_source(const SweepSource& source, int reference) {
  const std::size_t n = source.names.size();
  if (n < 2)
    throw std::invalid_argument(fmt::format("accumulation needs at least two sweeps, got {}", n));
  if (!source.read)
    throw std::invalid_argument("accumulation: the sweep source cannot read sweeps");
  if (source.times.size() != n) {
    throw std::invalid_argument(fmt::format("{} times for {} sweeps", source.times.size(), n));
  }
  for (std::size_t k = 1; k < n; ++k) {
    if (!(source.times[k] > source.times[k - 1])) {
      throw std::invalid_argument(fmt::format("sweep times must increase: {} then {} s ({}, {})",
                                              source.times[k - 1], source.times[k],
                                              source.names[k - 1], source.names[k]));
    }
  }
  if (!source.poses.empty() && source.poses.size() != n) {
    throw std::invalid_argument(fmt::format("{} poses for {} sweeps", source.poses.size(), n));
  }
  if (reference < 0 || reference >= int(n)) {
    throw std::invalid_argument(
        fmt::format("reference sweep {} is not among the {} sweeps", reference, n));
  }
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

void read_sweeps(const SweepSource& source, const AccumulationOptions& options,
                 const Device& device, const StageProgress& progress, AccumulatedSequence& s) {
  const bool registering = source.poses.empty() && bool(source.register_sweep);
  const char* stage = registering ? "read + register" : "read";
  const double count = double(source.names.size());
  bool every_sweep_has_intensity = true;
  for (std::size_t k = 0; k < source.names.size(); ++k) {
    const auto start = Clock::now();
    geometry::PointCloud cloud = source.read(k);
    std::vector<std::int64_t> rows = surviving_rows(cloud.positions, options.flow, device);
    if (rows.empty()) {
      throw std::invalid_argument(
          fmt::format("{}: no points left after cropping and ground removal", source.names[k]));
    }
    s.seconds.read += seconds_since(start);
    if (registering) {
      const auto registration_start = Clock::now();
      const geometry::RegistrationStep step = source.register_sweep(cloud.positions);
      s.poses.push_back(step.pose);
      s.registration.push_back(step);
      s.seconds.registration += seconds_since(registration_start);
    } else if (source.poses.empty()) {
      s.poses.emplace_back();  // one shared frame
    } else {
      s.poses.push_back(source.poses[k]);
    }
    std::vector<float> world = pick_rows(cloud.positions, rows, 3);
    geometry::transform_points(s.poses[k], world.data(), std::int64_t(world.size() / 3),
                               Device::cpu());
    s.sweeps.push_back(std::move(world));
    s.read_points.push_back(cloud.size());
    const auto intensity = cloud.scalars.find("intensity");
    if (intensity != cloud.scalars.end() && every_sweep_has_intensity) {
      s.intensity.push_back(pick_rows(intensity->second, rows, 1));
    } else {
      every_sweep_has_intensity = false;
    }
    s.rows.push_back(std::move(rows));
    report(progress, stage, double(k + 1), count, "sweeps");
  }
  if (!every_sweep_has_intensity) s.intensity.clear();
}

void read_flows(const SweepSource& source, AccumulatedSequence& s) {
  for (std::size_t k = 0; k + 1 < s.sweeps.size(); ++k) {
    const std::vector<float> flow = source.read_flow(k, s.read_points[k]);
    if (flow.size() != 3 * s.read_points[k]) {
      throw std::invalid_argument(fmt::format("{}: a flow of {} values for {} points",
                                              source.names[k], flow.size(), s.read_points[k]));
    }
    s.flows.push_back(pick_rows(flow, s.rows[k], 3));
    FlowEstimate given;
    given.fitted_source_points = std::int64_t(s.rows[k].size());
    s.estimates.push_back(given);
  }
}

// The rigid method over the whole sequence (each sweep's clusters fitted to the next
// options.flow.rigid.span sweeps) or the sequence method.
void estimate_rigid_flows(const AccumulationOptions& options, const Device& device,
                          const StageProgress& progress, const std::string& stage,
                          AccumulatedSequence& s) {
  const double pairs = double(s.sweeps.size() - 1);
  const auto on_sweep = [&](std::size_t done) {
    report(progress, stage, double(done), pairs, "sweeps");
  };
  std::vector<RigidFlow> flows =
      options.flow.method == "sequence"
          ? estimate_sequence_flows(s.sweeps, options.flow.rigid, options.flow.sequence, device,
                                    on_sweep)
          : estimate_rigid_sequence_flows(s.sweeps, options.flow.rigid, device, on_sweep);
  for (std::size_t k = 0; k < flows.size(); ++k) {
    FlowEstimate estimate;
    estimate.fitted_source_points = std::int64_t(s.sweeps[k].size() / 3);
    estimate.fitted_target_points = std::int64_t(s.sweeps[k + 1].size() / 3);
    estimate.clusters = flows[k].clusters;
    estimate.moving_clusters = flows[k].moving_clusters;
    estimate.moving_points =
        std::count(flows[k].moving.begin(), flows[k].moving.end(), std::uint8_t(1));
    s.flows.push_back(std::move(flows[k].flow));
    s.estimates.push_back(estimate);
  }
}

void estimate_flows(const SweepSource& source, const AccumulationOptions& options,
                    const Device& device, const StageProgress& progress, AccumulatedSequence& s) {
  const auto start = Clock::now();
  const std::size_t pairs = s.sweeps.size() - 1;
  const std::string stage = fmt::format("scene flow ({})", options.flow.method);
  if (!options.flow.is_neural()) {
    estimate_rigid_flows(options, device, progress, stage, s);
    s.seconds.flow = seconds_since(start);
    return;
  }
  std::vector<float> previous;  // the last pair's networks: a warm start for the next
  for (std::size_t k = 0; k < pairs; ++k) {
    geometry::SceneFlowPair pair;
    pair.name = source.names[k];
    pair.source.positions = s.sweeps[k];
    pair.target.positions = s.sweeps[k + 1];
    // Whole pairs only: early stopping makes iterations a poor measure of what is left.
    FlowEstimate estimate =
        estimate_flow(pair, options.flow, device, {},
                      options.flow.warm_start ? std::move(previous) : std::vector<float>{});
    previous = std::move(estimate.parameters);
    if (std::any_of(estimate.flow.begin(), estimate.flow.end(),
                    [](float v) { return !std::isfinite(v); })) {
      throw std::runtime_error(fmt::format("scene flow from {} to {} is not finite",
                                           source.names[k], source.names[k + 1]));
    }
    s.flows.push_back(std::move(estimate.flow));
    estimate.flow.clear();
    s.estimates.push_back(std::move(estimate));
    report(progress, stage, double(k + 1), double(pairs), "pairs");
    log().debug("{}: {} iterations, {:.2f} s", pair.name, s.estimates.back().iterations,
                s.estimates.back().seconds);
  }
  s.seconds.flow = seconds_since(start);
}

}  // namespace

std::vector<float> AccumulatedSequence::flow_at_read_points(std::size_t k) const {
  std::vector<float> full(3 * read_points[k], 0.0f);
  for (std::size_t r = 0; r < rows[k].size(); ++r) {
    for (std::size_t d = 0; d < 3; ++d) full[3 * std::size_t(rows[k][r]) + d] = flows[k][3 * r + d];
  }
  return full;
}

SceneFlowSettings AccumulationOptions::fast_flow() {
  SceneFlowSettings settings;
  settings.method = "fast";
  return settings;
}

AccumulatedSequence estimate_sequence(const SweepSource& source, const AccumulationOptions& options,
                                      const Device& device, const StageProgress& progress) {
  const int count = int(source.names.size());
  const int reference = options.reference >= 0 ? options.reference : (count - 1) / 2;
  check_source(source, reference);
  AccumulatedSequence s;
  s.times = source.times;
  s.reference = reference;
  read_sweeps(source, options, device, progress, s);
  if (source.read_flow) {
    read_flows(source, s);
  } else {
    estimate_flows(source, options, device, progress, s);
  }
  return s;
}

AccumulatedSequence accumulate(const SweepSource& source, const AccumulationOptions& options,
                               const Device& device, const StageProgress& progress) {
  AccumulatedSequence s = estimate_sequence(source, options, device, progress);

  const auto start = Clock::now();
  s.speeds = geometry::sweep_speeds(s.sweeps, s.flows, s.times, options.carry.field, device);
  s.traced = pick_traced(s, options.moving_speed, options.max_trajectories, options.flow.seed);
  geometry::CarryOptions carry = options.carry;
  carry.method = options.integrator;
  carry.still_below = options.moving_speed;
  carry.traced = s.traced;
  const double intervals = double(s.sweeps.size() - 1);
  carry.on_interval = [&](int done, int) {
    report(progress, "integrate", double(done), intervals, "intervals");
  };
  s.carried = geometry::carry_to_reference(s.sweeps, s.flows, s.times, s.reference, carry, device);
  s.crispness = measure_crispness(s, options.moving_speed, device);
  if (options.in_reference_frame) {
    const geometry::RigidTransform to_reference =
        geometry::inverse(s.poses[std::size_t(s.reference)]);
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

}  // namespace advect::lidar
