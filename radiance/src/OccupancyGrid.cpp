#include "advect/radiance/OccupancyGrid.h"

#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/engine/Memory.h"
#include "kernels/OccupancyKernels.h"

namespace advect::radiance {
OccupancyGrid::OccupancyGrid(const SceneBox& box, int resolution, const Device& device)
    : box_(box), resolution_(resolution) {
  if (resolution < 1 || resolution > 1024) {
    throw std::invalid_argument("occupancy grid resolution must be 1 to 1024");
  }
  for (int a = 0; a < 3; ++a) {
    if (!(box.upper[a] > box.lower[a])) throw std::invalid_argument("scene box is empty");
  }
  density_ = Buffer<float>(std::size_t(cells()), device);
  occupied_ = Buffer<std::uint8_t>(std::size_t(cells()), device);
  density_.copy_from_host(std::vector<float>(std::size_t(cells()), 0.0f));
  with_backend(device, [&](auto backend) {  // every cell occupied
    OccupancyKernels<backend>::threshold(density_.data(), cells(), -1.0f, occupied_.data());
  });
}

void OccupancyGrid::cell_points(std::uint64_t seed, float* points) const {
  with_backend(density_.device(), [&](auto backend) {
    OccupancyKernels<backend>::cell_points(resolution_, seed, points);
  });
}

void OccupancyGrid::update(const float* sigma, float decay, float threshold) {
  with_backend(density_.device(), [&](auto backend) {
    using Kernels = OccupancyKernels<backend>;
    const double mean = Kernels::fold(density_.data(), sigma, cells(), decay) / double(cells());
    const float level = float(mean) < threshold ? float(mean) : threshold;
    Kernels::threshold(density_.data(), cells(), level, occupied_.data());
  });
}

double OccupancyGrid::occupied_fraction() const {
  std::int64_t occupied = 0;
  with_backend(density_.device(), [&](auto backend) {
    occupied = OccupancyKernels<backend>::count_occupied(occupied_.data(), cells());
  });
  return double(occupied) / double(cells());
}

std::int64_t OccupancyGrid::march(const float* origins, const float* directions, std::int64_t rays,
                                  const MarchOptions& options, RaySamples& out) const {
  if (!(options.step > 0.0f) || options.max_samples < 1) {
    throw std::invalid_argument("ray marching needs a positive step and sample cap");
  }
  const Device& device = density_.device();
  const GridView grid{box_, resolution_, occupied_.data()};
  const RaysView view{origins, directions, rays};
  ensure_size(counts_, rays + 1, device);
  ensure_size(out.offsets, rays + 1, device);
  with_backend(device, [&](auto backend) {
    using Kernels = OccupancyKernels<backend>;
    Kernels::count_samples(grid, view, options, counts_.data());
    detail::copy_bytes(counts_.data() + rays, device, std::vector<std::int32_t>{0}.data(),
                       Device::cpu(), sizeof(std::int32_t));
    Kernels::scan(counts_.data(), out.offsets.data(), rays + 1);
    std::int32_t total = 0;
    detail::copy_bytes(&total, Device::cpu(), out.offsets.data() + rays, device, sizeof(total));
    ensure_size(out.t, total, device);
    ensure_size(out.dt, total, device);
    ensure_size(out.positions, 3 * std::int64_t(total), device);
    ensure_size(out.directions, 3 * std::int64_t(total), device);
    out.rays = rays;
    out.count = total;
    Kernels::write_samples(grid, view, options,
                           SamplesView{out.offsets.data(), out.t.data(), out.dt.data(),
                                       out.positions.data(), out.directions.data()});
  });
  return out.count;
}

}  // namespace advect::radiance
