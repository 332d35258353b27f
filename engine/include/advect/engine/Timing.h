// Wall-clock seconds for summaries and reports (speed is reported, never asserted).
#pragma once

#include <chrono>

namespace advect {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace advect
