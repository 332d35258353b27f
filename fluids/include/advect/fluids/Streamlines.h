// Streamlines of a MAC flow's cell-centred velocity (for pictures), integrated by the engine's ODE
// core through a grid-sampled field.
#pragma once

#include <vector>

#include "advect/fluids/MacFlow.h"

namespace advect::fluids {

// The cell-centred velocity as x y z triples (z = 0), m/s, cell-major.
std::vector<double> cell_velocity_3d(const MacFlow& flow);

// Streamlines from a grid of seeds about 12 across the shorter side, integrated for `span`
// seconds with RK4: one polyline per seed, x y pairs in metres.
std::vector<std::vector<double>> streamlines(const MacFlow& flow, double span);

}  // namespace advect::fluids
