// The flow surrogate's parameters and the pieces its prediction and training share (private).
#pragma once

#include <Eigen/Dense>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "DecoderField.h"
#include "advect/engine/Buffer.h"
#include "advect/neural/FlowSurrogate.h"
#include "advect/neural/LatentOde.h"
#include "advect/neural/LatentSolve.h"
#include "advect/neural/Mlp.h"

namespace advect::neural {

struct FlowSurrogate::State {
  State(const FlowSurrogateConfig& config, const Device& device, std::uint64_t seed);

  FlowSurrogateConfig config;
  // (k_x, k_y) pairs, |k| <= K: one of each +-k (periodic, two features each), or k_x, k_y >= 0
  // (box, up to four features each).
  std::vector<int> wave_vectors;
  int feature_count;
  bool box() const { return config.domain == "box"; }
  // Features -> phi_0, phi_1 .. phi_D. Mutable like the dynamics: forward passes keep scratch.
  mutable DecoderField field;
  std::vector<float> log_prior;  // D: log of the prior variances
  // On (z - mu) / sigma. Mutable: its forward pass keeps stage buffers (scratch) even when only
  // predicting, so a model is not to be shared between threads.
  mutable LatentOde dynamics;
  std::vector<double> latent_mean;  // mu (D)
  double latent_scale = 1.0;        // sigma

  int latent_dims() const { return config.latent_dims; }
  // Q x feature_count Fourier features of Q points (x, y pairs), row-major.
  std::vector<float> features(const std::vector<double>& points) const;
  // The field's outputs at Q points: (D + 1) x Q, column q = (phi_0, phi_1 .. phi_D)(x_q, y_q).
  // The two most recent point sets' are kept, and points found in one of them (the same
  // coordinates, bit for bit) are gathered from it instead of evaluated: predictions on one grid
  // for many trajectories, observed at some of its points, evaluate the field once. train()
  // clears the cache.
  std::shared_ptr<const Eigen::MatrixXd> basis(const std::vector<double>& points) const;
  struct CachedBasis {
    std::vector<double> points;
    std::shared_ptr<const Eigen::MatrixXd> basis;
    std::map<std::pair<double, double>, Eigen::Index> columns;  // built on first gather
  };
  mutable std::vector<CachedBasis> basis_cache;
  mutable Buffer<float> basis_output;  // grows only
  // The latent (physical units) integrated from `start` through `steps` steps of `step` seconds
  // (negative: backward): D x (steps + 1), column n after n steps.
  Eigen::MatrixXd trajectory(const Eigen::VectorXd& start, double step, int steps) const;
};

}  // namespace advect::neural
