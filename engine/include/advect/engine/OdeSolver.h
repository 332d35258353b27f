// Batched initial-value solver for dx/dt = v(x, t): N states of dimension D advanced together
// on the device that holds them (CPU or CUDA), with one step size for the whole batch.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/VectorField.h"

namespace advect {

enum class OdeMethod {
  euler,     // explicit Euler, order 1
  heun,      // Heun's (explicit trapezoidal) method, order 2
  midpoint,  // explicit midpoint, order 2
  rk4,       // classic Runge-Kutta, order 4
  bs3,       // Bogacki-Shampine 3(2), adaptive, FSAL, cubic Hermite dense output
  dopri5,    // Dormand-Prince 5(4), adaptive, FSAL, Dormand-Prince order-4 dense output
};

std::string_view to_string(OdeMethod method);
// Accepts the names above plus "rk45" (dopri5) and "rk23" (bs3); nullopt if unknown.
std::optional<OdeMethod> parse_ode_method(std::string_view name);
bool is_adaptive(OdeMethod method);
int order_of(OdeMethod method);  // order of the propagated solution

// How the per-component scaled errors are folded into one number per step.
enum class ErrorNorm {
  max_state_rms,  // largest per-state RMS: every trajectory meets the tolerance on its own
  rms,            // root mean square over all N*D components (Hairer; torchdiffeq): cheaper
                  // in steps, but single trajectories may exceed the tolerance
};

struct OdeOptions {
  OdeMethod method = OdeMethod::dopri5;
  // Adaptive methods: a step is accepted when the error norm with weights
  // 1 / (atol + rtol * max(|x_old|, |x_new|)) is <= 1. Units of atol: those of the state.
  double rtol = 1e-6;
  double atol = 1e-9;
  ErrorNorm norm = ErrorNorm::max_state_rms;
  // Fixed-step methods: the step in seconds (> 0); the span is cut into ceil(span / step) equal
  // steps so that the last one lands on the final time. Adaptive methods: the first step
  // (0 chooses it automatically, Hairer-Norsett-Wanner's algorithm).
  double step = 0.0;
  double max_step = std::numeric_limits<double>::infinity();  // adaptive methods, seconds
  std::int64_t max_steps = 1'000'000;  // accepted + rejected steps before giving up
  // Called after every accepted step with the time reached (for progress reporting).
  std::function<void(double t)> on_step;
};

struct OdeStats {
  std::int64_t field_evaluations = 0;  // calls of VectorField::evaluate (each over all N states)
  std::int64_t accepted_steps = 0;
  std::int64_t rejected_steps = 0;
};

enum class OdeStatus { success, max_steps_reached, step_size_underflow, non_finite };
std::string_view to_string(OdeStatus status);

struct OdeResult {
  OdeStatus status = OdeStatus::success;
  std::string message;  // empty on success, else why the solve stopped and at what time
  OdeStats stats;
  // times.size() x N x D doubles on the initial state's device: states[k] at times[k]
  // (states[0] is the initial state). After a failure only the first `times_reached` are valid.
  Buffer<double> states;
  std::size_t times_reached = 0;
  bool ok() const { return status == OdeStatus::success; }
};

// Solves from times[0] (where the state is `initial`, N*D doubles with D = field.dimension())
// and reports the state at every entry of `times`, which must be strictly monotone: increasing
// integrates forward, decreasing backward. States between steps come from the method's dense
// output. Throws std::invalid_argument for inconsistent arguments.
OdeResult integrate(const VectorField& field, const Buffer<double>& initial,
                    std::span<const double> times, const OdeOptions& options);

}  // namespace advect
