#include "advect/geometry/DistanceField.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/geometry/NeighbourGrid.h"
#include "kernels/DistanceFieldKernels.h"
#include "kernels/NeighbourGridKernels.h"

namespace advect::geometry {

namespace {
// Lines transformed per parallel batch: enough to fill a GPU; on the CPU a batch just large
// enough to be parallel, so that its scratch (3 doubles per cell) stays in cache.
std::int64_t lines_per_batch(const Device& device) {
  return device.is_cuda() ? 1 << 14 : 1 << 10;
}
}  // namespace

DistanceField::DistanceField(const float* target, std::int64_t n, const Device& device,
                             const DistanceFieldOptions& options) {
  if (n <= 0) throw std::invalid_argument("distance field of an empty cloud");
  if (!(options.cell > 0.0f) || !(options.padding >= 0.0f) || options.max_cells < 1) {
    throw std::invalid_argument("distance field needs cell > 0, padding >= 0 and max_cells >= 1");
  }
  std::array<float, 6> box;
  if (options.bounds) {
    box = *options.bounds;
  } else {
    with_backend(device, [&](auto backend) {
      NeighbourGridKernels<backend>::bounds(target, n, box.data());
    });
  }
  double cell = options.cell;
  const auto cells_for = [&](double size) {
    std::int64_t total = 1;
    for (int d = 0; d < 3; ++d) {
      const double extent = double(box[3 + d]) - double(box[d]) + 2.0 * options.padding;
      view_.dims[d] = int(std::max(1.0, std::ceil(extent / size)));
      total *= view_.dims[d];
    }
    return total;
  };
  while (cells_for(cell) > options.max_cells) cell *= 1.1;
  view_.cell = float(cell);
  for (int d = 0; d < 3; ++d) view_.origin[d] = box[d] - options.padding;
  const std::int64_t cells = cells_for(cell);
  squared_ = Buffer<float>(std::size_t(cells), device);
  view_.squared = squared_.data();
  const int longest = std::max({view_.dims[0], view_.dims[1], view_.dims[2]});
  const std::int64_t batch = lines_per_batch(device);
  Buffer<double> scratch(std::size_t(batch * (3 * std::int64_t(longest) + 1)), device);
  with_backend(device, [&](auto backend) {
    using Kernels = DistanceFieldKernels<backend>;
    Kernels::mark_sites(view_, squared_.data(), target, n);
    for (int axis = 0; axis < 3; ++axis) {
      Kernels::transform_axis(view_, squared_.data(), axis, scratch.data(), batch);
    }
  });
}

void DistanceField::evaluate(const float* points, std::int64_t n, float* distance,
                             float* gradient) const {
  with_backend(device(), [&](auto backend) {
    DistanceFieldKernels<backend>::evaluate(view_, points, n, distance, gradient);
  });
}

}  // namespace advect::geometry
