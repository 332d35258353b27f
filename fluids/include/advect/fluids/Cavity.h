// The lid-driven cavity's centre lines on the grid's own points (m/s), and their comparison with
// Ghia et al. (1982).
#pragma once

#include <array>
#include <vector>

#include "advect/fluids/Ghia1982.h"
#include "advect/fluids/MacFlow.h"

namespace advect::fluids {

struct CentreLines {
  std::vector<double> u;  // at x = 1/2, y = (j + 1/2) h
  std::vector<double> v;  // at y = 1/2, x = (i + 1/2) h
};
// The faces on the centre lines for even n, the cell centres (mean of two faces) for odd n.
CentreLines centre_lines(const MacFlow& flow);

struct GhiaComparison {
  std::array<double, 15> u{}, v{};  // ours at Ghia's stations (linear between grid points)
  double max_u_error = 0.0, max_v_error = 0.0;
};
GhiaComparison compare_with_ghia(const MacFlow& flow, const ghia1982::Table& table);

}  // namespace advect::fluids
