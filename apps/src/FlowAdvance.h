// Time stepping of a MAC flow as the cfd commands run it: to a time or to a steady state, with
// stops for snapshots, a per-step hook (force probes) and a progress bar.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "advect/engine/Progress.h"
#include "advect/fluids/MacFlow.h"

namespace advect::app {

struct FlowAdvance {
  std::int64_t steps = 0;
  double wall_seconds = 0.0;
  double residual = 0.0;  // max |du/dt| over the last (up to) 100 steps, m/s^2
  bool steady = false;
  fluids::StepReport last;
};

// Steps until `t_end`, or earlier once max |du/dt| < steady_tol (0: never), landing exactly on
// each time in `stops` (increasing) and calling on_stop there, and on_step after every step.
// Updates `bar` every 100 steps.
FlowAdvance advance(fluids::MacFlow& flow, double t_end, double steady_tol,
                    const std::vector<double>& stops,
                    const std::function<void(const fluids::MacFlow&)>& on_stop, ProgressBar* bar,
                    const std::function<void(fluids::MacFlow&)>& on_step = {});

}  // namespace advect::app
