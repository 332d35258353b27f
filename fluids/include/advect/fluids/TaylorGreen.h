// The decaying Taylor-Green vortex, an exact solution of the Navier-Stokes equations on the
// periodic square [0, 2 pi]^2 (metres, seconds, density 1):
//   u = sin x cos y F(t),  v = -cos x sin y F(t),  F(t) = exp(-2 nu t).
#pragma once

#include <vector>

#include "advect/fluids/MacFlow.h"

namespace advect::fluids {

// n x n cells over [0, 2 pi]^2, periodic both ways.
FlowDomain taylor_green_domain(int n);

struct FaceVelocity {
  std::vector<double> u, v;  // in MacFlow's face layouts
};
// The exact velocity at time t on the faces of `g` (a taylor_green_domain grid).
FaceVelocity taylor_green(const MacGeometry& g, double viscosity, double t);

// Root mean square over all u and v faces of (flow - exact), m/s.
double rms_difference(const FaceVelocity& exact, const std::vector<double>& u,
                      const std::vector<double>& v);

}  // namespace advect::fluids
