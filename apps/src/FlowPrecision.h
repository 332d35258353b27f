// --precision double|float for the commands that step a MAC flow, and the pressure tolerance
// that goes with it (float fields resolve the pressure to 1e-6 at best).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "advect/fluids/MacFlow.h"

namespace advect::app {

void add_precision_option(CLI::App& app, std::string& precision);

// Sets options.precision from the flag's value and options.pressure_rtol to `requested` if given
// (refused, naming --pressure-rtol, below what float fields resolve) or else to `fallback`,
// raised to float's least for float fields.
void apply_precision(const std::string& precision, std::optional<double> requested, double fallback,
                     fluids::FlowOptions& options);

}  // namespace advect::app
