// Scene flow from two point clouds by fitting a neural prior per pair (runtime optimisation, no
// training data): the flow is an MLP f(x) fitted so that source + f(source) lands on the target.
//
//   chamfer  (NSFP; Li, Kaesemodel Pontes and Lucey, NeurIPS 2021): truncated bidirectional
//            Chamfer distance between source + f and target, plus the cycle term of a second
//            (backward) MLP g: Chamfer(source + f - g(source + f), source); g starts as a copy
//            of f, as NSFP's code starts it.
//   distance (FastNSF; Li et al., ICCV 2023): mean distance-transform value of the target at
//            source + f, one direction, no cycle term.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/neural/Mlp.h"

namespace advect::neural {

enum class SceneFlowLoss { chamfer, distance };

struct SceneFlowOptions {
  SceneFlowLoss loss = SceneFlowLoss::chamfer;
  MlpConfig mlp;  // default 3 -> 8 x 128 ReLU -> 3, PyTorch init (as NSFP)
  float learning_rate = 8e-3f;
  float weight_decay = 1e-4f;  // torch.optim.Adam's L2 form
  int max_iterations = 5000;
  // Stop when the loss has not fallen below (best - min_delta) for `patience` iterations.
  int patience = 100;
  float min_delta = 1e-4f;
  float truncate_squared = 2.0f;  // chamfer loss, m^2
  // NSFP's published loss counts truncated terms as 0 (the default, as NSFP); clamp_truncated
  // counts them at the truncation distance, so that pushing points away from everything is never
  // rewarded. The gradient is the same either way; only the loss that early stopping and the
  // choice of the best network watch differs, and NSFP's stopped sooner and better on every
  // bundled pair and sequence pair measured (docs/sceneflow.md, "NSFP's loss and its stopping").
  bool clamp_truncated = false;
  bool cycle = true;           // chamfer loss: the backward-flow cycle term
  float distance_cell = 0.1f;  // distance loss: voxel edge, m
  // Distance loss: each step uses this many random source points (0: all). The full loss, which
  // early stopping and the choice of the best network see, is then measured every 10 iterations.
  std::int64_t batch_points = 0;
  std::uint64_t seed = 0;
  // Warm start: the parameters to start from instead of a fresh draw, as an earlier fit with the
  // same loss, cycle term and networks returned them (SceneFlowResult::parameters), e.g. the
  // previous pair's of a sequence, whose motion is much like this pair's. Empty: drawn from seed.
  std::vector<float> initial_parameters;
  // Called after every iteration with the loss before its update (NaN when not measured).
  std::function<void(int iteration, double loss)> on_iteration;
};

// The two methods' settings: chamfer = NSFP as published (lr 0.008, patience 100, min_delta
// 1e-4); distance = our FastNSF settings, chosen by measurement on the bundled pairs (see
// docs/sceneflow.md): lr 0.003, steps on 512 random points, patience 50, min_delta 1e-3.
SceneFlowOptions scene_flow_preset(SceneFlowLoss loss);

struct SceneFlowResult {
  // Q x 3, metres: the flow of the lowest-loss iteration's network at the query points (the
  // source points when no query was given).
  std::vector<float> flow;
  // The lowest-loss iteration's parameters of every network (the flow MLP's, then for the chamfer
  // loss with the cycle term the backward MLP's): SceneFlowOptions::initial_parameters of a warm
  // start.
  std::vector<float> parameters;
  int iterations = 0;
  int best_iteration = 0;
  double best_loss = 0.0;
};

// source (N x 3) and target (M x 3) on the host, metres; the optimisation runs on `device`.
// Throws std::invalid_argument for empty or ragged clouds, bad options, or initial parameters
// whose count does not match the networks.
// The fitted flow is a field over space: `query` (Q x 3, host) asks for it at other points than
// the source, e.g. at every point of a cloud whose subsample was fitted.
SceneFlowResult estimate_scene_flow(const std::vector<float>& source,
                                    const std::vector<float>& target,
                                    const SceneFlowOptions& options, const Device& device,
                                    const std::vector<float>& query = {});

}  // namespace advect::neural
