// The accumulation pipeline: a lidar sequence put into one world frame (given poses, or the
// caller's registration), scene flow between consecutive sweeps (or flows the caller gives),
// every sweep carried to the reference time through the chain of flows, and how sharp the
// result is. The caller reads the sweeps and registers them (io/ does both for files); this part
// reads no file. Points are N x 3 float32, point-major, metres; times in seconds.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/engine/OdeSolver.h"
#include "advect/geometry/FlowChain.h"
#include "advect/geometry/PointCloud.h"
#include "advect/geometry/RigidFit.h"
#include "advect/lidar/SceneFlowPipeline.h"

namespace advect::lidar {

// The sequence, as the caller provides it. Sweeps are read in order, each once.
struct SweepSource {
  std::vector<std::string> names;  // one per sweep (file names, frame numbers): for messages
  std::vector<double> times;       // one per sweep, seconds, increasing
  // Sweep k's points in its sensor frame, optionally with an "intensity" scalar.
  std::function<geometry::PointCloud(std::size_t k)> read;
  // Sensor-to-world pose per sweep. Empty: `register_sweep` is called with each sweep's points in
  // order and gives its pose (the first sweep's is the world); both empty: one shared frame.
  std::vector<geometry::RigidTransform> poses;
  std::function<geometry::RegistrationStep(const std::vector<float>& points)> register_sweep;
  // Precomputed flows instead of estimating them: read_flow(k, n) gives sweep k's world-frame
  // displacement to sweep k + 1 at each of its n points (as read, before crop and ground
  // removal), for every sweep but the last.
  std::function<std::vector<float>(std::size_t k, std::size_t n)> read_flow;
};

struct AccumulationOptions {
  SceneFlowSettings flow = fast_flow();  // crop and ground removal apply to every sweep
  int reference = -1;                    // the sweep everything is carried to; -1: the middle one
  OdeMethod integrator = OdeMethod::rk4;
  geometry::CarryOptions carry;  // method and still_below are set from the fields here
  float moving_speed = 0.5f;     // m/s: points at least this fast count as moving (as AV2's)
  std::int64_t max_trajectories = 5000;  // moving points whose paths are traced (random sample)
  // Give the results (sweeps, carried points, paths) in the reference sweep's sensor frame, as
  // densified training data wants them, instead of the world frame.
  bool in_reference_frame = false;

  static SceneFlowSettings fast_flow();
};

// How sharp moving objects are at the reference time: the distance from each moving point of the
// other sweeps to the nearest point of the reference sweep, after flow-based and after pose-only
// accumulation (metres).
struct Crispness {
  std::int64_t moving_points = 0;
  double flow_mean = 0.0, static_mean = 0.0;
  double flow_median = 0.0, static_median = 0.0;
};

struct StageSeconds {
  double read = 0.0, registration = 0.0, flow = 0.0, integration = 0.0;
};

struct AccumulatedSequence {
  std::vector<double> times;                             // seconds, per sweep
  std::vector<geometry::RigidTransform> poses;           // sensor -> world, per sweep
  std::vector<geometry::RegistrationStep> registration;  // per sweep when registered here
  int reference = 0;                                     // index of the reference sweep
  // Per sweep, in the world frame (or the reference sweep's frame, see in_reference_frame): its
  // points (after crop/ground removal), N_j x 3; their rows in the sweep as read; their speed
  // (m/s); and (for all but the last) the flow to the next sweep.
  std::vector<std::vector<float>> sweeps;
  std::vector<std::vector<std::int64_t>> rows;
  std::vector<std::size_t> read_points;  // points of each sweep as read
  // Per sweep: each kept point's intensity, when every sweep has one; empty otherwise.
  std::vector<std::vector<float>> intensity;
  std::vector<std::vector<float>> speeds;
  std::vector<std::vector<float>> flows;
  std::vector<FlowEstimate> estimates;  // per pair (flow emptied: it lives in `flows`)
  geometry::CarriedSweeps carried;      // at the reference time, and the traced paths
  std::vector<std::vector<std::int64_t>> traced;
  Crispness crispness;
  StageSeconds seconds;

  // Sweep k's flow (k < flows.size()) at every one of its points as read, N x 3 in the frame of
  // `flows`: zero where crop or ground removal took the point out (still in the world frame).
  std::vector<float> flow_at_read_points(std::size_t k) const;
};

// Progress of a stage ("read", "read + register", "scene flow", "integrate"): `done` of `total`
// `unit`s. It may throw to stop the run (the exception leaves accumulate()).
using StageProgress =
    std::function<void(std::string_view stage, double done, double total, std::string_view unit)>;

// The stages before integration (read, register, crop and ground removal, scene flow), as
// `advect sceneflow sequence` runs them: the result has its times, poses, sweeps, rows, intensity,
// flows and estimates filled, and no speeds, carried points or crispness. options.reference only
// needs to be in range. Throws as accumulate() does.
AccumulatedSequence estimate_sequence(const SweepSource& source, const AccumulationOptions& options,
                                      const Device& device, const StageProgress& progress = {});

// Runs every stage on `device`. Throws std::invalid_argument for unusable sources or options
// (fewer than two sweeps, a reference out of range, mismatched counts, a sweep emptied by crop or
// ground removal) and std::runtime_error when a flow is not finite; whatever the callbacks throw
// passes through.
AccumulatedSequence accumulate(const SweepSource& source, const AccumulationOptions& options,
                               const Device& device, const StageProgress& progress = {});

}  // namespace advect::lidar
