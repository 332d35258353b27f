#include "advect/engine/AnalyticFields.h"

#include <fmt/format.h>

#include <stdexcept>

namespace advect {

std::unique_ptr<VectorField> make_rotation_field(RotationLaw law) {
  const double norm =
      std::sqrt(law.axis[0] * law.axis[0] + law.axis[1] * law.axis[1] + law.axis[2] * law.axis[2]);
  if (!(norm > 0.0) || !std::isfinite(norm)) {
    throw std::invalid_argument("rotation axis must be a finite non-zero vector");
  }
  for (double& component : law.axis) component /= norm;
  std::string text = fmt::format(
      "rotation(omega={:g} rad/s about ({:g},{:g},{:g}) through ({:g},{:g},{:g})", law.omega,
      law.axis[0], law.axis[1], law.axis[2], law.centre[0], law.centre[1], law.centre[2]);
  if (law.pulse_amplitude != 0.0) {
    text += fmt::format(", pulse {:g} at {:g} rad/s", law.pulse_amplitude, law.pulse_frequency);
  }
  return std::make_unique<PointwiseField<RotationLaw>>(law, text + ")");
}

std::unique_ptr<VectorField> make_linear_field(const LinearLaw& law) {
  return std::make_unique<PointwiseField<LinearLaw>>(
      law, fmt::format("linear(A=[{:g}], b=[{:g}])", fmt::join(law.a, ","), fmt::join(law.b, ",")));
}

std::unique_ptr<VectorField> make_lamb_oseen_field(const LambOseenLaw& law) {
  if (!(law.core_radius > 0.0)) throw std::invalid_argument("vortex core radius must be positive");
  return std::make_unique<PointwiseField<LambOseenLaw>>(
      law, fmt::format("lamb-oseen vortex(circulation={:g} m^2/s, core={:g} m at ({:g},{:g}))",
                       law.circulation, law.core_radius, law.centre_x, law.centre_y));
}

std::unique_ptr<VectorField> make_double_gyre_field(const DoubleGyreLaw& law) {
  return std::make_unique<PointwiseField<DoubleGyreLaw>>(
      law, fmt::format("double gyre(A={:g}, eps={:g}, omega={:g} rad/s)", law.amplitude,
                       law.epsilon, law.frequency));
}

}  // namespace advect
