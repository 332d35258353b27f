// Checks of numeric flags with readable one-line refusals. CLI11's PositiveNumber and
// NonNegativeNumber print the upper bound of a double (a 309-digit number) and its Range prints
// bounds with six decimals (1e-14 as 0.000000).
#pragma once

#include <CLI/CLI.hpp>

#include <limits>

namespace advect::app {

// Numbers in [low, high]; the message names the value and the bounds in %g form.
CLI::Validator between(double low, double high);
// Numbers > 0, and numbers >= 0.
CLI::Validator positive();
CLI::Validator non_negative();

}  // namespace advect::app
