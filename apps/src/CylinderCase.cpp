#include "CylinderCase.h"

#include <fmt/format.h>

#include "advect/io/AtomicWrite.h"

namespace advect::app {

CylinderRun run_cylinder(fluids::MacFlow& flow, fluids::DfgCase c, double t_end, double steady_tol,
                         const std::vector<double>& stops,
                         const std::function<void(const fluids::MacFlow&)>& on_stop,
                         ProgressBar* bar) {
  CylinderRun out;
  fluids::DfgProbe probe(flow, c);
  const bool periodic = c == fluids::DfgCase::periodic_re100;
  // 2D-2 needs every step for the lift's peaks and period; the steady case only the trend.
  const int every = periodic ? 1 : 10;
  std::int64_t steps = 0;
  out.advance = advance(flow, t_end, periodic ? 0.0 : steady_tol, stops, on_stop, bar,
                        [&](fluids::MacFlow& f) {
                          if (++steps % every == 0) out.history.push_back(probe.measure(f));
                        });
  if (out.history.empty() || out.history.back().time < flow.time()) {
    out.history.push_back(probe.measure(flow));
  }
  out.last = out.history.back();
  if (periodic) out.periodic = fluids::periodic_state(out.history, fluids::dfg_mean_inflow(c));
  return out;
}

void write_force_history(const std::filesystem::path& path,
                         const std::vector<fluids::DfgCoefficients>& history) {
  std::string csv = "time,cd,cl,delta_p\n";
  for (const fluids::DfgCoefficients& c : history) {
    csv += fmt::format("{},{},{},{}\n", c.time, c.drag, c.lift, c.delta_p);
  }
  io::write_file_bytes(path, csv);
}

}  // namespace advect::app
