#include "advect/fluids/CylinderRun.h"

namespace advect::fluids {

CylinderRun run_cylinder(MacFlow& flow, DfgCase c, double t_end, double steady_tol,
                         const std::vector<double>& stops,
                         const std::function<void(const MacFlow&)>& on_stop,
                         const AdvanceProgress& progress) {
  CylinderRun out;
  DfgProbe probe(flow, c);
  const bool periodic = c == DfgCase::periodic_re100;
  // 2D-2 needs every step for the lift's peaks and period; the steady case only the trend.
  const int every = periodic ? 1 : 10;
  std::int64_t steps = 0;
  out.advance =
      advance(flow, t_end, periodic ? 0.0 : steady_tol, stops, on_stop, progress, [&](MacFlow& f) {
        if (++steps % every == 0) out.history.push_back(probe.measure(f));
      });
  if (out.history.empty() || out.history.back().time < flow.time()) {
    out.history.push_back(probe.measure(flow));
  }
  out.last = out.history.back();
  if (periodic) out.periodic = periodic_state(out.history, dfg_mean_inflow(c));
  return out;
}

}  // namespace advect::fluids
