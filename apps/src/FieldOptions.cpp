#include "FieldOptions.h"

#include "NumberChecks.h"

#include <cmath>
#include <numbers>

#include "advect/engine/AnalyticFields.h"

namespace advect::app {

void FieldOptions::add_to(CLI::App& app) {
  app.add_option("--field", name, "Velocity field: rotation, vortex (Lamb-Oseen) or double-gyre")
      ->check(CLI::IsMember({"rotation", "vortex", "double-gyre"}))
      ->capture_default_str();
  app.add_option("--omega", omega, "rotation: angular speed, rad/s")->capture_default_str();
  app.add_option("--axis", axis, "rotation: axis direction x y z")->expected(3);
  app.add_option("--centre", centre, "rotation/vortex: a point on the axis, m")->expected(3);
  app.add_option("--circulation", circulation, "vortex: circulation, m^2/s")->capture_default_str();
  app.add_option("--core-radius", core_radius, "vortex: core radius, m")
      ->check(positive())
      ->capture_default_str();
  app.add_option("--gyre-amplitude", gyre_amplitude, "double-gyre: A (Shadden et al. 2005)")
      ->capture_default_str();
  app.add_option("--gyre-epsilon", gyre_epsilon, "double-gyre: epsilon")->capture_default_str();
  app.add_option("--gyre-frequency", gyre_frequency, "double-gyre: omega, rad/s")
      ->capture_default_str();
}

std::unique_ptr<VectorField> FieldOptions::make() const {
  if (name == "rotation") {
    RotationLaw law;
    std::copy(axis.begin(), axis.end(), law.axis);
    std::copy(centre.begin(), centre.end(), law.centre);
    law.omega = omega;
    return make_rotation_field(law);
  }
  if (name == "vortex") {
    LambOseenLaw law;
    law.centre_x = centre[0];
    law.centre_y = centre[1];
    law.circulation = circulation;
    law.core_radius = core_radius;
    return make_lamb_oseen_field(law);
  }
  DoubleGyreLaw law;
  law.amplitude = gyre_amplitude;
  law.epsilon = gyre_epsilon;
  law.frequency = gyre_frequency;
  return make_double_gyre_field(law);
}

double FieldOptions::default_duration() const {
  if (name == "rotation") return omega != 0.0 ? 2.0 * std::numbers::pi / std::fabs(omega) : 1.0;
  if (name == "vortex") return 10.0;
  return gyre_frequency != 0.0 ? 2.0 * (2.0 * std::numbers::pi / std::fabs(gyre_frequency)) : 20.0;
}

std::array<double, 6> FieldOptions::default_box() const {
  if (name == "double-gyre") return {0.0, 2.0, 0.0, 1.0, 0.0, 0.0};
  return {centre[0] - 1.0, centre[0] + 1.0, centre[1] - 1.0, centre[1] + 1.0, 0.0, 0.0};
}

}  // namespace advect::app
