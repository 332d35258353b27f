// `advect accumulate`'s pipeline: a lidar sequence read sweep by sweep into one world frame (given
// poses, or ICP), scene flow between consecutive sweeps, every sweep carried to the reference
// time through the chain of flows, and how sharp the result is.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "SceneFlowRun.h"
#include "SweepRegistration.h"
#include "advect/geometry/FlowChain.h"
#include "advect/io/KittiPoses.h"

namespace advect::app {

struct AccumulationSettings {
  SceneFlowSettings flow;  // method "fast" by default here
  std::optional<std::filesystem::path> poses, timestamps;
  // Precomputed flows instead of estimating them: one file per listed sweep (name order; .npy
  // (N, 3) or .xyz), the world-frame displacement of each of its points to the next sweep.
  std::optional<std::filesystem::path> flows;
  bool world_frame = false;  // sweeps already share one frame: no registration
  // Give the results (sweeps, carried points, paths) in the reference sweep's sensor frame, as
  // densified training data wants them, instead of the world frame.
  bool in_reference_frame = false;
  double interval = 0.1;         // seconds between sweeps without timestamps
  std::string frames;            // "A:B" (B exclusive, either may be left out) of the listing
  std::optional<int> reference;  // frame number in the listing; the middle one by default
  std::string integrator = "rk4";
  geometry::CarryOptions carry;
  float moving_speed = 0.5f;  // m/s: points at least this fast count as moving (as AV2's)
  std::int64_t max_trajectories = 5000;
  RegistrationOptions registration;
  std::string registration_method = "point-to-plane";  // or "gicp"

  AccumulationSettings();
  void add_to(CLI::App& app);
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
  std::vector<std::filesystem::path> files;    // the sweeps used
  std::vector<int> frames;                     // their numbers in the listing
  std::vector<double> times;                   // seconds
  std::vector<io::Pose> poses;                 // sensor -> world
  std::vector<RegistrationStep> registration;  // per sweep when ICP gave the poses
  int reference = 0;                           // index into the sweeps used
  // Per sweep, in the world frame (or the reference sweep's frame, see in_reference_frame): its
  // points (after crop/ground removal), N_j x 3; their rows in the file; their speed (m/s); and
  // (for all but the last) the flow to the next sweep.
  std::vector<std::vector<float>> sweeps;
  std::vector<std::vector<std::int64_t>> rows;
  std::vector<std::size_t> file_points;  // points in each file before crop/ground removal
  // Per sweep: each kept point's intensity, when every sweep's file has one (KITTI .bin, .npy
  // (N, 4)); empty otherwise.
  std::vector<std::vector<float>> intensity;
  std::vector<std::vector<float>> speeds;
  std::vector<std::vector<float>> flows;
  std::vector<FlowEstimate> estimates;  // per pair (flow emptied: it lives in `flows`)
  geometry::CarriedSweeps carried;      // at the reference time, and the traced paths
  std::vector<std::vector<std::int64_t>> traced;
  Crispness crispness;
  StageSeconds seconds;
};

// Runs every stage on `device`; progress bars (one per stage) when `progress`. Throws io::IoError
// for bad files and std::runtime_error / std::invalid_argument for unusable settings.
AccumulatedSequence accumulate(const std::string& sequence, const AccumulationSettings& settings,
                               const Device& device, bool progress);

}  // namespace advect::app
