// Evenly spaced output times for the ODE solver.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <vector>

namespace advect {

// `count` >= 2 times from t0 to t1 inclusive (t1 < t0 runs backward); the last is exactly t1.
inline std::vector<double> evenly_spaced_times(double t0, double t1, std::size_t count) {
  if (count < 2) throw std::invalid_argument("evenly_spaced_times needs at least two times");
  std::vector<double> times(count);
  for (std::size_t k = 0; k < count; ++k) times[k] = t0 + (t1 - t0) * double(k) / double(count - 1);
  times.back() = t1;
  return times;
}

}  // namespace advect
