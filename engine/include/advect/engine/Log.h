// The engine's logger: spdlog to stderr, so that stdout stays clean for results (tables, JSON).
#pragma once

#include <spdlog/logger.h>

namespace advect {

enum class LogLevel { quiet, normal, verbose };

// The shared "advect" logger; set_log_level(quiet) leaves only errors.
spdlog::logger& log();
void set_log_level(LogLevel level);

}  // namespace advect
