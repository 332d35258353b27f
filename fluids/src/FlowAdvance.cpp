#include "advect/fluids/FlowAdvance.h"
#include "advect/engine/Timing.h"

#include <algorithm>
#include <cmath>

namespace advect::fluids {

FlowAdvance advance(MacFlow& flow, double t_end, double steady_tol,
                    const std::vector<double>& stops,
                    const std::function<void(const MacFlow&)>& on_stop,
                    const AdvanceProgress& progress, const std::function<void(MacFlow&)>& on_step) {
  FlowAdvance out;
  const auto start = Clock::now();
  std::vector<double> previous = flow.u();
  double previous_time = flow.time();
  // max |du/dt| over the steps since the last measurement.
  const auto measure = [&] {
    const std::vector<double> u = flow.u();
    double change = 0.0;
    for (std::size_t k = 0; k < u.size(); ++k) {
      change = std::max(change, std::abs(u[k] - previous[k]));
    }
    out.residual = change / (flow.time() - previous_time);
    previous = u;
    previous_time = flow.time();
  };
  std::size_t next = 0;
  while (flow.time() < t_end - 1e-12) {
    double dt = std::min(flow.stable_dt(), t_end - flow.time());
    if (next < stops.size()) dt = std::min(dt, stops[next] - flow.time());
    out.last = flow.step(dt);
    ++out.steps;
    if (on_step) on_step(flow);
    if (next < stops.size() && flow.time() >= stops[next] - 1e-12) {
      if (on_stop) on_stop(flow);
      ++next;
    }
    if (out.steps % 100 == 0) {
      measure();
      if (progress) progress(flow.time(), out.residual);
      if (steady_tol > 0.0 && out.residual < steady_tol) {
        out.steady = true;
        break;
      }
    }
  }
  if (out.steps % 100 != 0) measure();
  out.wall_seconds = seconds_since(start);
  return out;
}

}  // namespace advect::fluids
