// A time-dependent vector field v(x, t), evaluated for a batch of states on one device.
#pragma once

#include <cstdint>
#include <string>

#include "advect/engine/Device.h"
#include "advect/engine/FusedStep.h"

namespace advect {

// Units: positions in metres, time in seconds, velocities in metres per second (fields in other
// units are fine as long as the caller is consistent).
class VectorField {
 public:
  virtual ~VectorField() = default;

  // Components per state, D (3 for points in space).
  virtual int dimension() const = 0;

  // v[i*D + d] = v_d(x_i, t) for i in [0, n). `x` and `v` hold n*D doubles, state-major
  // (x0 y0 z0 x1 y1 z1 ...), in the memory of `device`; they do not alias.
  virtual void evaluate(double t, const double* x, double* v, std::int64_t n,
                        const Device& device) const = 0;

  // Fields whose value at a state depends on that state alone may take a whole step per state
  // (FusedStep.h) and return true; the solver then uses this instead of evaluate() per stage.
  virtual bool take_fused_step(const FusedStep& /*step*/, const Device& /*device*/) const {
    return false;
  }

  // One line for logs and summaries, e.g. "rotation(omega=1 rad/s about z)".
  virtual std::string describe() const = 0;
};

}  // namespace advect
