// The surrogate and its baselines on test trajectories under one observation protocol (issue 6):
// the model, spatial interpolation with linear time fill, and Identity (the last observed frame),
// each judged over the training horizon (errors split by observed points and times) and, where
// the data is longer, over the frames after it up to twice the horizon.
#pragma once

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

// `cases` hold at least the model's training horizon of frames.
std::vector<MethodScore> evaluate_surrogate(const neural::FlowSurrogate& model,
                                            const FlowCases& cases,
                                            const EvaluationSettings& settings,
                                            const std::function<void(int done)>& on_case = {});

// {"model": {...}, "interpolation": {...}, "identity": {...}} with rel_l2,
// rel_l2_unobserved_points, rel_l2_unobserved_times, nmse, seconds_per_frame, ...
nlohmann::json scores_to_json(const std::vector<MethodScore>& scores);

}  // namespace advect::app
