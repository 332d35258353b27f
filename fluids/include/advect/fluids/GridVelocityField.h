// A velocity field sampled on a regular grid, read with trilinear (bilinear in 2-D) interpolation:
// how a solver's velocity, or any gridded flow, becomes a VectorField for the ODE solver.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"
#include "advect/engine/VectorField.h"

namespace advect::fluids {

// Node (i, j, k) sits at origin + (i, j, k) * spacing (metres); `velocity` holds 3 doubles (m/s)
// per node, nodes x-fastest: index ((k * ny + j) * nx + i) * 3 + component. An axis with one node
// is constant along it (nz = 1 for planar flows). Positions outside the grid read the nearest
// boundary value.
struct GridLaw {
  static constexpr int dimension = 3;
  const double* velocity = nullptr;  // device memory of the evaluating device
  int dims[3] = {1, 1, 1};
  double origin[3] = {0, 0, 0};
  double spacing[3] = {1, 1, 1};

  ADVECT_HD void operator()(const double* x, double, double* v) const {
    int lower[3];
    double weight[3];
    for (int d = 0; d < 3; ++d) {
      const double cell = (x[d] - origin[d]) / spacing[d];
      const double clamped = fmin(fmax(cell, 0.0), double(dims[d] - 1));
      const int below = int(clamped);
      lower[d] = dims[d] > 1 ? (below < dims[d] - 2 ? below : dims[d] - 2) : 0;
      weight[d] = dims[d] > 1 ? clamped - lower[d] : 0.0;
    }
    v[0] = v[1] = v[2] = 0.0;
    for (int corner = 0; corner < 8; ++corner) {
      double w = 1.0;
      int node[3];
      for (int d = 0; d < 3; ++d) {
        const int upper = (corner >> d) & 1;
        w *= upper ? weight[d] : 1.0 - weight[d];
        node[d] = lower[d] + (dims[d] > 1 ? upper : 0);
      }
      if (w == 0.0) continue;
      const double* value =
          velocity + 3 * ((std::int64_t(node[2]) * dims[1] + node[1]) * dims[0] + node[0]);
      for (int c = 0; c < 3; ++c) v[c] += w * value[c];
    }
  }
};

// Owns the grid values on one device; evaluate() must be called for that device.
class GridVelocityField final : public VectorField {
 public:
  // `velocity`: dims[0]*dims[1]*dims[2]*3 values on the host, layout as in GridLaw.
  GridVelocityField(std::array<int, 3> dims, std::array<double, 3> origin,
                    std::array<double, 3> spacing, std::span<const double> velocity,
                    const Device& device);

  int dimension() const override { return 3; }
  void evaluate(double t, const double* x, double* v, std::int64_t n,
                const Device& device) const override;
  std::string describe() const override;

 private:
  Buffer<double> values_;
  GridLaw law_;
};

}  // namespace advect::fluids
