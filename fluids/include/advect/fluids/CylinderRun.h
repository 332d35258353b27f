// The DFG cylinder run: time stepping with the force probe, the coefficient history and, for 2D-2,
// the periodic state.
#pragma once

#include <functional>
#include <vector>

#include "advect/fluids/DfgCylinder.h"
#include "advect/fluids/FlowAdvance.h"

namespace advect::fluids {

struct CylinderRun {
  FlowAdvance advance;
  std::vector<DfgCoefficients> history;  // every step for 2D-2, every 10th for 2D-1
  DfgCoefficients last;                  // at the end
  DfgPeriodic periodic;                  // 2D-2 only
};

// Runs `flow` (built by dfg_channel) to `t_end`, or for 2D-1 until max |du/dt| <
// steady_tol, as advance() does.
CylinderRun run_cylinder(MacFlow& flow, DfgCase c, double t_end, double steady_tol,
                         const std::vector<double>& stops,
                         const std::function<void(const MacFlow&)>& on_stop,
                         const AdvanceProgress& progress = {});

}  // namespace advect::fluids
