// The lid-driven cavity as the cfd commands run it: time stepping to a time or a steady state,
// the centre lines on the grid's own points, and the comparison with Ghia et al. (1982).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "advect/engine/Progress.h"
#include "advect/fluids/Ghia1982.h"
#include "advect/fluids/MacFlow.h"

namespace advect::app {

struct CavityAdvance {
  std::int64_t steps = 0;
  double wall_seconds = 0.0;
  double residual = 0.0;  // max |du/dt| over the last (up to) 100 steps, m/s^2
  bool steady = false;
  fluids::StepReport last;
};

// Steps until `t_end`, or earlier once max |du/dt| < steady_tol (0: never), landing exactly on
// each time in `stops` (increasing) and calling on_stop there. Updates `bar` every 100 steps.
CavityAdvance advance(fluids::MacFlow& flow, double t_end, double steady_tol,
                      const std::vector<double>& stops,
                      const std::function<void(const fluids::MacFlow&)>& on_stop, ProgressBar* bar);

struct CentreLines {
  std::vector<double> u;  // at x = 1/2, y = (j + 1/2) h
  std::vector<double> v;  // at y = 1/2, x = (i + 1/2) h
};
// The faces on the centre lines for even n, the cell centres (mean of two faces) for odd n.
CentreLines centre_lines(const fluids::MacFlow& flow);

struct GhiaComparison {
  std::array<double, 15> u{}, v{};  // ours at Ghia's stations (linear between grid points)
  double max_u_error = 0.0, max_v_error = 0.0;
};
GhiaComparison compare_with_ghia(const fluids::MacFlow& flow, const fluids::ghia1982::Table& table);

}  // namespace advect::app
