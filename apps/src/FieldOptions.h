// Command-line choice of an analytic field and its parameters (`advect integrate --field ...`).
#pragma once

#include <CLI/CLI.hpp>

#include <array>
#include <memory>
#include <string>

#include "advect/engine/VectorField.h"

namespace advect::app {

struct FieldOptions {
  std::string name = "double-gyre";  // rotation | vortex | double-gyre
  double omega = 1.0;                // rotation, rad/s
  std::array<double, 3> axis{0, 0, 1};
  std::array<double, 3> centre{0, 0, 0};
  double circulation = 1.0;  // vortex, m^2/s
  double core_radius = 0.2;  // vortex, m
  double gyre_amplitude = 0.1, gyre_epsilon = 0.25, gyre_frequency = 0.6283185307179586;

  void add_to(CLI::App& app);
  std::unique_ptr<VectorField> make() const;
  // A natural span for a demo: one revolution, ten seconds of vortex, two gyre periods.
  double default_duration() const;
  // Where seed grids go when no --box is given: [xmin, xmax, ymin, ymax, zmin, zmax] in metres.
  std::array<double, 6> default_box() const;
};

}  // namespace advect::app
