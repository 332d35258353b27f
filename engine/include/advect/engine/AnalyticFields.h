// Closed-form velocity fields: test problems with exact solutions and classic flows for demos.
// All act on 3-D points (metres) and give metres per second; the planar flows (vortex, double
// gyre) act in the x-y plane and leave z unchanged.
#pragma once

#include <cmath>
#include <memory>
#include <numbers>

#include "advect/engine/HostDevice.h"
#include "advect/engine/PointwiseField.h"

namespace advect {

// Rigid rotation about the line through `centre` along the unit vector `axis`, at angular speed
// omega(t) = omega * (1 + pulse_amplitude * sin(pulse_frequency * t)) in rad/s. The rotation
// angle after time t from 0 is omega * (t + pulse_amplitude * (1 - cos(pulse_frequency t)) /
// pulse_frequency), which gives the exact solution for tests.
struct RotationLaw {
  static constexpr int dimension = 3;
  double axis[3] = {0.0, 0.0, 1.0};  // unit vector
  double centre[3] = {0.0, 0.0, 0.0};
  double omega = 1.0;            // rad/s
  double pulse_amplitude = 0.0;  // dimensionless
  double pulse_frequency = 0.0;  // rad/s

  // At one time: the rotation at the speed omega(t), the same for every point.
  struct AtTime {
    double axis[3], centre[3];
    double w;           // rad/s
    template <class T>  // double, or a SIMD vector of doubles (PointwiseField.h)
    ADVECT_HD void operator()(const T* x, double, T* v) const {
      const T r[3] = {x[0] - centre[0], x[1] - centre[1], x[2] - centre[2]};
      v[0] = w * (axis[1] * r[2] - axis[2] * r[1]);
      v[1] = w * (axis[2] * r[0] - axis[0] * r[2]);
      v[2] = w * (axis[0] * r[1] - axis[1] * r[0]);
    }
  };
  ADVECT_HD AtTime at_time(double t) const {
    return {{axis[0], axis[1], axis[2]},
            {centre[0], centre[1], centre[2]},
            omega * (1.0 + pulse_amplitude * sin(pulse_frequency * t))};
  }
  ADVECT_HD void operator()(const double* x, double t, double* v) const { at_time(t)(x, t, v); }
};

// Affine field v = A x + b, A row-major 3x3 in 1/s, b in m/s.
struct LinearLaw {
  static constexpr int dimension = 3;
  double a[9] = {};
  double b[3] = {};

  template <class T>  // double, or a SIMD vector of doubles (PointwiseField.h)
  ADVECT_HD void operator()(const T* x, double, T* v) const {
    for (int row = 0; row < 3; ++row) {
      v[row] = a[3 * row] * x[0] + a[3 * row + 1] * x[1] + a[3 * row + 2] * x[2] + b[row];
    }
  }
};

// Lamb-Oseen vortex about the vertical line through (centre_x, centre_y): azimuthal speed
// circulation / (2 pi r) * (1 - exp(-r^2 / core_radius^2)); solid-body rotation near the core.
struct LambOseenLaw {
  static constexpr int dimension = 3;
  double centre_x = 0.0, centre_y = 0.0;  // m
  double circulation = 1.0;               // m^2/s
  double core_radius = 0.1;               // m

  ADVECT_HD void operator()(const double* x, double, double* v) const {
    const double dx = x[0] - centre_x, dy = x[1] - centre_y;
    const double r2 = dx * dx + dy * dy;
    const double rc2 = core_radius * core_radius;
    // (1 - exp(-r^2/rc^2)) / r^2, written with expm1 so that it stays accurate as r -> 0.
    const double s = r2 / rc2;
    const double shape = s > 0.0 ? -expm1(-s) / r2 : 1.0 / rc2;
    const double scale = circulation / (2.0 * std::numbers::pi) * shape;
    v[0] = -scale * dy;
    v[1] = scale * dx;
    v[2] = 0.0;
  }
};

// The time-periodic double gyre of Shadden, Lekien and Marsden (Physica D 212, 2005) on
// [0, 2] x [0, 1]: stream function psi = A sin(pi f(x, t)) sin(pi y) with
// f = eps sin(w t) x^2 + (1 - 2 eps sin(w t)) x. Defaults are the paper's A = 0.1, eps = 0.25,
// w = 2 pi / 10.
struct DoubleGyreLaw {
  static constexpr int dimension = 3;
  double amplitude = 0.1;                          // A
  double epsilon = 0.25;                           // eps
  double frequency = 2.0 * std::numbers::pi / 10;  // w, rad/s

  // At one time: f = a x^2 + b x with a = eps sin(w t), b = 1 - 2 a, the same for every point.
  struct AtTime {
    double amplitude, a, b;
    template <class T>  // double, or a SIMD vector of doubles (PointwiseField.h)
    ADVECT_HD void operator()(const T* x, double, T* v) const {
      const T f = a * x[0] * x[0] + b * x[0];
      const T dfdx = 2.0 * a * x[0] + b;
      v[0] =
          -std::numbers::pi * amplitude * sin(std::numbers::pi * f) * cos(std::numbers::pi * x[1]);
      v[1] = std::numbers::pi * amplitude * cos(std::numbers::pi * f) *
             sin(std::numbers::pi * x[1]) * dfdx;
      v[2] = 0.0;
    }
  };
  ADVECT_HD AtTime at_time(double t) const {
    const double a = epsilon * sin(frequency * t);
    return {amplitude, a, 1.0 - 2.0 * a};
  }
  ADVECT_HD void operator()(const double* x, double t, double* v) const { at_time(t)(x, t, v); }
};

// Fields with a one-line description; the rotation axis is normalised here (throws
// std::invalid_argument on a zero axis).
std::unique_ptr<VectorField> make_rotation_field(RotationLaw law);
std::unique_ptr<VectorField> make_linear_field(const LinearLaw& law);
std::unique_ptr<VectorField> make_lamb_oseen_field(const LambOseenLaw& law);
std::unique_ptr<VectorField> make_double_gyre_field(const DoubleGyreLaw& law);

}  // namespace advect
