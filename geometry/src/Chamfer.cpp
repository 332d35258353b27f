#include "advect/geometry/Chamfer.h"

#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "kernels/ChamferKernels.h"

namespace advect::geometry {

namespace {
Buffer<float> copy_of(const float* points, std::int64_t n, const Device& device) {
  Buffer<float> copy(std::size_t(3 * n), device);
  detail::copy_bytes(copy.data(), device, points, device, copy.size() * sizeof(float));
  return copy;
}
}  // namespace

Chamfer::Chamfer(const float* target, std::int64_t n, const Device& device, ChamferOptions options)
    : target_(copy_of(target, n, device)),
      target_grid_(target_.data(), n, device),
      options_(options) {
  scratch_.owner = Buffer<std::int32_t>(std::size_t(n), device);
  scratch_.order = Buffer<std::int32_t>(std::size_t(n), device);
  scratch_.target_distance = Buffer<float>(std::size_t(n), device);
}

ChamferValue Chamfer::evaluate(const float* moving, std::int64_t n, float* gradient) const {
  if (n <= 0) throw std::invalid_argument("Chamfer distance of an empty cloud");
  const Device& device = target_.device();
  const std::int64_t n_target = target_size();
  const bool forward = options_.direction != ChamferDirection::target_to_moving;
  const bool reverse = options_.direction != ChamferDirection::moving_to_target;
  Scratch& work = scratch_;
  if (work.nearest.size() != std::size_t(n)) {
    work.nearest = Buffer<std::int32_t>(std::size_t(n), device);
    work.first = Buffer<std::int32_t>(std::size_t(n + 1), device);
    work.moving_distance = Buffer<float>(std::size_t(n), device);
  }
  ChamferValue value;
  with_backend(device, [&](auto backend) {
    using Kernels = ChamferKernels<backend>;
    if (forward) {
      target_grid_.query(moving, n, 1, work.nearest.data(), work.moving_distance.data());
      value.moving_to_target =
          Kernels::sum_terms(work.moving_distance.data(), n, options_) / double(n);
      if (gradient != nullptr) {
        Kernels::moving_term_gradient(moving, target_.data(), work.nearest.data(),
                                      work.moving_distance.data(), n, 1.0 / double(n), options_,
                                      gradient);
      }
    } else if (gradient != nullptr) {
      Kernels::moving_term_gradient(moving, target_.data(), nullptr, nullptr, n, 0.0, options_,
                                    gradient);
    }
    if (reverse) {
      if (work.moving_grid) {
        work.moving_grid->rebuild(moving, n);
      } else {
        work.moving_grid.emplace(moving, n, device);
      }
      work.moving_grid->query(target_.data(), n_target, 1, work.owner.data(),
                              work.target_distance.data());
      value.target_to_moving =
          Kernels::sum_terms(work.target_distance.data(), n_target, options_) / double(n_target);
      if (gradient != nullptr) {
        Kernels::target_term_gradient(moving, n, target_.data(), n_target, work.owner.data(),
                                      work.order.data(), work.first.data(),
                                      work.target_distance.data(), 1.0 / double(n_target), options_,
                                      gradient);
      }
    }
  });
  return value;
}

}  // namespace advect::geometry
