#include "advect/neural/SurrogateEvaluation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "advect/engine/Timing.h"
#include "advect/neural/ObservationBaselines.h"

namespace advect::neural {
namespace {

// |prediction - truth| / |truth| over the frames [first, last).
double rel_l2_frames(const std::vector<float>& prediction, const std::vector<float>& truth,
                     std::size_t frame_size, int first, int last) {
  double error = 0.0, norm = 0.0;
  for (auto i = std::size_t(first) * frame_size; i < std::size_t(last) * frame_size; ++i) {
    error += (double(prediction[i]) - truth[i]) * (double(prediction[i]) - truth[i]);
    norm += double(truth[i]) * truth[i];
  }
  return std::sqrt(error / norm);
}

void accumulate(SurrogateErrors& sum, const SurrogateErrors& e, double weight) {
  sum.mse += weight * e.mse;
  sum.nmse += weight * e.nmse;
  sum.rel_l2 += weight * e.rel_l2;
  for (int p = 0; p < 2; ++p) {
    for (int f = 0; f < 2; ++f) sum.rel_l2_split[p][f] += weight * e.rel_l2_split[p][f];
  }
  sum.rel_l2_unobserved_points += weight * e.rel_l2_unobserved_points;
  sum.rel_l2_unobserved_times += weight * e.rel_l2_unobserved_times;
}

}  // namespace

Evaluation evaluate_surrogate(const FlowSurrogate& model,
                              const std::vector<std::vector<float>>& sequences,
                              const SequenceShape& shape, const EvaluationSettings& settings,
                              const std::function<void(int done)>& on_case) {
  const int horizon = model.config().training_frames;
  if (horizon < 1 || shape.frames < horizon) {
    throw std::invalid_argument("the test cases have " + std::to_string(shape.frames) +
                                " frames, fewer than the model's training horizon " +
                                std::to_string(horizon));
  }
  const int extended = std::min(shape.frames, 2 * horizon);
  const SequenceShape full{extended, shape.height, shape.width, 1};
  SequenceShape within = full;
  within.frames = horizon;
  const std::size_t frame_size = full.points();

  Evaluation evaluation;
  evaluation.horizon = horizon;
  evaluation.frames = extended;
  auto& scores = evaluation.scores;
  scores = {{"model", {}, 0.0, 0.0}, {"interpolation", {}, 0.0, 0.0}, {"identity", {}, 0.0, 0.0}};
  const double weight = 1.0 / double(sequences.size());
  for (std::size_t c = 0; c < sequences.size(); ++c) {
    std::vector<float> truth(sequences[c].begin(),
                             sequences[c].begin() + std::ptrdiff_t(full.size()));
    const auto observed = draw_observations(within, settings.protocol, settings.seed + c);
    std::vector<std::vector<float>> predictions;
    std::vector<double> seconds;

    auto start = Clock::now();
    predictions.push_back(model.predict_grid(full, model.observe(full, truth, observed)));
    seconds.push_back(seconds_since(start));
    for (auto fill : {TimeFill::linear, TimeFill::identity}) {
      start = Clock::now();
      predictions.push_back(observation_baseline(full, truth, observed, fill));
      seconds.push_back(seconds_since(start));
    }
    const std::vector<float> truth_within(truth.begin(),
                                          truth.begin() + std::ptrdiff_t(within.size()));
    for (std::size_t m = 0; m < scores.size(); ++m) {
      const std::vector<float> head(predictions[m].begin(),
                                    predictions[m].begin() + std::ptrdiff_t(within.size()));
      accumulate(scores[m].horizon, evaluate(within, head, truth_within, observed), weight);
      scores[m].seconds_per_frame += weight * seconds[m] / full.frames;
      if (extended > horizon) {
        scores[m].rel_l2_extended +=
            weight * rel_l2_frames(predictions[m], truth, frame_size, horizon, extended);
      }
    }
    if (c == 0) {
      evaluation.example_truth = truth;
      evaluation.example_observed = observed;
      evaluation.example_predictions = std::move(predictions);
    }
    if (on_case) on_case(int(c) + 1);
  }
  if (extended == horizon) {
    for (auto& s : scores) s.rel_l2_extended = -1.0;
  }
  return evaluation;
}

nlohmann::json scores_to_json(const std::vector<MethodScore>& scores) {
  nlohmann::json json;
  for (const auto& s : scores) {
    const auto& e = s.horizon;
    json[s.name] = {{"rel_l2", e.rel_l2},
                    {"rel_l2_unobserved_points", e.rel_l2_unobserved_points},
                    {"rel_l2_unobserved_times", e.rel_l2_unobserved_times},
                    {"rel_l2_observed_points_observed_times", e.rel_l2_split[1][1]},
                    {"rel_l2_unobserved_points_observed_times", e.rel_l2_split[0][1]},
                    {"rel_l2_observed_points_unobserved_times", e.rel_l2_split[1][0]},
                    {"rel_l2_unobserved_points_unobserved_times", e.rel_l2_split[0][0]},
                    {"mse", e.mse},
                    {"nmse", e.nmse},
                    {"seconds_per_frame", s.seconds_per_frame}};
    if (s.rel_l2_extended >= 0) json[s.name]["rel_l2_to_twice_horizon"] = s.rel_l2_extended;
  }
  return json;
}

}  // namespace advect::neural
