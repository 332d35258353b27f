// FlowSurrogate::train: the decoder field's warm start on the training frames' principal
// components; then field and prior end to end, by reconstructing whole training frames from
// random sparse points through the encoder's solve; then, with the field fixed, the latent
// dynamics, by integrating windows of the training frames' latents.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>

#include "FlowSurrogateState.h"
#include "advect/engine/SubnormalsFlushed.h"
#include "advect/neural/Adam.h"

namespace advect::neural {
namespace {

// Cosine decay from the full rate to 5 % of it over the phase.
float decayed(float rate, int iteration, int iterations) {
  const double progress = double(iteration) / std::max(1, iterations);
  return float(rate * (0.05 + 0.95 * 0.5 * (1 + std::cos(std::numbers::pi * progress))));
}

void check_training_data(const std::vector<std::vector<float>>& trajectories,
                         const SequenceShape& shape, const SurrogateTraining& training) {
  if (trajectories.empty()) throw std::invalid_argument("surrogate training: no trajectories");
  if (shape.channels != 1) {
    throw std::invalid_argument("surrogate training: one channel per model, got " +
                                std::to_string(shape.channels));
  }
  if (shape.frames < 2) throw std::invalid_argument("surrogate training: needs 2 or more frames");
  for (const auto& t : trajectories) {
    if (t.size() != shape.size()) {
      throw std::invalid_argument("surrogate training: trajectories of different shapes");
    }
  }
  if (!(training.point_fraction > 0 && training.point_fraction <= 1)) {
    throw std::invalid_argument("surrogate training: the point fraction must be in (0, 1]");
  }
}

struct PrincipalComponents {
  Eigen::MatrixXd basis;      // (D + 1) x Q: the mean frame, then the components
  Eigen::VectorXd variances;  // D: of the coefficients z_k = mean over the grid of frame x phi_k
  double captured = 0.0;      // their share of the frames' variance
};

// By the snapshot method (eigenvectors of the frames' Gram matrix), over at most 2000 frames
// spread evenly through the data.
PrincipalComponents principal_components(const std::vector<std::vector<float>>& trajectories,
                                         const SequenceShape& shape, Eigen::Index components) {
  const auto q = Eigen::Index(shape.points());
  const std::size_t total = trajectories.size() * std::size_t(shape.frames);
  const std::size_t stride = (total + 1999) / 2000;
  const auto count = Eigen::Index((total + stride - 1) / stride);
  Eigen::MatrixXd snapshots(q, count);
  for (Eigen::Index j = 0; j < count; ++j) {
    const std::size_t index = std::size_t(j) * stride;
    const float* frame = trajectories[index / std::size_t(shape.frames)].data() +
                         (index % std::size_t(shape.frames)) * std::size_t(q);
    snapshots.col(j) = Eigen::Map<const Eigen::VectorXf>(frame, q).cast<double>();
  }
  const Eigen::VectorXd mean = snapshots.rowwise().mean();
  snapshots.colwise() -= mean;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(snapshots.transpose() * snapshots);
  PrincipalComponents result;
  result.basis = Eigen::MatrixXd::Zero(components + 1, q);
  result.variances = Eigen::VectorXd::Constant(components, 1e-12);
  result.basis.row(0) = mean.transpose();
  for (Eigen::Index k = 0; k < std::min(components, count); ++k) {
    const Eigen::Index column = count - 1 - k;  // eigenvalues increase
    const double eigenvalue = eigen.eigenvalues()[column];
    if (!(eigenvalue > 0)) break;
    // Unit mean square over the grid: phi = sqrt(Q) u with u the unit-norm component.
    result.basis.row(k + 1) = (snapshots * eigen.eigenvectors().col(column)).transpose() *
                              std::sqrt(double(q) / eigenvalue);
    result.variances[k] = eigenvalue / (double(count) * double(q));
    result.captured += eigenvalue / eigen.eigenvalues().sum();
  }
  return result;
}

}  // namespace

TrainingSummary FlowSurrogate::train(const std::vector<std::vector<float>>& trajectories,
                                     const SequenceShape& shape,
                                     const SurrogateTraining& training) {
  TrainingSummary summary;
  check_training_data(trajectories, shape, training);
  const SubnormalsFlushed flushed;
  State& s = *state_;
  // Beyond these the features alias on the grid: the warm start's fit would be singular.
  const int resolvable = s.box() ? std::min(shape.height, shape.width) - 1
                                 : (std::min(shape.height, shape.width) - 1) / 2;
  if (s.config.max_wave_number > resolvable) {
    throw std::invalid_argument(
        "surrogate training: max_wave_number " + std::to_string(s.config.max_wave_number) +
        " aliases on a " + std::to_string(shape.height) + " x " + std::to_string(shape.width) +
        " grid (at most " + std::to_string(resolvable) + " for a " + s.config.domain + " domain)");
  }
  s.config.training_frames = shape.frames;
  s.basis_cache.clear();
  const Device& device = s.field.device();
  const auto d = Eigen::Index(s.latent_dims());
  const auto q = Eigen::Index(shape.points());
  const auto frames = Eigen::Index(shape.frames);
  std::mt19937_64 rng(training.seed);
  auto truth = [&](std::size_t t) {
    return Eigen::Map<const Eigen::MatrixXf>(trajectories[t].data(), q, frames);
  };

  const auto grid_features = s.features(grid_points(shape.height, shape.width));
  const auto input = Buffer<float>::from_host(grid_features, device);
  Buffer<float> output(std::size_t((d + 1) * q), device), d_output(output.size(), device);

  // Warm start: the field's linear part fitted (least squares) to the mean frame and the leading
  // principal components (scaled to unit mean square over the grid); the prior set to their
  // coefficients' variances over a noise variance of 1e-6 of the frames'. Reaching that subspace
  // through the sparse solve alone takes far more steps.
  {
    const auto components = principal_components(trajectories, shape, d);
    summary.captured_variance = components.captured;
    const double noise = 1e-6 * components.variances.sum();
    for (Eigen::Index k = 0; k < d; ++k) {
      s.log_prior[std::size_t(k)] =
          float(std::log(std::max(components.variances[k], 1e-12 * noise) / noise));
    }
    s.field.fit_linear(grid_features, components.basis);
  }

  // End to end: field and prior through the sparse solve.
  Adam linear_adam(s.field.linear().parameter_count(), device, {training.field_learning_rate});
  Adam nonlinear_adam(s.field.nonlinear().parameter_count(), device,
                      {training.field_learning_rate});
  auto prior = Buffer<float>::from_host(s.log_prior, device);
  Buffer<float> d_prior(s.log_prior.size(), device);
  // The prior's few parameters span decades: a larger step than the network's.
  Adam prior_adam(std::int64_t(s.log_prior.size()), device, {10 * training.field_learning_rate});
  std::uniform_int_distribution<std::size_t> pick(0, trajectories.size() - 1);
  const ObservationProtocol protocol{training.point_fraction, 1};
  for (int iteration = 1; iteration <= training.field_iterations; ++iteration) {
    s.field.forward(input.data(), q, output.data());
    const auto host = output.to_host();
    const Eigen::MatrixXd basis =
        Eigen::Map<const Eigen::MatrixXf>(host.data(), d + 1, q).cast<double>();
    Eigen::MatrixXd d_basis = Eigen::MatrixXd::Zero(d + 1, q);
    Eigen::VectorXd d_log_prior = Eigen::VectorXd::Zero(d);
    std::vector<std::size_t> batch;
    double norm = 0.0, loss = 0.0;
    for (int b = 0; b < training.field_batch; ++b) {
      batch.push_back(pick(rng));
      norm += truth(batch.back()).cast<double>().squaredNorm();
    }
    for (auto t : batch) {
      const auto observed = draw_observations(shape, protocol, rng());
      const auto n = Eigen::Index(observed.points.size());
      Eigen::MatrixXd observed_basis(d + 1, n), values(n, frames);
      const auto full = truth(t).cast<double>();
      for (Eigen::Index i = 0; i < n; ++i) {
        observed_basis.col(i) = basis.col(observed.points[std::size_t(i)]);
        values.row(i) = full.row(observed.points[std::size_t(i)]);
      }
      const LatentSolve solve(observed_basis, s.log_prior);
      const Eigen::MatrixXd latents = solve.encode(values);
      const Eigen::MatrixXd error =
          ((basis.bottomRows(d).transpose() * latents).colwise() + basis.row(0).transpose()) - full;
      loss += error.squaredNorm();
      const Eigen::MatrixXd d_fields = 2 * error / norm;
      d_basis.bottomRows(d) += latents * d_fields.transpose();
      d_basis.row(0) += d_fields.rowwise().sum().transpose();
      Eigen::MatrixXd d_observed = Eigen::MatrixXd::Zero(d + 1, n);
      solve.backward(values, latents, basis.bottomRows(d) * d_fields, d_observed, d_log_prior);
      for (Eigen::Index i = 0; i < n; ++i) {
        d_basis.col(observed.points[std::size_t(i)]) += d_observed.col(i);
      }
    }
    summary.field_loss = loss / norm;
    if (training.on_iteration) {
      training.on_iteration("field", iteration, training.field_iterations, summary.field_loss);
    }
    const Eigen::MatrixXf d_basis_float = d_basis.cast<float>();
    d_output.copy_from_host({d_basis_float.data(), std::size_t(d_basis_float.size())});
    s.field.backward(input.data(), d_output.data());
    const float rate = decayed(training.field_learning_rate, iteration, training.field_iterations);
    for (auto [adam, mlp] : {std::pair{&linear_adam, &s.field.linear()},
                             std::pair{&nonlinear_adam, &s.field.nonlinear()}}) {
      adam->options().learning_rate = rate;
      adam->step(mlp->parameters().data(), mlp->gradients().data());
    }
    const Eigen::VectorXf d_prior_float = d_log_prior.cast<float>();
    d_prior.copy_from_host({d_prior_float.data(), std::size_t(d)});
    prior_adam.options().learning_rate =
        decayed(10 * training.field_learning_rate, iteration, training.field_iterations);
    prior_adam.step(prior.data(), d_prior.data());
    s.log_prior = prior.to_host();
  }

  // The latents of every training frame, fitted to all its points, and their statistics.
  s.basis_cache.clear();  // the field has changed
  const Eigen::MatrixXd basis = *s.basis(grid_points(shape.height, shape.width));
  const LatentSolve full_solve(basis, s.log_prior);
  std::vector<Eigen::MatrixXd> latents;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(d), sum_squares = Eigen::VectorXd::Zero(d);
  std::vector<Eigen::VectorXd> mean_squares;
  for (std::size_t t = 0; t < trajectories.size(); ++t) {
    const auto full = truth(t).cast<double>();
    latents.push_back(full_solve.encode(full));
    sum += latents.back().rowwise().sum();
    sum_squares += latents.back().array().square().matrix().rowwise().sum();
    mean_squares.push_back(full.array().square().colwise().mean().transpose());
  }
  const double count = double(trajectories.size()) * double(frames);
  const Eigen::VectorXd mean = sum / count;
  // One scale for all latents (their RMS spread), not one each: scaled per latent, the many
  // small ones entered the network as large as the few that carry the flow, and the dynamics
  // fitted them at the cost of the rest (stride-2 error 4.6 % against 1.9 %; docs/surrogate.md).
  const double spread =
      std::sqrt(std::max(0.0, (sum_squares / count - mean.cwiseProduct(mean)).sum() / double(d)));
  const double scale = spread + 1e-12;
  s.latent_mean.assign(mean.data(), mean.data() + d);
  s.latent_scale = scale;
  // The field's squared error per unit latent error: mean over the grid of (Phi^T dz)^2.
  const Eigen::MatrixXd metric = basis.bottomRows(d) * basis.bottomRows(d).transpose() / double(q);

  const int rollout = int(std::min<Eigen::Index>(training.rollout_frames, frames - 1));
  const int steps = rollout * s.config.steps_per_frame;
  const auto step = float(s.config.frame_interval / s.config.steps_per_frame);
  const auto windows = Eigen::Index(training.dynamics_batch);
  Buffer<float> starts(std::size_t(d * windows), device);
  Buffer<float> states(std::size_t(steps + 1) * std::size_t(d * windows), device);
  Buffer<float> d_states(states.size(), device);
  Adam dynamics_adam(s.dynamics.mlp().parameter_count(), device, {training.dynamics_learning_rate});
  std::uniform_int_distribution<Eigen::Index> pick_start(0, frames - 1 - rollout);
  for (int iteration = 1; iteration <= training.dynamics_iterations; ++iteration) {
    std::vector<std::pair<std::size_t, Eigen::Index>> chosen;
    Eigen::MatrixXf start(d, windows);
    double norm = 0.0;
    for (Eigen::Index w = 0; w < windows; ++w) {
      chosen.emplace_back(pick(rng), pick_start(rng));
      const auto& [t, first] = chosen.back();
      start.col(w) = ((latents[t].col(first) - mean) / scale).cast<float>();
      norm += mean_squares[t].segment(first + 1, rollout).sum();
    }
    starts.copy_from_host({start.data(), std::size_t(start.size())});
    s.dynamics.forward(starts.data(), windows, steps, step, states.data());
    const auto host = states.to_host();
    std::vector<float> d_host(host.size(), 0.0f);
    double loss = 0.0;
    for (int k = 1; k <= rollout; ++k) {
      const auto offset = std::size_t(k * s.config.steps_per_frame) * std::size_t(d * windows);
      const Eigen::Map<const Eigen::MatrixXf> reached(host.data() + offset, d, windows);
      Eigen::Map<Eigen::MatrixXf> d_reached(d_host.data() + offset, d, windows);
      for (Eigen::Index w = 0; w < windows; ++w) {
        const auto& [t, first] = chosen[std::size_t(w)];
        const Eigen::VectorXd error =
            reached.col(w).cast<double>() * scale + mean - latents[t].col(first + k);
        const Eigen::VectorXd weighted = metric * error;
        loss += error.dot(weighted);
        d_reached.col(w) = (2 * scale * weighted / norm).cast<float>();
      }
    }
    summary.dynamics_loss = loss / norm;
    if (training.on_iteration) {
      training.on_iteration("dynamics", iteration, training.dynamics_iterations,
                            summary.dynamics_loss);
    }
    d_states.copy_from_host(d_host);
    s.dynamics.backward(d_states.data());
    dynamics_adam.options().learning_rate =
        decayed(training.dynamics_learning_rate, iteration, training.dynamics_iterations);
    dynamics_adam.step(s.dynamics.parameters().data(), s.dynamics.gradients().data());
  }
  return summary;
}

}  // namespace advect::neural
