#include "advect/geometry/FlowChain.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace advect::geometry {

namespace {

void check_inputs(std::span<const std::vector<float>> sweeps,
                  std::span<const std::vector<float>> flows, std::span<const double> times) {
  if (sweeps.empty()) throw std::invalid_argument("flow chain: no sweeps");
  if (times.size() != sweeps.size() || flows.size() + 1 != sweeps.size()) {
    throw std::invalid_argument(fmt::format(
        "flow chain: {} sweeps need as many times ({} given) and one flow fewer ({} given)",
        sweeps.size(), times.size(), flows.size()));
  }
  for (std::size_t k = 0; k < sweeps.size(); ++k) {
    if (sweeps[k].empty() || sweeps[k].size() % 3 != 0) {
      throw std::invalid_argument(fmt::format("flow chain: sweep {} is empty or not N x 3", k));
    }
    if (k + 1 < sweeps.size() && flows[k].size() != sweeps[k].size()) {
      throw std::invalid_argument(fmt::format("flow chain: flow {} does not match its sweep", k));
    }
    if (k > 0 && !(times[k] > times[k - 1])) {
      throw std::invalid_argument("flow chain: times must be strictly increasing");
    }
  }
}

SweepMotionField interval_field(std::span<const std::vector<float>> sweeps,
                                std::span<const std::vector<float>> flows,
                                std::span<const double> times, std::size_t k,
                                const SweepMotionOptions& options, const Device& device) {
  return SweepMotionField(Buffer<float>::from_host(sweeps[k], device),
                          Buffer<float>::from_host(flows[k], device), times[k], times[k + 1],
                          options);
}

// The flow with every displacement slower than `still_below` (m/s over `interval` s) set to 0.
std::vector<float> without_slow_motion(const std::vector<float>& flow, double interval,
                                       float still_below) {
  std::vector<float> out = flow;
  const double limit = double(still_below) * interval;
  for (std::size_t i = 0; i < out.size(); i += 3) {
    const double d2 =
        double(out[i]) * out[i] + double(out[i + 1]) * out[i + 1] + double(out[i + 2]) * out[i + 2];
    if (d2 < limit * limit) out[i] = out[i + 1] = out[i + 2] = 0.0f;
  }
  return out;
}

// Where an interval's motion can reach: voxels of edge `reach` (the field's radius plus a quarter
// of the longest displacement) holding a moving sample at s = 0, 1/2 or 1, dilated by one voxel.
// A sample's path p + s d lies within |d| / 4 of those three positions, so a point within the
// radius of a moving sample at any time of the interval is in a marked voxel; elsewhere every
// sample within the radius is still, the field is exactly zero and the point keeps its place.
class MotionReach {
 public:
  MotionReach(const std::vector<float>& points, const std::vector<float>& flow, float radius) {
    std::vector<std::array<double, 3>> moved;
    double longest = 0.0;
    for (std::size_t i = 0; i < flow.size(); i += 3) {
      const double length = std::hypot(double(flow[i]), double(flow[i + 1]), double(flow[i + 2]));
      if (length == 0.0) continue;
      longest = std::max(longest, length);
      for (const double s : {0.0, 0.5, 1.0}) {
        moved.push_back({points[i] + s * flow[i], points[i + 1] + s * flow[i + 1],
                         points[i + 2] + s * flow[i + 2]});
      }
    }
    if (moved.empty()) return;
    cell_ = double(radius) + 0.25 * longest;
    for (std::size_t d = 0; d < 3; ++d) {
      double lo = moved.front()[d], hi = lo;
      for (const auto& p : moved) {
        lo = std::min(lo, p[d]);
        hi = std::max(hi, p[d]);
      }
      origin_[d] = lo - cell_;  // room for the dilation
      dims_[d] = std::int64_t((hi - origin_[d]) / cell_) + 2;
    }
    occupied_.assign(std::size_t(dims_[0] * dims_[1] * dims_[2]), 0);
    for (const auto& p : moved) {
      std::int64_t c[3];
      for (std::size_t d = 0; d < 3; ++d) c[d] = std::int64_t((p[d] - origin_[d]) / cell_);
      for (std::int64_t z = c[2] - 1; z <= c[2] + 1; ++z) {
        for (std::int64_t y = c[1] - 1; y <= c[1] + 1; ++y) {
          for (std::int64_t x = c[0] - 1; x <= c[0] + 1; ++x) {
            // (rounding may put a sample at the edge voxel, whose neighbour is outside)
            if (x >= 0 && y >= 0 && z >= 0 && x < dims_[0] && y < dims_[1] && z < dims_[2]) {
              occupied_[std::size_t((z * dims_[1] + y) * dims_[0] + x)] = 1;
            }
          }
        }
      }
    }
  }

  bool any() const { return !occupied_.empty(); }
  bool reaches(const double* x) const {
    std::int64_t c[3];
    for (std::size_t d = 0; d < 3; ++d) {
      const double u = (x[d] - origin_[d]) / cell_;
      if (!(u >= 0.0) || u >= double(dims_[d])) return false;
      c[d] = std::int64_t(u);
    }
    return occupied_[std::size_t((c[2] * dims_[1] + c[1]) * dims_[0] + c[0])] != 0;
  }

 private:
  double origin_[3] = {0, 0, 0}, cell_ = 1.0;
  std::int64_t dims_[3] = {0, 0, 0};
  std::vector<std::uint8_t> occupied_;
};

// The points in flight: several sweeps' points, one after another, as integrator states.
struct Batch {
  std::vector<double> states;       // x y z per point
  std::vector<int> sweep;           // sweep of each member, in order
  std::vector<std::size_t> offset;  // first point of each member

  void add(int index, const std::vector<float>& points) {
    sweep.push_back(index);
    offset.push_back(states.size() / 3);
    states.insert(states.end(), points.begin(), points.end());
  }
};

}  // namespace

CarriedSweeps carry_to_reference(std::span<const std::vector<float>> sweeps,
                                 std::span<const std::vector<float>> flows,
                                 std::span<const double> times, int reference,
                                 const CarryOptions& options, const Device& device) {
  check_inputs(sweeps, flows, times);
  const int count = int(sweeps.size());
  if (reference < 0 || reference >= count) {
    throw std::invalid_argument(
        fmt::format("flow chain: reference sweep {} not in [0, {})", reference, count));
  }
  if (is_adaptive(options.method) || options.substeps < 1) {
    throw std::invalid_argument("flow chain: a fixed-step method and substeps >= 1");
  }
  if (!options.traced.empty() && options.traced.size() != sweeps.size()) {
    throw std::invalid_argument("flow chain: traced lists must be given for every sweep or none");
  }
  CarriedSweeps out;
  out.at_reference.resize(sweeps.size());
  out.paths.resize(sweeps.size());
  const auto traced = [&](int j) -> const std::vector<std::int64_t>& {
    static const std::vector<std::int64_t> none;
    return options.traced.empty() ? none : options.traced[std::size_t(j)];
  };
  const auto steps_of = [&](int j) { return std::size_t(std::abs(j - reference) + 1); };
  const auto record = [&](const Batch& batch, int time_index) {
    for (std::size_t m = 0; m < batch.sweep.size(); ++m) {
      const int j = batch.sweep[m];
      const std::size_t step = std::size_t(std::abs(time_index - j)), steps = steps_of(j);
      const auto& rows = traced(j);
      for (std::size_t p = 0; p < rows.size(); ++p) {
        const double* x = &batch.states[3 * (batch.offset[m] + std::size_t(rows[p]))];
        for (int c = 0; c < 3; ++c)
          out.paths[std::size_t(j)][3 * (p * steps + step) + c] = float(x[c]);
      }
    }
  };
  for (int j = 0; j < count; ++j) {
    const auto points = std::int64_t(sweeps[std::size_t(j)].size() / 3);
    for (const std::int64_t row : traced(j)) {
      if (row < 0 || row >= points)
        throw std::invalid_argument("flow chain: traced index out of range");
    }
    out.paths[std::size_t(j)].assign(traced(j).size() * steps_of(j) * 3, 0.0f);
  }

  const int intervals = count - 1;  // reference forward, the rest backward
  int done = 0;
  // Forward for the sweeps before the reference, backward for those after it: each interval is
  // integrated once, for every point that crosses it.
  for (const int direction : {+1, -1}) {
    Batch batch;
    const int first = direction > 0 ? 0 : count - 1;
    for (int k = first; k != reference; k += direction) {
      batch.add(k, sweeps[std::size_t(k)]);
      record(batch, k);
      const int next = k + direction;
      const std::size_t interval = std::size_t(std::min(k, next));
      const double span[2] = {times[std::size_t(k)], times[std::size_t(next)]};
      const std::vector<float> flow = without_slow_motion(
          flows[interval], times[interval + 1] - times[interval], options.still_below);
      const MotionReach reach(sweeps[interval], flow, options.field.radius);
      std::vector<std::size_t> active;
      for (std::size_t i = 0; reach.any() && i < batch.states.size() / 3; ++i) {
        if (reach.reaches(&batch.states[3 * i])) active.push_back(i);
      }
      out.points_integrated += std::int64_t(active.size());
      out.points_kept_still += std::int64_t(batch.states.size() / 3 - active.size());
      if (!active.empty()) {
        std::vector<double> states(3 * active.size());
        for (std::size_t a = 0; a < active.size(); ++a) {
          std::copy_n(&batch.states[3 * active[a]], 3, &states[3 * a]);
        }
        const SweepMotionField field(Buffer<float>::from_host(sweeps[interval], device),
                                     Buffer<float>::from_host(flow, device), times[interval],
                                     times[interval + 1], options.field);
        OdeOptions ode;
        ode.method = options.method;
        ode.step = std::abs(span[1] - span[0]) / options.substeps;
        const OdeResult result =
            integrate(field, Buffer<double>::from_host(states, device), span, ode);
        if (!result.ok()) {
          throw std::runtime_error(
              fmt::format("flow chain: interval {}: {}", interval, result.message));
        }
        out.field_evaluations += result.stats.field_evaluations;
        const std::vector<double> reached = result.states.to_host();
        const std::size_t last = reached.size() - states.size();
        for (std::size_t a = 0; a < active.size(); ++a) {
          std::copy_n(&reached[last + 3 * a], 3, &batch.states[3 * active[a]]);
        }
      }
      record(batch, next);
      if (options.on_interval) options.on_interval(++done, intervals);
    }
    for (std::size_t m = 0; m < batch.sweep.size(); ++m) {
      const std::size_t n = sweeps[std::size_t(batch.sweep[m])].size();
      const auto first_value = batch.states.begin() + std::ptrdiff_t(3 * batch.offset[m]);
      out.at_reference[std::size_t(batch.sweep[m])].assign(first_value,
                                                           first_value + std::ptrdiff_t(n));
    }
  }
  out.at_reference[std::size_t(reference)] = sweeps[std::size_t(reference)];
  const auto& reference_rows = traced(reference);
  for (std::size_t p = 0; p < reference_rows.size(); ++p) {
    for (std::size_t c = 0; c < 3; ++c) {
      out.paths[std::size_t(reference)][3 * p + c] =
          sweeps[std::size_t(reference)][3 * std::size_t(reference_rows[p]) + c];
    }
  }
  return out;
}

std::vector<std::vector<float>> sweep_speeds(std::span<const std::vector<float>> sweeps,
                                             std::span<const std::vector<float>> flows,
                                             std::span<const double> times,
                                             const SweepMotionOptions& options,
                                             const Device& device) {
  check_inputs(sweeps, flows, times);
  std::vector<std::vector<float>> speeds(sweeps.size());
  for (std::size_t k = 0; k + 1 < sweeps.size(); ++k) {
    const double rate = 1.0 / (times[k + 1] - times[k]);
    speeds[k].resize(sweeps[k].size() / 3);
    for (std::size_t i = 0; i < speeds[k].size(); ++i) {
      const float* d = &flows[k][3 * i];
      speeds[k][i] =
          float(rate * std::sqrt(double(d[0]) * d[0] + double(d[1]) * d[1] + double(d[2]) * d[2]));
    }
  }
  const std::size_t last = sweeps.size() - 1;
  speeds[last].assign(sweeps[last].size() / 3, 0.0f);
  if (last == 0) return speeds;
  const SweepMotionField field = interval_field(sweeps, flows, times, last - 1, options, device);
  const auto n = std::int64_t(sweeps[last].size() / 3);
  const std::vector<double> positions(sweeps[last].begin(), sweeps[last].end());
  const auto x = Buffer<double>::from_host(positions, device);
  Buffer<double> v(positions.size(), device);
  field.evaluate(times[last], x.data(), v.data(), n, device);
  const std::vector<double> velocity = v.to_host();
  for (std::size_t i = 0; i < speeds[last].size(); ++i) {
    const double* u = &velocity[3 * i];
    speeds[last][i] = float(std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]));
  }
  return speeds;
}

}  // namespace advect::geometry
