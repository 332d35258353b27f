#include "advect/engine/OdeSolver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "StepSizeControl.h"
#include "advect/engine/ButcherTableau.h"
#include "advect/engine/Dispatch.h"
#include "kernels/StateKernels.h"

namespace advect {

std::string_view to_string(OdeMethod method) {
  switch (method) {
    case OdeMethod::euler:
      return "euler";
    case OdeMethod::heun:
      return "heun";
    case OdeMethod::midpoint:
      return "midpoint";
    case OdeMethod::rk4:
      return "rk4";
    case OdeMethod::bs3:
      return "bs3";
    case OdeMethod::dopri5:
      return "dopri5";
  }
  return "?";
}

std::optional<OdeMethod> parse_ode_method(std::string_view name) {
  for (OdeMethod m : {OdeMethod::euler, OdeMethod::heun, OdeMethod::midpoint, OdeMethod::rk4,
                      OdeMethod::bs3, OdeMethod::dopri5}) {
    if (name == to_string(m)) return m;
  }
  if (name == "rk45") return OdeMethod::dopri5;
  if (name == "rk23") return OdeMethod::bs3;
  return std::nullopt;
}

bool is_adaptive(OdeMethod method) {
  return detail::tableau_of(method).error_order > 0;
}
int order_of(OdeMethod method) {
  return detail::tableau_of(method).order;
}

std::string_view to_string(OdeStatus status) {
  switch (status) {
    case OdeStatus::success:
      return "success";
    case OdeStatus::max_steps_reached:
      return "max_steps_reached";
    case OdeStatus::step_size_underflow:
      return "step_size_underflow";
    case OdeStatus::non_finite:
      return "non_finite";
  }
  return "?";
}

namespace {

using detail::LinearCombination;
using detail::NormKind;

static_assert(FusedStep::kMaxStages == detail::kMaxStages);

void validate(const VectorField& field, const Buffer<double>& initial,
              std::span<const double> times, const OdeOptions& options) {
  const int dimension = field.dimension();
  if (dimension <= 0) throw std::invalid_argument("field dimension must be positive");
  if (initial.size() % std::size_t(dimension) != 0) {
    throw std::invalid_argument(
        fmt::format("initial state has {} values, not a multiple of the "
                    "field dimension {}",
                    initial.size(), dimension));
  }
  if (times.empty()) throw std::invalid_argument("at least one output time is required");
  for (double t : times) {
    if (!std::isfinite(t)) throw std::invalid_argument("output times must be finite");
  }
  if (times.size() > 1) {
    const double direction = times[1] > times[0] ? 1.0 : -1.0;
    for (std::size_t i = 1; i < times.size(); ++i) {
      if (!(direction * (times[i] - times[i - 1]) > 0.0)) {
        throw std::invalid_argument(
            "output times must be strictly increasing or strictly decreasing");
      }
    }
  }
  if (is_adaptive(options.method)) {
    if (!(options.rtol >= 0.0) || !(options.atol >= 0.0) || options.rtol + options.atol <= 0.0) {
      throw std::invalid_argument("tolerances must be non-negative and not both zero");
    }
    if (!(options.step >= 0.0) || !(options.max_step > 0.0)) {
      throw std::invalid_argument("first step must be >= 0 and max step > 0");
    }
  } else if (!(options.step > 0.0) || !std::isfinite(options.step)) {
    throw std::invalid_argument(
        fmt::format("method {} needs a positive step", to_string(options.method)));
  }
  if (options.max_steps <= 0) throw std::invalid_argument("max_steps must be positive");
}

// One solve: owns the work buffers and runs the step loop on the initial state's device.
class Solve {
 public:
  Solve(const VectorField& field, const Buffer<double>& initial, std::span<const double> times,
        const OdeOptions& options)
      : field_(field),
        options_(options),
        tableau_(detail::tableau_of(options.method)),
        times_(times),
        device_(initial.device()),
        dimension_(field.dimension()),
        count_(std::int64_t(initial.size())),
        n_states_(count_ / dimension_),
        y_(initial.size(), device_),
        y_new_(initial.size(), device_),
        stage_input_(initial.size(), device_),
        f_end_(initial.size(), device_),
        error_(is_adaptive(options.method) ? std::size_t(n_states_) : 0, device_) {
    for (int j = 0; j < tableau_.stages; ++j) k_.emplace_back(initial.size(), device_);
    y_.copy_from(initial);
    result_.states = Buffer<double>(times.size() * initial.size(), device_);
    copy_state(y_.data(), 0);
    result_.times_reached = 1;
  }

  OdeResult run() {
    if (times_.size() == 1) return std::move(result_);
    const double t0 = times_.front(), t_end = times_.back();
    const double direction = t_end > t0 ? 1.0 : -1.0;
    if (tableau_.error_order > 0) {
      run_adaptive(t0, t_end, direction);
    } else {
      run_fixed(t0, t_end);
    }
    return std::move(result_);
  }

 private:
  void evaluate(double t, const Buffer<double>& x, Buffer<double>& v) {
    field_.evaluate(t, x.data(), v.data(), n_states_, device_);
    ++result_.stats.field_evaluations;
  }

  void combine(double* out, const double* base, const LinearCombination& sum) {
    with_backend(device_,
                 [&](auto b) { detail::StateKernels<b>::combine(out, base, sum, count_); });
  }

  double norm(const LinearCombination& sum, const double* ref0, const double* ref1, double rtol,
              double atol, NormKind kind) {
    return with_backend(device_, [&](auto b) {
      return detail::StateKernels<b>::scaled_norm(sum, ref0, ref1, rtol, atol, n_states_,
                                                  dimension_, kind);
    });
  }
  NormKind norm_kind() const {
    return options_.norm == ErrorNorm::rms ? NormKind::rms : NormKind::max_state_rms;
  }

  void copy_state(const double* state, std::size_t index) {
    detail::copy_bytes(result_.states.data() + index * std::size_t(count_), device_, state, device_,
                       std::size_t(count_) * sizeof(double));
  }

  // The stages of one step of size h from (t, y_) into k_ and y_new_; k_[0] = f(t, y_) on entry
  // unless a fused step left it unknown. A field that takes fused steps does all stages in one
  // kernel (true is returned): it keeps the stages in k_ only where `keep_stages` (dense output
  // inside this step; the FSAL stage always) and writes the per-state error to
  // `error_mean_square` if given.
  bool take_step(double t, double h, bool keep_stages, double* error_mean_square) {
    if (fused_ && take_fused_step(t, h, keep_stages, error_mean_square)) return true;
    if (!k0_known_) evaluate(t, y_, k_.front());
    k0_known_ = true;
    for (int s = 1; s < tableau_.stages; ++s) {
      const bool last_is_new_state = tableau_.fsal && s == tableau_.stages - 1;
      if (last_is_new_state) break;
      LinearCombination sum;
      for (int j = 0; j < s; ++j) {
        if (tableau_.a[s][j] != 0.0) sum.add(h * tableau_.a[s][j], k_[j].data());
      }
      combine(stage_input_.data(), y_.data(), sum);
      evaluate(t + tableau_.c[s] * h, stage_input_, k_[s]);
    }
    LinearCombination update;
    for (int j = 0; j < tableau_.stages; ++j) {
      if (tableau_.b[j] != 0.0) update.add(h * tableau_.b[j], k_[j].data());
    }
    combine(y_new_.data(), y_.data(), update);
    if (tableau_.fsal) evaluate(t + h, y_new_, k_.back());
    return false;
  }

  bool take_fused_step(double t, double h, bool keep_stages, double* error_mean_square) {
    FusedStep step;
    step.stages = tableau_.stages;
    step.fsal = tableau_.fsal;
    step.n = n_states_;
    for (int s = 0; s < tableau_.stages; ++s) {
      step.time[s] = t + tableau_.c[s] * h;
      for (int j = 0; j < s; ++j) step.a[s][j] = h * tableau_.a[s][j];
      step.b[s] = h * tableau_.b[s];
      step.e[s] = h * tableau_.e[s];
      if (keep_stages) step.stage[s] = k_[std::size_t(s)].data();
    }
    if (tableau_.fsal) step.stage[tableau_.stages - 1] = k_.back().data();
    step.y = y_.data();
    step.k0 = k0_known_ ? k_.front().data() : nullptr;
    step.y_new = y_new_.data();
    step.error_mean_square = error_mean_square;
    step.rtol = options_.rtol;
    step.atol = options_.atol;
    if (!field_.take_fused_step(step, device_)) {
      fused_ = false;
      return false;
    }
    result_.stats.field_evaluations += tableau_.stages - (k0_known_ ? 1 : 0);
    k0_known_ = k0_known_ || keep_stages;
    return true;
  }

  LinearCombination error_terms(double h) const {
    LinearCombination error;
    for (int j = 0; j < tableau_.stages; ++j) {
      if (tableau_.e[j] != 0.0) error.add(h * tableau_.e[j], k_[j].data());
    }
    return error;
  }

  // Whether an output time lies strictly inside the step from t to t_new (dense output).
  bool output_inside(double t_new, double direction) const {
    return result_.times_reached < times_.size() &&
           direction * (times_[result_.times_reached] - t_new) < 0.0;
  }

  // Writes every output time in (t, t_new] from the step just taken; false on a non-finite state.
  bool write_outputs(double t, double t_new, double h, bool& f_end_ready) {
    const double direction = h > 0 ? 1.0 : -1.0;
    while (result_.times_reached < times_.size() &&
           direction * (times_[result_.times_reached] - t_new) <= 0.0) {
      const std::size_t index = result_.times_reached;
      double* out = result_.states.data() + index * std::size_t(count_);
      if (times_[index] == t_new) {
        copy_state(y_new_.data(), index);
      } else {
        const detail::DenseWeights w = detail::dense_weights(tableau_, (times_[index] - t) / h);
        LinearCombination sum;
        for (int j = 0; j < tableau_.stages; ++j) {
          if (w.stage[j] != 0.0) sum.add(h * w.stage[j], k_[j].data());
        }
        if (w.end != 0.0) {
          if (!f_end_ready) evaluate(t_new, y_new_, f_end_);
          f_end_ready = true;
          sum.add(h * w.end, f_end_.data());
        }
        combine(out, y_.data(), sum);
      }
      LinearCombination state;
      state.add(1.0, out);
      if (!std::isfinite(norm(state, out, out, 0.0, 1.0, NormKind::max_state_rms))) {
        fail(OdeStatus::non_finite, times_[index], "the state became non-finite (NaN or inf)");
        return false;
      }
      ++result_.times_reached;
    }
    return true;
  }

  // After an accepted step: the new state becomes current and k_[0] = f(t_new, y_new).
  void advance(double t_new, bool f_end_ready) {
    y_.swap(y_new_);
    if (tableau_.fsal) {
      k_.front().swap(k_.back());
    } else if (f_end_ready) {
      k_.front().swap(f_end_);
    } else if (fused_) {
      k0_known_ = false;  // the next fused step computes it in registers
    } else {
      evaluate(t_new, y_, k_.front());
    }
    ++result_.stats.accepted_steps;
    if (options_.on_step) options_.on_step(t_new);
  }

  bool out_of_steps(double t) {
    if (result_.stats.accepted_steps + result_.stats.rejected_steps < options_.max_steps)
      return false;
    fail(OdeStatus::max_steps_reached, t,
         fmt::format("reached max_steps = {} before the final time", options_.max_steps));
    return true;
  }

  void run_fixed(double t0, double t_end) {
    const double span = t_end - t0;
    const auto steps =
        std::int64_t(std::max(1.0, std::ceil(std::fabs(span) / options_.step * (1.0 - 1e-12))));
    const double h = span / double(steps);
    evaluate(t0, y_, k_.front());
    double t = t0;
    for (std::int64_t step = 0; step < steps && result_.times_reached < times_.size(); ++step) {
      if (out_of_steps(t)) return;
      const double t_new = step + 1 == steps ? t_end : t0 + double(step + 1) * h;
      const double h_step = t_new - t;
      take_step(t, h_step, output_inside(t_new, h_step > 0 ? 1.0 : -1.0), nullptr);
      bool f_end_ready = false;
      if (!write_outputs(t, t_new, h_step, f_end_ready)) return;
      if (result_.times_reached == times_.size()) {
        ++result_.stats.accepted_steps;
        if (options_.on_step) options_.on_step(t_new);
        return;
      }
      advance(t_new, f_end_ready);
      t = t_new;
    }
  }

  // Hairer, Norsett and Wanner, "Solving ODEs I", II.4: a first step from the sizes of y0, f0
  // and an estimate of the second derivative. Costs one field evaluation.
  double initial_step(double t0, double span, double direction) {
    const double rtol = options_.rtol, atol = options_.atol;
    const auto size = [&](const double* v) {
      LinearCombination sum;
      sum.add(1.0, v);
      return norm(sum, y_.data(), y_.data(), rtol, atol, norm_kind());
    };
    const double d0 = size(y_.data()), d1 = size(k_.front().data());
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h0 = std::min({h0, std::fabs(span), options_.max_step});
    LinearCombination euler;
    euler.add(direction * h0, k_.front().data());
    combine(stage_input_.data(), y_.data(), euler);
    evaluate(t0 + direction * h0, stage_input_, f_end_);
    LinearCombination change;
    change.add(1.0, f_end_.data());
    change.add(-1.0, k_.front().data());
    const double d2 = norm(change, y_.data(), y_.data(), rtol, atol, norm_kind()) / h0;
    const double largest = std::max(d1, d2);
    const double h1 = largest <= 1e-15 ? std::max(1e-6, h0 * 1e-3)
                                       : std::pow(0.01 / largest, 1.0 / (tableau_.order + 1));
    return std::min({100.0 * h0, h1, std::fabs(span), options_.max_step});
  }

  void run_adaptive(double t0, double t_end, double direction) {
    evaluate(t0, y_, k_.front());
    double h = options_.step > 0.0 ? std::min(options_.step, options_.max_step)
                                   : initial_step(t0, t_end - t0, direction);
    if (!std::isfinite(h)) {
      fail(OdeStatus::non_finite, t0, "the field is not finite at the initial state");
      return;
    }
    detail::PiStepController controller(tableau_.error_order);
    double t = t0;
    while (result_.times_reached < times_.size()) {
      if (out_of_steps(t)) return;
      h = std::min(h, options_.max_step);
      double t_new = t + direction * h;
      // Land exactly on the final time, and do not leave a sliver of a step before it.
      if (direction * (t_new - t_end) >= 0.0 ||
          std::fabs(t_end - t_new) < 1e-12 * std::fabs(t_end - t0)) {
        t_new = t_end;
      }
      const double h_step = t_new - t;
      if (std::fabs(h_step) <=
          16.0 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(t), 1.0)) {
        fail(OdeStatus::step_size_underflow, t,
             "the step size fell below the time resolution (a stiff or non-finite field?)");
        return;
      }
      const bool fused = take_step(t, h_step, output_inside(t_new, direction), error_.data());
      const double error_norm =
          fused ? with_backend(device_,
                               [&](auto b) {
                                 return detail::StateKernels<b>::fold_mean_squares(
                                     error_.data(), n_states_, norm_kind());
                               })
                : norm(error_terms(h_step), y_.data(), y_new_.data(), options_.rtol, options_.atol,
                       norm_kind());
      if (!(error_norm <= 1.0)) {
        ++result_.stats.rejected_steps;
        h = std::fabs(h_step) * controller.reject(error_norm);
        continue;
      }
      const double factor = controller.accept(error_norm);
      bool f_end_ready = false;
      if (!write_outputs(t, t_new, h_step, f_end_ready)) return;
      advance(t_new, f_end_ready);
      t = t_new;
      h = std::fabs(h_step) * factor;
    }
  }

  void fail(OdeStatus status, double t, const std::string& why) {
    result_.status = status;
    result_.message = fmt::format("{} at t = {:.9g} s", why, t);
  }

  const VectorField& field_;
  const OdeOptions& options_;
  const detail::ButcherTableau& tableau_;
  std::span<const double> times_;
  Device device_;
  int dimension_;
  std::int64_t count_, n_states_;
  Buffer<double> y_, y_new_, stage_input_, f_end_;
  Buffer<double> error_;  // per-state mean square of the scaled error, from fused steps
  std::vector<Buffer<double>> k_;
  bool fused_ = true;     // until the field declines a fused step
  bool k0_known_ = true;  // whether k_[0] = f(t, y_)
  OdeResult result_;
};

}  // namespace

OdeResult integrate(const VectorField& field, const Buffer<double>& initial,
                    std::span<const double> times, const OdeOptions& options) {
  validate(field, initial, times, options);
  return Solve(field, initial, times, options).run();
}

}  // namespace advect
