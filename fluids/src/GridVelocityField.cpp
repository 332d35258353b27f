#include "advect/fluids/GridVelocityField.h"

#include <fmt/format.h>

#include <stdexcept>

#include "advect/engine/PointwiseField.h"

namespace advect::fluids {

GridVelocityField::GridVelocityField(std::array<int, 3> dims, std::array<double, 3> origin,
                                     std::array<double, 3> spacing,
                                     std::span<const double> velocity, const Device& device) {
  std::size_t nodes = 1;
  for (int d = 0; d < 3; ++d) {
    if (dims[std::size_t(d)] < 1) throw std::invalid_argument("grid dimensions must be >= 1");
    if (!(spacing[std::size_t(d)] > 0.0))
      throw std::invalid_argument("grid spacing must be positive");
    nodes *= std::size_t(dims[std::size_t(d)]);
    law_.dims[d] = dims[std::size_t(d)];
    law_.origin[d] = origin[std::size_t(d)];
    law_.spacing[d] = spacing[std::size_t(d)];
  }
  if (velocity.size() != 3 * nodes) {
    throw std::invalid_argument(fmt::format("grid of {} nodes needs {} velocity values, got {}",
                                            nodes, 3 * nodes, velocity.size()));
  }
  values_ = Buffer<double>::from_host(velocity, device);
  law_.velocity = values_.data();
}

void GridVelocityField::evaluate(double t, const double* x, double* v, std::int64_t n,
                                 const Device& device) const {
  if (device != values_.device()) {
    throw std::invalid_argument("grid field lives on " + values_.device().name() +
                                ", evaluated on " + device.name());
  }
  with_backend(device, [&](auto backend) {
    PointwiseFieldKernels<backend>::template evaluate<GridLaw>(law_, t, x, v, n);
  });
}

std::string GridVelocityField::describe() const {
  return fmt::format("grid velocity({}x{}x{} nodes, spacing {:g} {:g} {:g} m)", law_.dims[0],
                     law_.dims[1], law_.dims[2], law_.spacing[0], law_.spacing[1], law_.spacing[2]);
}

}  // namespace advect::fluids
