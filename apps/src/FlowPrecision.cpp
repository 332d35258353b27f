#include "FlowPrecision.h"

#include <fmt/format.h>

#include <algorithm>

namespace advect::app {

void add_precision_option(CLI::App& app, std::string& precision) {
  app.add_option("--precision", precision,
                 "Flow fields stored and computed in double, or in float (half the memory; "
                 "pressure tolerance 1e-6 at best)")
      ->check(CLI::IsMember({"double", "float"}))
      ->capture_default_str();
}

void apply_precision(const std::string& precision, std::optional<double> requested, double fallback,
                     fluids::FlowOptions& options) {
  const bool single = precision == "float";
  options.precision = single ? fluids::Precision::float32 : fluids::Precision::float64;
  if (single && requested && *requested < fluids::kMinFloatPressureRtol) {
    throw CLI::ValidationError(
        "--pressure-rtol", fmt::format("{:g}: float fields resolve the pressure to {:g} at best; "
                                       "use --precision double",
                                       *requested, fluids::kMinFloatPressureRtol));
  }
  options.pressure_rtol =
      requested.value_or(single ? std::max(fallback, fluids::kMinFloatPressureRtol) : fallback);
}

}  // namespace advect::app
