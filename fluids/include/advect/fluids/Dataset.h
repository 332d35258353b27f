// Surrogate training data in CFDBench's layout (Luo, Chen & Zhang 2023): per case, fields as
// float32 (T, H, W) = (frames, points along y, points along x), row 0 at the bottom, and the
// physical parameters as case.json. The cavity is saved on its own cells; the cylinder channel
// resampled (bilinear) to size x size points at the centres of an even grid over the channel;
// the torus (vorticity) on every (cells / size)-th grid point. A case's parameters come from
// (seed, case number) alone, so any case can be made again, alone, identically.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/fluids/MacFlow.h"

namespace advect::fluids {

enum class DatasetProblem {
  cavity,    // the lid-driven unit square
  cylinder,  // the DFG channel, 0.41 m x 2.2 m, parabolic inflow, one cylinder
  vorticity  // the forced periodic flow on the unit torus of Li et al. (2021), pseudo-spectral
};

struct ValueRange {
  double low = 0.0, high = 0.0;
};

struct DatasetOptions {
  DatasetProblem problem = DatasetProblem::cavity;
  // Cells per side (cavity, also the saved resolution), across the channel (cylinder: a multiple
  // of 8, at least 32) or grid points per side of the torus (vorticity: even, divisible by size).
  int cells = 64;
  int size = 64;  // cylinder, vorticity: saved points per side
  int frames = 20;
  double interval = 0.1;  // s between frames, the first at t = 0 (after spin_up for vorticity)
  // Drawn uniformly per case (viscosity log-uniformly): lid velocity (cavity) or mean inflow
  // (cylinder; the profile's peak is 1.5x), m/s; the cylinder's radius and centre, m; density,
  // kg/m^3; dynamic viscosity, Pa s.
  ValueRange lid{0.5, 2.0}, inflow{0.2, 1.0}, radius{0.03, 0.06}, centre_x{0.15, 0.3},
      centre_y{0.15, 0.26}, density{1.0, 1.0}, viscosity{0.002, 0.02};
  double spin_up = 10.0;  // vorticity: s before the first frame
  std::uint64_t seed = 0;
  Precision precision = Precision::float64;  // the MAC solver's fields (vorticity: double only)
};

// The options with a problem's own defaults: frame interval 0.1 s (cavity), 0.05 s (cylinder),
// 1 s (vorticity); viscosity 0.002:0.02, 0.001:0.004, 0.001 Pa s.
DatasetOptions dataset_defaults(DatasetProblem problem);

// What is wrong with options no case can be made with (grid sizes, reversed or non-positive
// ranges, a cylinder too close to the walls or the inflow, float vorticity): the option's name
// as in DatasetOptions ("cells", "lid", "radius/centre_x/centre_y", ...) and why; none if fine.
struct OptionProblem {
  std::string option, message;
};
std::optional<OptionProblem> find_dataset_problem(const DatasetOptions& options);

struct DatasetCase {
  // Field name ("u", "v"; "vorticity" too for the torus) and values, frames x height x width.
  std::vector<std::pair<std::string, std::vector<float>>> fields;
  std::size_t height = 0, width = 0;
  nlohmann::json metadata;  // case.json: the parameters, the layout, the grid
};

// Case number `k` of a dataset (parameters from (options.seed, k)); the MAC cases on `device`.
// Throws std::invalid_argument with find_dataset_problem's message for unusable options.
DatasetCase make_dataset_case(const DatasetOptions& options, int k, const Device& device);

}  // namespace advect::fluids
