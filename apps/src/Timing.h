// Wall-clock seconds for the apps' summaries (speed is reported, never asserted).
#pragma once

#include <chrono>

namespace advect::app {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace advect::app
