#include "NumberChecks.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string>

namespace advect::app {

namespace {

// The value of a flag's text, or an error message.
bool parse(const std::string& text, double& value, std::string& error) {
  const char* last = text.data() + text.size();
  const auto [end, code] = std::from_chars(text.data(), last, value);
  if (code != std::errc() || end != last || !std::isfinite(value)) {
    error = fmt::format("'{}' is not a finite number", text);
    return false;
  }
  return true;
}

CLI::Validator check(std::string description, std::string help, double low, bool low_open,
                     double high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0.0;
        std::string error;
        if (!parse(text, value, error)) return error;
        const bool below = low_open ? !(value > low) : value < low;
        if (below || value > high) return fmt::format("{} is not {}", text, description);
        return {};
      },
      std::move(help), "");
}

}  // namespace

CLI::Validator between(double low, double high) {
  const std::string range = fmt::format("in [{:g}, {:g}]", low, high);
  return check(range, range, low, false, high);
}

CLI::Validator positive() {
  return check("positive", "> 0", 0.0, true, std::numeric_limits<double>::infinity());
}

CLI::Validator non_negative() {
  return check("zero or positive", ">= 0", 0.0, false, std::numeric_limits<double>::infinity());
}

}  // namespace advect::app
