#include "advect/geometry/CloudFilters.h"

#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/geometry/NeighbourGrid.h"
#include "kernels/CloudFilterKernels.h"
#include "kernels/NeighbourGridKernels.h"

namespace advect::geometry {

Buffer<float> voxel_downsample(const float* points, std::int64_t n, float voxel,
                               const Device& device) {
  if (!(voxel > 0.0f)) throw std::invalid_argument("voxel size must be positive");
  if (n <= 0) return Buffer<float>(0, device);
  float box[6];
  with_backend(device,
               [&](auto backend) { NeighbourGridKernels<backend>::bounds(points, n, box); });
  for (int d = 0; d < 3; ++d) {
    if ((double(box[3 + d]) - box[d]) / voxel >= double(1 << 21)) {
      throw std::invalid_argument(
          "voxel size too small for the cloud's extent (2^21 voxels per axis at most)");
    }
  }
  Buffer<std::int64_t> keys(std::size_t(n), device);
  Buffer<std::int32_t> order(std::size_t(n), device), flags(std::size_t(n), device),
      slots(std::size_t(n), device);
  return with_backend(device, [&](auto backend) {
    using Kernels = CloudFilterKernels<backend>;
    Kernels::sorted_voxel_keys(points, n, box, voxel, keys.data(), order.data());
    const std::int64_t runs = Kernels::number_runs(keys.data(), n, flags.data(), slots.data());
    Buffer<std::int32_t> starts(std::size_t(runs + 1), device);
    Kernels::run_starts(flags.data(), slots.data(), n, starts.data());
    Buffer<float> out(std::size_t(3 * runs), device);
    Kernels::centroids(points, order.data(), starts.data(), runs, out.data());
    return out;
  });
}

Buffer<float> crop(const float* points, std::int64_t n, const CropRegion& region,
                   const Device& device, Buffer<std::int32_t>* kept) {
  Buffer<std::int32_t> flags(std::size_t(n), device), slots(std::size_t(n), device);
  return with_backend(device, [&](auto backend) {
    using Kernels = CloudFilterKernels<backend>;
    const std::int64_t count = Kernels::mark_inside(points, n, region, flags.data(), slots.data());
    Buffer<float> out(std::size_t(3 * count), device);
    if (kept != nullptr) *kept = Buffer<std::int32_t>(std::size_t(count), device);
    Kernels::gather_inside(points, n, flags.data(), slots.data(), out.data(),
                           kept ? kept->data() : nullptr);
    return out;
  });
}

}  // namespace advect::geometry
