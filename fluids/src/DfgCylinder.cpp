#include "advect/fluids/DfgCylinder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace advect::fluids {

double dfg_peak_inflow(DfgCase c) {
  return c == DfgCase::steady_re20 ? 0.3 : 1.5;
}
double dfg_mean_inflow(DfgCase c) {
  return 2.0 / 3.0 * dfg_peak_inflow(c);
}

FlowDomain cylinder_channel(int rows, double inflow_peak, const Circle& cylinder) {
  if (rows < 32 || rows % 8 != 0) {
    throw std::invalid_argument(
        fmt::format("DFG channel: {} rows; use a multiple of 8, at least 32", rows));
  }
  const double h = dfg::kHeight / rows;
  FlowDomain domain = parabolic_channel(rows, dfg::kLength, dfg::kHeight, inflow_peak);
  domain.nx = 8 * int(std::lround(dfg::kLength / h / 8.0));
  domain.bodies.push_back(cylinder);
  return domain;
}

FlowDomain dfg_channel(DfgCase c, int rows) {
  return cylinder_channel(rows, dfg_peak_inflow(c),
                          Circle{dfg::kCentreX, dfg::kCentreY, 0.5 * dfg::kDiameter});
}

namespace {

// The pressure on the wall at (x, y) with outward normal (nx, 0): the line through the fluid at
// 2 h and 3 h out, continued to the wall.
double wall_pressure(const MacGeometry& g, const std::vector<double>& p, double x, double y,
                     double nx) {
  const double near = interpolate_cells(g, p, 1, 0, x + 2.0 * g.h * nx, y);
  const double far = interpolate_cells(g, p, 1, 0, x + 3.0 * g.h * nx, y);
  return 3.0 * near - 2.0 * far;
}

}  // namespace

DfgProbe::DfgProbe(const MacFlow& flow, DfgCase c) : mean_inflow_(dfg_mean_inflow(c)) {
  // A box from 1.2 diameters upstream of the centre to 1.2 downstream and across; the forced
  // faces stay well inside and the channel walls (0.2 m away) outside.
  const double h = flow.geometry().h, reach = 1.2 * dfg::kDiameter;
  box_.i0 = int(std::floor((dfg::kCentreX - reach) / h));
  box_.i1 = int(std::ceil((dfg::kCentreX + reach) / h));
  box_.j0 = int(std::floor((dfg::kCentreY - reach) / h));
  box_.j1 = int(std::ceil((dfg::kCentreY + reach) / h));
}

DfgCoefficients DfgProbe::measure(MacFlow& flow) {
  const std::array<double, 2> rate = flow.momentum_rate(box_);
  const std::array<double, 2> momentum = flow.momentum(box_);
  std::array<double, 2> force = rate;  // of the fluid on the cylinder, m^3/s^2 (per density)
  if (has_previous_ && flow.time() > previous_time_) {
    for (std::size_t a = 0; a < 2; ++a) {
      force[a] -= (momentum[a] - previous_momentum_[a]) / (flow.time() - previous_time_);
    }
  }
  has_previous_ = true;
  previous_time_ = flow.time();
  previous_momentum_ = momentum;
  const double scale = 2.0 / (mean_inflow_ * mean_inflow_ * dfg::kDiameter);
  const std::vector<double> p = flow.pressure();
  const double r = 0.5 * dfg::kDiameter;
  const double front = wall_pressure(flow.geometry(), p, dfg::kCentreX - r, dfg::kCentreY, -1.0);
  const double back = wall_pressure(flow.geometry(), p, dfg::kCentreX + r, dfg::kCentreY, 1.0);
  return {flow.time(), scale * force[0], scale * force[1], front - back};
}

DfgPeriodic periodic_state(const std::vector<DfgCoefficients>& history, double mean_inflow,
                           int periods) {
  DfgPeriodic out;
  out.periods = periods;
  if (history.size() < 3 || periods < 1) return out;
  // The lift's mid-level over the second half of the history.
  const auto half = history.begin() + std::ptrdiff_t(history.size() / 2);
  const auto [low, high] = std::minmax_element(
      half, history.end(), [](const auto& a, const auto& b) { return a.lift < b.lift; });
  const double level = 0.5 * (low->lift + high->lift);
  std::vector<double> crossings;  // times of upward crossings, s
  for (std::size_t k = 1; k < history.size(); ++k) {
    const DfgCoefficients &a = history[k - 1], &b = history[k];
    if (a.lift < level && b.lift >= level) {
      crossings.push_back(a.time + (level - a.lift) / (b.lift - a.lift) * (b.time - a.time));
    }
  }
  if (int(crossings.size()) < periods + 1) return out;
  const std::size_t first = crossings.size() - std::size_t(periods) - 1;
  const double start = crossings[first];
  const double end = crossings.back();
  // Periodic only when the last periods agree in length (2 %) and in the lift's swing (5 %), with
  // at least 10 samples each: the start-up crosses the mid-level too, irregularly.
  const double period = (end - start) / periods;
  double swing_low = INFINITY, swing_high = -INFINITY;
  for (std::size_t k = first; k + 1 < crossings.size(); ++k) {
    if (std::abs(crossings[k + 1] - crossings[k] - period) > 0.02 * period) return out;
    double low_lift = INFINITY, high_lift = -INFINITY;
    int samples = 0;
    for (const DfgCoefficients& c : history) {
      if (c.time < crossings[k] || c.time > crossings[k + 1]) continue;
      low_lift = std::min(low_lift, c.lift);
      high_lift = std::max(high_lift, c.lift);
      ++samples;
    }
    if (samples < 10) return out;
    swing_low = std::min(swing_low, high_lift - low_lift);
    swing_high = std::max(swing_high, high_lift - low_lift);
  }
  if (swing_high - swing_low > 0.05 * swing_high) return out;
  out.periodic = true;
  out.frequency = periods / (end - start);
  out.strouhal = dfg::kDiameter * out.frequency / mean_inflow;
  out.drag_max = out.lift_max = -INFINITY;
  for (const DfgCoefficients& c : history) {
    if (c.time < start || c.time > end) continue;
    out.drag_max = std::max(out.drag_max, c.drag);
    out.lift_max = std::max(out.lift_max, c.lift);
  }
  // Delta_p half a period after the lift maximum of the last period that still has that much
  // history after it.
  const double half_period = 0.5 / out.frequency;
  double lift_max_time = start, best = -INFINITY;
  for (const DfgCoefficients& c : history) {
    if (c.time >= end - 1.0 / out.frequency - half_period && c.time + half_period <= end &&
        c.lift > best) {
      best = c.lift;
      lift_max_time = c.time;
    }
  }
  const double target = lift_max_time + half_period;
  for (std::size_t k = 1; k < history.size(); ++k) {
    const DfgCoefficients &a = history[k - 1], &b = history[k];
    if (a.time <= target && b.time >= target) {
      const double w = b.time > a.time ? (target - a.time) / (b.time - a.time) : 0.0;
      out.delta_p = (1 - w) * a.delta_p + w * b.delta_p;
      break;
    }
  }
  return out;
}

}  // namespace advect::fluids
