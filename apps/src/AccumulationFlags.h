// `advect accumulate`'s flags and the sweep source they describe: a listing of sweep files (a
// directory or a glob), a frame range, poses and times from files or Open3D ICP, precomputed flow
// files. The pipeline itself is lidar::accumulate.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "advect/io/SweepRegistration.h"
#include "advect/lidar/Accumulation.h"

namespace advect::app {

struct AccumulationSettings {
  lidar::AccumulationOptions options;  // its reference and integrator come from the fields below
  std::optional<std::filesystem::path> poses, timestamps;
  // Precomputed flows instead of estimating them: one file per listed sweep (name order; .npy
  // (N, 3) or .xyz), the world-frame displacement of each of its points to the next sweep.
  std::optional<std::filesystem::path> flows;
  bool world_frame = false;      // sweeps already share one frame: no registration
  double interval = 0.1;         // seconds between sweeps without timestamps
  std::string frames;            // "A:B" (B exclusive, either may be left out) of the listing
  std::optional<int> reference;  // frame number in the listing; the middle one by default
  std::string integrator = "rk4";
  io::RegistrationOptions registration;
  std::string registration_method = "point-to-plane";  // or "gicp"

  // The flags that say which sweeps, in which frame and at which times, and how their flows are
  // estimated (`sceneflow sequence` has only these).
  void add_sequence_flags(CLI::App& app);
  // All of `accumulate`'s: the above and the integration's.
  void add_to(CLI::App& app);
};

// The sweeps a command line names, ready for lidar::accumulate (with options() as its options).
struct SweepFiles {
  std::vector<std::filesystem::path> files;  // the sweeps used
  std::vector<int> frames;                   // their numbers in the listing
  lidar::SweepSource source;
  lidar::AccumulationOptions options;
};
// Throws io::IoError for bad files and std::invalid_argument for bad --frames / --ref-frame.
SweepFiles open_sweep_files(const std::string& sequence, const AccumulationSettings& settings);

}  // namespace advect::app
