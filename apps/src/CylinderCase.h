// The DFG cylinder as `advect cfd run cylinder` and `cfd validate` run it: time stepping with the
// force probe, the coefficient history and, for 2D-2, the periodic state.
#pragma once

#include <filesystem>
#include <functional>
#include <vector>

#include "FlowAdvance.h"
#include "advect/fluids/DfgCylinder.h"

namespace advect::app {

struct CylinderRun {
  FlowAdvance advance;
  std::vector<fluids::DfgCoefficients> history;  // every step for 2D-2, every 10th for 2D-1
  fluids::DfgCoefficients last;                  // at the end
  fluids::DfgPeriodic periodic;                  // 2D-2 only
};

// Runs `flow` (built by fluids::dfg_channel) to `t_end`, or for 2D-1 until max |du/dt| <
// steady_tol, as advance() does.
CylinderRun run_cylinder(fluids::MacFlow& flow, fluids::DfgCase c, double t_end, double steady_tol,
                         const std::vector<double>& stops,
                         const std::function<void(const fluids::MacFlow&)>& on_stop,
                         ProgressBar* bar);

// DIR/forces.csv: time,cd,cl,delta_p.
void write_force_history(const std::filesystem::path& path,
                         const std::vector<fluids::DfgCoefficients>& history);

}  // namespace advect::app
