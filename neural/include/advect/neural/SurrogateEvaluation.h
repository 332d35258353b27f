// The surrogate and its baselines on test trajectories under one observation protocol (issue 6):
// the model, spatial interpolation with linear time fill, and Identity (the last observed frame),
// each judged over the training horizon (errors split by observed points and times) and, where
// the data is longer, over the frames after it up to twice the horizon.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advect/neural/FlowSurrogate.h"
#include "advect/neural/SparseObservations.h"

namespace advect::neural {

struct MethodScore {
  std::string name;
  SurrogateErrors horizon;        // means over the test cases of each error
  double rel_l2_extended = -1.0;  // frames horizon .. 2 horizon - 1; negative: not measured
  double seconds_per_frame = 0.0;
};

struct EvaluationSettings {
  ObservationProtocol protocol;
  std::uint64_t seed = 0;  // observations of case i drawn with seed + i
};

struct Evaluation {
  std::vector<MethodScore> scores;  // model, interpolation, identity
  int horizon = 0, frames = 0;      // the training horizon; the frames scored (up to 2 horizon)
  // The first test case: its truth, observations and each method's prediction (as in scores),
  // (frames, H, W).
  std::vector<float> example_truth;
  Observations example_observed;
  std::vector<std::vector<float>> example_predictions;
};

// Test trajectories (each shape.size() values, (T, H, W), one channel) holding at least the
// model's training horizon of frames; on_case(done) after each. Throws std::invalid_argument for
// fewer frames than the horizon.
Evaluation evaluate_surrogate(const FlowSurrogate& model,
                              const std::vector<std::vector<float>>& sequences,
                              const SequenceShape& shape, const EvaluationSettings& settings,
                              const std::function<void(int done)>& on_case = {});

// {"model": {...}, "interpolation": {...}, "identity": {...}} with rel_l2,
// rel_l2_unobserved_points, rel_l2_unobserved_times, nmse, seconds_per_frame, ...
nlohmann::json scores_to_json(const std::vector<MethodScore>& scores);

}  // namespace advect::neural
