#include "advect/neural/SceneFlowPrior.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <string>

#include "advect/engine/Dispatch.h"
#include "advect/engine/SubnormalsFlushed.h"
#include "advect/geometry/Chamfer.h"
#include "advect/geometry/DistanceField.h"
#include "advect/geometry/NeighbourGrid.h"
#include "advect/geometry/PointCloud.h"
#include "advect/neural/Adam.h"
#include "kernels/VectorOps.h"

namespace advect::neural {

namespace {

// Bounds of both clouds (FastNSF's distance grid covers their union).
std::array<float, 6> union_bounds(const std::vector<float>& a, const std::vector<float>& b) {
  const geometry::Bounds first = geometry::compute_bounds(a), second = geometry::compute_bounds(b);
  std::array<float, 6> box;
  for (std::size_t d = 0; d < 3; ++d) {
    box[d] = std::min(first.min[d], second.min[d]);
    box[3 + d] = std::max(first.max[d], second.max[d]);
  }
  return box;
}

// The state of one optimisation: networks, optimisers, losses and work buffers on one device.
class FlowFit {
 public:
  FlowFit(const std::vector<float>& source, const std::vector<float>& target,
          const SceneFlowOptions& options, const Device& device)
      : options_(options),
        device_(device),
        n_(std::int64_t(source.size() / 3)),
        batch_(options.loss == SceneFlowLoss::distance && options.batch_points > 0
                   ? std::min<std::int64_t>(options.batch_points, n_)
                   : n_),
        rng_(options.seed),
        source_(Buffer<float>::from_host(source, device)),
        target_(Buffer<float>::from_host(target, device)),
        flow_net_(options.mlp, device, options.seed),
        flow_adam_(flow_net_.parameter_count(), device, adam_options()),
        flow_(source.size(), device),
        warped_(source.size(), device),
        d_flow_(source.size(), device),
        best_parameters_(std::size_t(flow_net_.parameter_count()), device) {
    if (options.loss == SceneFlowLoss::chamfer) {
      geometry::ChamferOptions chamfer;
      chamfer.truncate_squared = options.truncate_squared;
      chamfer.clamp_truncated = options.clamp_truncated;
      to_target_ = std::make_unique<geometry::Chamfer>(
          target_.data(), std::int64_t(target.size() / 3), device, chamfer);
      if (options.cycle) {
        to_source_ = std::make_unique<geometry::Chamfer>(source_.data(), n_, device, chamfer);
        // NSFP's code starts the backward network as a copy of the forward one
        // (`net_inv = copy.deepcopy(net)`), so that the cycle starts near the identity; drawn
        // on their own, the fits were less accurate (docs/sceneflow.md).
        back_net_ = std::make_unique<Mlp>(options.mlp, device, options.seed);
        back_net_->parameters().copy_from(flow_net_.parameters());
        back_adam_ = std::make_unique<Adam>(back_net_->parameter_count(), device, adam_options());
        back_ = Buffer<float>(source.size(), device);
        cycled_ = Buffer<float>(source.size(), device);
        d_cycled_ = Buffer<float>(source.size(), device);
        d_back_input_ = Buffer<float>(source.size(), device);
        best_back_parameters_ = Buffer<float>(std::size_t(back_net_->parameter_count()), device);
      }
    } else {
      geometry::DistanceFieldOptions field;
      field.cell = options.distance_cell;
      field.bounds = union_bounds(source, target);
      distance_field_ = std::make_unique<geometry::DistanceField>(
          target_.data(), std::int64_t(target.size() / 3), device, field);
      distances_ = Buffer<float>(std::size_t(n_), device);
      if (batch_ < n_) {
        permutation_.resize(std::size_t(n_));
        std::iota(permutation_.begin(), permutation_.end(), 0);
        batch_points_ = Buffer<float>(3 * std::size_t(batch_), device);
        // The loss that early stopping watches: on every point, or on a fixed random sample of
        // kCheckPoints (same points at every check, so checks compare like with like).
        check_points_ = source_.data();
        check_count_ = n_;
        if (n_ > kCheckPoints) {
          check_sample_ = Buffer<float>(3 * std::size_t(kCheckPoints), device);
          draw_batch(kCheckPoints, check_sample_.data());
          check_points_ = check_sample_.data();
          check_count_ = kCheckPoints;
        }
      }
    }
    if (!options.initial_parameters.empty()) start_from(options.initial_parameters);
  }

  // Every network's parameters, flow MLP first (SceneFlowResult::parameters' layout).
  std::int64_t parameter_count() const {
    return flow_net_.parameter_count() + (back_net_ ? back_net_->parameter_count() : 0);
  }

  std::vector<float> best_parameters() const {
    std::vector<float> all = best_parameters_.to_host();
    if (back_net_) {
      const std::vector<float> back = best_back_parameters_.to_host();
      all.insert(all.end(), back.begin(), back.end());
    }
    return all;
  }

  // One iteration: the loss at the current parameters, then one Adam step of every network.
  // With minibatches the step uses a random batch and the full loss is measured only every
  // kCheckEvery iterations; other iterations return NaN. A measured loss below every earlier one
  // keeps the parameters it was measured at (before the step).
  double iterate(int iteration) {
    iteration_ = iteration;
    if (options_.loss == SceneFlowLoss::chamfer) return chamfer_step();
    if (batch_ >= n_) return distance_step(source_.data(), n_, true, true);
    double loss = std::numeric_limits<double>::quiet_NaN();
    if (iteration % kCheckEvery == 0) {
      loss = distance_step(check_points_, check_count_, false, true);
    }
    draw_batch(batch_, batch_points_.data());
    distance_step(batch_points_.data(), batch_, true, false);
    return loss;
  }

  double best_loss() const { return best_loss_; }
  int best_iteration() const { return best_iteration_; }

  static constexpr int kCheckEvery = 10;
  static constexpr std::int64_t kCheckPoints = 8192;

  // NSFP: truncated Chamfer to the target plus the cycle term, both networks step.
  double chamfer_step() {
    flow_net_.forward(source_.data(), n_, flow_.data(), flow_workspace_);
    const std::int64_t count = 3 * n_;
    double loss = 0.0;
    with_backend(device_, [&](auto backend) {
      using Ops = VectorOps<backend>;
      Ops::axpby(warped_.data(), 1.0f, source_.data(), 1.0f, flow_.data(), count);
      loss = to_target_->evaluate(warped_.data(), n_, d_flow_.data()).total();
      if (options_.cycle) {
        // u = w - g(w) against the source: dL/dw += dL/du - J_g^T dL/du.
        back_net_->forward(warped_.data(), n_, back_.data(), back_workspace_);
        Ops::axpby(cycled_.data(), 1.0f, warped_.data(), -1.0f, back_.data(), count);
        loss += to_source_->evaluate(cycled_.data(), n_, d_cycled_.data()).total();
        // g's output enters u with a minus sign; back_ is free again once cycled_ is formed.
        Ops::axpby(back_.data(), -1.0f, d_cycled_.data(), 0.0f, d_cycled_.data(), count);
        back_net_->backward(warped_.data(), back_.data(), back_workspace_, d_back_input_.data());
        Ops::axpby(d_flow_.data(), 1.0f, d_flow_.data(), 1.0f, d_cycled_.data(), count);
        Ops::axpby(d_flow_.data(), 1.0f, d_flow_.data(), 1.0f, d_back_input_.data(), count);
      }
    });
    remember_if_best(loss);
    flow_net_.backward(source_.data(), d_flow_.data(), flow_workspace_);
    flow_adam_.step(flow_net_.parameters().data(), flow_net_.gradients().data());
    if (back_net_) back_adam_->step(back_net_->parameters().data(), back_net_->gradients().data());
    return loss;
  }

  // FastNSF: mean distance-transform value at points + f(points) over `count` points; with
  // `step`, one Adam step on its gradient. `measured`: the loss early stopping watches.
  double distance_step(const float* points, std::int64_t count, bool step, bool measured) {
    flow_net_.forward(points, count, flow_.data(), flow_workspace_);
    double loss = 0.0;
    with_backend(device_, [&](auto backend) {
      using Ops = VectorOps<backend>;
      Ops::axpby(warped_.data(), 1.0f, points, 1.0f, flow_.data(), 3 * count);
      distance_field_->evaluate(warped_.data(), count, distances_.data(),
                                step ? d_flow_.data() : nullptr);
      loss = Ops::sum(distances_.data(), count) / double(count);
      if (step) {
        Ops::axpby(d_flow_.data(), 1.0f / float(count), d_flow_.data(), 0.0f, d_flow_.data(),
                   3 * count);
      }
    });
    if (measured) remember_if_best(loss);
    if (step) {
      flow_net_.backward(points, d_flow_.data(), flow_workspace_);
      flow_adam_.step(flow_net_.parameters().data(), flow_net_.gradients().data());
    }
    return loss;
  }

  // `count` distinct random source rows (a partial Fisher-Yates shuffle) gathered into `out`.
  void draw_batch(std::int64_t count, float* out) {
    for (std::int64_t i = 0; i < count; ++i) {
      std::uniform_int_distribution<std::int64_t> pick(i, n_ - 1);
      std::swap(permutation_[std::size_t(i)], permutation_[std::size_t(pick(rng_))]);
    }
    if (rows_.size() != std::size_t(count))
      rows_ = Buffer<std::int32_t>(std::size_t(count), device_);
    rows_.copy_from_host(std::span<const std::int32_t>(permutation_.data(), std::size_t(count)));
    with_backend(device_, [&](auto backend) {
      VectorOps<backend>::gather_points(out, source_.data(), rows_.data(), count);
    });
  }

  void remember_if_best(double loss) {
    if (!(loss < best_loss_)) return;
    best_loss_ = loss;
    best_iteration_ = iteration_;
    best_parameters_.copy_from(flow_net_.parameters());
    if (back_net_) best_back_parameters_.copy_from(back_net_->parameters());
  }

  // The flow of the kept parameters at `query` (Q x 3, host), evaluated in chunks so that the
  // activations stay small however many points are asked for.
  std::vector<float> best_flow_at(const std::vector<float>& query) {
    flow_net_.parameters().copy_from(best_parameters_);
    constexpr std::size_t kChunk = 3 * 16384;  // floats
    MlpWorkspace workspace;
    std::vector<float> result(query.size());
    for (std::size_t start = 0; start < query.size(); start += kChunk) {
      const std::span<const float> chunk(query.data() + start,
                                         std::min(kChunk, query.size() - start));
      const auto points = Buffer<float>::from_host(chunk, device_);
      Buffer<float> flow(chunk.size(), device_);
      flow_net_.forward(points.data(), std::int64_t(chunk.size() / 3), flow.data(), workspace);
      flow.copy_to_host(std::span<float>(result.data() + start, chunk.size()));
    }
    return result;
  }

 private:
  AdamOptions adam_options() const {
    AdamOptions adam;
    adam.learning_rate = options_.learning_rate;
    adam.weight_decay = options_.weight_decay;
    return adam;
  }

  void start_from(const std::vector<float>& parameters) {
    if (std::int64_t(parameters.size()) != parameter_count()) {
      throw std::invalid_argument(
          "the initial parameters are " + std::to_string(parameters.size()) +
          " floats; these networks have " + std::to_string(parameter_count()) +
          " (the same loss, cycle term and network shape as the fit that gave them?)");
    }
    const auto flow_count = std::size_t(flow_net_.parameter_count());
    flow_net_.parameters().copy_from_host(std::span(parameters.data(), flow_count));
    if (back_net_) {
      back_net_->parameters().copy_from_host(
          std::span(parameters.data() + flow_count, parameters.size() - flow_count));
    }
  }

  const SceneFlowOptions& options_;
  Device device_;
  std::int64_t n_, batch_;
  std::mt19937_64 rng_;
  std::vector<std::int32_t> permutation_;
  Buffer<std::int32_t> rows_;
  Buffer<float> batch_points_, check_sample_;
  const float* check_points_ = nullptr;
  std::int64_t check_count_ = 0;
  Buffer<float> source_, target_;
  Mlp flow_net_;
  Adam flow_adam_;
  MlpWorkspace flow_workspace_, back_workspace_;
  Buffer<float> flow_, warped_, d_flow_;
  Buffer<float> best_parameters_;
  double best_loss_ = std::numeric_limits<double>::infinity();
  int iteration_ = 0, best_iteration_ = 0;
  std::unique_ptr<geometry::Chamfer> to_target_, to_source_;
  std::unique_ptr<Mlp> back_net_;
  std::unique_ptr<Adam> back_adam_;
  Buffer<float> back_, cycled_, d_cycled_, d_back_input_, best_back_parameters_;
  std::unique_ptr<geometry::DistanceField> distance_field_;
  Buffer<float> distances_;
};

}  // namespace

SceneFlowOptions scene_flow_preset(SceneFlowLoss loss) {
  SceneFlowOptions options;
  options.loss = loss;
  if (loss == SceneFlowLoss::distance) {
    // FastNSF's own rule (patience 5-10, min_delta 1e-3) stopped the KITTI pair after 9-30
    // iterations at EPE3D 1.08 m, before the network had left its first plateau; 50 iterations
    // of patience let it converge. Steps on 512 random points cost a quarter of a full step on
    // 2048 and converged in about as many iterations.
    options.learning_rate = 3e-3f;
    options.patience = 50;
    options.min_delta = 1e-3f;
    options.batch_points = 512;
  }
  return options;
}

SceneFlowResult estimate_scene_flow(const std::vector<float>& source,
                                    const std::vector<float>& target,
                                    const SceneFlowOptions& options, const Device& device,
                                    const std::vector<float>& query) {
  if (source.empty() || target.empty() || source.size() % 3 != 0 || target.size() % 3 != 0) {
    throw std::invalid_argument("scene flow needs two non-empty N x 3 clouds");
  }
  if (options.mlp.input_dims != 3 || options.mlp.output_dims != 3) {
    throw std::invalid_argument("the flow MLP maps 3-D points to 3-D flow");
  }
  if (query.size() % 3 != 0) throw std::invalid_argument("query points must be Q x 3");
  if (options.max_iterations < 1 || options.patience < 1) {
    throw std::invalid_argument("max_iterations and patience must be positive");
  }
  const SubnormalsFlushed flushed;
  FlowFit fit(source, target, options, device);
  SceneFlowResult result;
  double patience_reference = std::numeric_limits<double>::infinity();
  int last_improvement = 0;
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    // The loss of the flow before this iteration's update (NaN: not measured this iteration).
    const double loss = fit.iterate(iteration);
    result.iterations = iteration + 1;
    if (options.on_iteration) options.on_iteration(iteration, loss);
    if (std::isnan(loss)) continue;
    if (loss < patience_reference - options.min_delta) {
      patience_reference = loss;
      last_improvement = iteration;
    } else if (iteration - last_improvement >= options.patience) {
      break;
    }
  }
  result.best_loss = fit.best_loss();
  result.best_iteration = fit.best_iteration();
  result.parameters = fit.best_parameters();
  result.flow = fit.best_flow_at(query.empty() ? source : query);
  return result;
}

}  // namespace advect::neural
