// Time stepping of a MAC flow to a time or to a steady state, with stops for snapshots, a per-step
// hook (force probes) and progress reports.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "advect/fluids/MacFlow.h"

namespace advect::fluids {

struct FlowAdvance {
  std::int64_t steps = 0;
  double wall_seconds = 0.0;
  double residual = 0.0;  // max |du/dt| over the last (up to) 100 steps, m/s^2
  bool steady = false;
  StepReport last;
};

// Every 100 steps: the time reached (s) and max |du/dt| (m/s^2). It may throw to stop the run.
using AdvanceProgress = std::function<void(double time, double residual)>;

// Steps until `t_end`, or earlier once max |du/dt| < steady_tol (0: never), landing exactly on
// each time in `stops` (increasing) and calling on_stop there, and on_step after every step.
FlowAdvance advance(MacFlow& flow, double t_end, double steady_tol,
                    const std::vector<double>& stops,
                    const std::function<void(const MacFlow&)>& on_stop,
                    const AdvanceProgress& progress = {},
                    const std::function<void(MacFlow&)>& on_step = {});

}  // namespace advect::fluids
