#include "VelocityMotion.h"

#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/engine/Memory.h"
#include "kernels/FieldKernels.h"

namespace advect::radiance {

VelocityMotion::VelocityMotion(OdeMethod method, int steps, const Device& device)
    : stepper_(method, device), steps_(steps) {}

void VelocityMotion::forward(const neural::Module& encoding, const neural::Mlp& network,
                             const float* positions, const float* times,
                             const WarpSettings& settings, std::int64_t n, float* warped,
                             float* flow) {
  const Device& d = network.device();
  encoding_ = &encoding, network_ = &network;
  times_ = times, settings_ = settings, n_ = n;
  const std::int64_t count = 6 * n;  // 2n states of 3
  ensure_size(start_, count, d);
  ensure_size(states_, (steps_ + 1) * count, d);
  ensure_size(velocity_, count, d);
  stages_.resize(std::size_t(steps_) * std::size_t(stepper_.stages()));
  for (int side = 0; side < 2; ++side) {
    detail::copy_bytes(start_.data() + side * 3 * n, d, positions, d,
                       std::size_t(3 * n) * sizeof(float));
  }
  // s runs over [0, 1]: a state's time is t +- s u dt, its slope +- u v / extent.
  stepper_.forward(*this, start_.data(), count, steps_, 1.0f / float(steps_), 0.0f, states_.data());
  const float* end = states_.data() + steps_ * count;
  with_backend(d, [&](auto backend) {
    using Dynamic = DynamicKernels<backend>;
    Dynamic::travel_rows(end, times, settings, 1.0f, n, warped);
    Dynamic::displacement(positions, end, settings, n, flow);
  });
}

void VelocityMotion::stage_forward(std::size_t slot, float s, const float* y, float* slope) {
  const Device& d = network_->device();
  Stage& stage = stages_[slot];
  ensure_size(stage.rows, 8 * n_, d);
  ensure_size(stage.features, 2 * n_ * encoding_->output_dims(), d);
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::travel_rows(y, times_, settings_, s, n_, stage.rows.data());
  });
  stage.context = encoding_->forward(stage.rows.data(), 2 * n_, stage.features.data(),
                                     std::move(stage.context));
  network_->forward(stage.features.data(), 2 * n_, velocity_.data(), stage.network);
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::travel_slope(velocity_.data(), settings_, n_, slope);
  });
}

void VelocityMotion::backward(neural::Module& encoding, neural::Mlp& network,
                              const float* d_warped) {
  const Device& d = network.device();
  trained_encoding_ = &encoding, trained_network_ = &network;
  const std::int64_t count = 6 * n_;
  ensure_size(d_states_, (steps_ + 1) * count, d);
  with_backend(d, [&](auto backend) {
    // The loss sees the end states only (their positions: the times do not move with them).
    DynamicKernels<backend>::fill(d_states_.data(), steps_ * count, 0.0f);
    FieldKernels<backend>::copy_rows(d_warped, 4, 2 * n_, 3, d_states_.data() + steps_ * count, 3);
  });
  stepper_.backward(*this, d_states_.data());
}

void VelocityMotion::stage_backward(std::size_t slot, const float*, const float* d_slope,
                                    float* d_y) {
  const Device& d = trained_network_->device();
  Stage& stage = stages_[slot];
  ensure_size(d_rows_, 8 * n_, d);
  ensure_size(d_features_, 2 * n_ * trained_encoding_->output_dims(), d);
  with_backend(d, [&](auto backend) {
    // The slope is linear in v with a diagonal factor: its backward is the same map.
    DynamicKernels<backend>::travel_slope(d_slope, settings_, n_, velocity_.data());
  });
  trained_network_->backward(stage.features.data(), velocity_.data(), stage.network,
                             d_features_.data(), neural::GradientMode::accumulate);
  trained_encoding_->backward(*stage.context, stage.rows.data(), d_features_.data(), d_rows_.data(),
                              neural::GradientMode::accumulate);
  with_backend(d, [&](auto backend) {
    FieldKernels<backend>::copy_rows(d_rows_.data(), 4, 2 * n_, 3, d_y, 3);
  });
}

}  // namespace advect::radiance
