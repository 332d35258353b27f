// The surrogate and its baselines on test trajectories under one observation protocol (issue 6):
// the model, spatial interpolation with linear time fill, and Identity (the last observed frame),
// each judged over the training horizon (errors split by observed points and times) and, where
// the data is longer, over the frames after it up to twice the horizon.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "FlowCases.h"
#include "advect/neural/FlowSurrogate.h"

namespace advect::app {

struct MethodScore {
  std::string name;
  neural::SurrogateErrors horizon;  // means over the test cases of each error
  double rel_l2_extended = -1.0;    // frames horizon .. 2 horizon - 1; negative: not measured
  double seconds_per_frame = 0.0;
};

struct EvaluationSettings {
  neural::ObservationProtocol protocol;
  std::uint64_t seed = 0;  // observations of case i drawn with seed + i
};

struct Evaluation {
  std::vector<MethodScore> scores;  // model, interpolation, identity
  int horizon = 0, frames = 0;      // the training horizon; the frames scored (up to 2 horizon)
  // The first test case: its truth, observations and each method's prediction (as in scores),
  // (frames, H, W).
  std::vector<float> example_truth;
  neural::Observations example_observed;
  std::vector<std::vector<float>> example_predictions;
};

// `cases` hold at least the model's training horizon of frames.
Evaluation evaluate_surrogate(const neural::FlowSurrogate& model, const FlowCases& cases,
                              const EvaluationSettings& settings,
                              const std::function<void(int done)>& on_case = {});

// Pictures of the first test case at the last unobserved frame of the horizon (the last frame
// of the horizon when every frame is observed) and at the last frame scored: the truth and the
// three methods side by side (DIR/eval_frame_NN.png) and their errors (eval_frame_NN_error.png).
// Returns the files written.
std::vector<std::filesystem::path> plot_evaluation(const std::filesystem::path& directory,
                                                   const Evaluation& evaluation,
                                                   const FlowCases& cases,
                                                   const neural::ObservationProtocol& protocol,
                                                   const std::string& field);

// {"model": {...}, "interpolation": {...}, "identity": {...}} with rel_l2,
// rel_l2_unobserved_points, rel_l2_unobserved_times, nmse, seconds_per_frame, ...
nlohmann::json scores_to_json(const std::vector<MethodScore>& scores);

}  // namespace advect::app
