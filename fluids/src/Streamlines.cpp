#include "advect/fluids/Streamlines.h"

#include <algorithm>

#include "advect/engine/OdeSolver.h"
#include "advect/fluids/GridVelocityField.h"

namespace advect::fluids {

std::vector<double> cell_velocity_3d(const MacFlow& flow) {
  const std::vector<double> cells = flow.cell_velocity();
  std::vector<double> velocity;
  velocity.reserve(cells.size() / 2 * 3);
  for (std::size_t k = 0; k < cells.size(); k += 2) {
    velocity.insert(velocity.end(), {cells[k], cells[k + 1], 0.0});
  }
  return velocity;
}

std::vector<std::vector<double>> streamlines(const MacFlow& flow, double span) {
  const MacGeometry& g = flow.geometry();
  const GridVelocityField field({g.nx, g.ny, 1}, {0.5 * g.h, 0.5 * g.h, 0.0}, {g.h, g.h, 1.0},
                                cell_velocity_3d(flow), Device::cpu());
  const double spacing = std::min(g.nx, g.ny) * g.h / 12.0;
  const int seeds_x = std::max(1, int(g.nx * g.h / spacing));
  const int seeds_y = std::max(1, int(g.ny * g.h / spacing));
  constexpr int kOutputs = 200;
  std::vector<double> seeds;
  for (int j = 0; j < seeds_y; ++j) {
    for (int i = 0; i < seeds_x; ++i) {
      seeds.insert(seeds.end(),
                   {(i + 0.5) / seeds_x * g.nx * g.h, (j + 0.5) / seeds_y * g.ny * g.h, 0.0});
    }
  }
  std::vector<double> times;
  for (int k = 0; k <= kOutputs; ++k) times.push_back(span * k / kOutputs);
  OdeOptions options;
  options.method = OdeMethod::rk4;
  options.step = span / kOutputs;
  const OdeResult result =
      integrate(field, Buffer<double>::from_host(seeds, Device::cpu()), times, options);
  const std::vector<double> states = result.states.to_host();
  const std::size_t n = seeds.size() / 3;
  std::vector<std::vector<double>> lines(n);
  for (std::size_t k = 0; k < result.times_reached; ++k) {
    for (std::size_t p = 0; p < n; ++p) {
      lines[p].push_back(states[3 * (k * n + p)]);
      lines[p].push_back(states[3 * (k * n + p) + 1]);
    }
  }
  return lines;
}

}  // namespace advect::fluids
