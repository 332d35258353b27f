#include "SurrogateEvaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "FieldPlot.h"
#include "Timing.h"
#include "advect/neural/ObservationBaselines.h"

namespace advect::app {
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

void accumulate(neural::SurrogateErrors& sum, const neural::SurrogateErrors& e, double weight) {
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

Evaluation evaluate_surrogate(const neural::FlowSurrogate& model, const FlowCases& cases,
                              const EvaluationSettings& settings,
                              const std::function<void(int done)>& on_case) {
  const int horizon = model.config().training_frames;
  if (horizon < 1 || cases.shape.frames < horizon) {
    throw std::invalid_argument("the test cases have " + std::to_string(cases.shape.frames) +
                                " frames, fewer than the model's training horizon " +
                                std::to_string(horizon));
  }
  const int extended = std::min(cases.shape.frames, 2 * horizon);
  const neural::SequenceShape full{extended, cases.shape.height, cases.shape.width, 1};
  neural::SequenceShape within = full;
  within.frames = horizon;
  const std::size_t frame_size = full.points();

  Evaluation evaluation;
  evaluation.horizon = horizon;
  evaluation.frames = extended;
  auto& scores = evaluation.scores;
  scores = {{"model", {}, 0.0, 0.0}, {"interpolation", {}, 0.0, 0.0}, {"identity", {}, 0.0, 0.0}};
  const double weight = 1.0 / double(cases.sequences.size());
  for (std::size_t c = 0; c < cases.sequences.size(); ++c) {
    std::vector<float> truth(cases.sequences[c].begin(),
                             cases.sequences[c].begin() + std::ptrdiff_t(full.size()));
    const auto observed = neural::draw_observations(within, settings.protocol, settings.seed + c);
    std::vector<std::vector<float>> predictions;
    std::vector<double> seconds;

    auto start = Clock::now();
    predictions.push_back(model.predict_grid(full, model.observe(full, truth, observed)));
    seconds.push_back(seconds_since(start));
    for (auto fill : {neural::TimeFill::linear, neural::TimeFill::identity}) {
      start = Clock::now();
      predictions.push_back(neural::observation_baseline(full, truth, observed, fill));
      seconds.push_back(seconds_since(start));
    }
    const std::vector<float> truth_within(truth.begin(),
                                          truth.begin() + std::ptrdiff_t(within.size()));
    for (std::size_t m = 0; m < scores.size(); ++m) {
      const std::vector<float> head(predictions[m].begin(),
                                    predictions[m].begin() + std::ptrdiff_t(within.size()));
      accumulate(scores[m].horizon, neural::evaluate(within, head, truth_within, observed), weight);
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

std::vector<std::filesystem::path> plot_evaluation(const std::filesystem::path& directory,
                                                   const Evaluation& evaluation,
                                                   const FlowCases& cases,
                                                   const neural::ObservationProtocol& protocol,
                                                   const std::string& field) {
  std::filesystem::create_directories(directory);
  const int height = cases.shape.height, width = cases.shape.width;
  const std::size_t frame_size = std::size_t(height) * std::size_t(width);
  int unobserved = evaluation.horizon - 1;
  while (protocol.frame_stride > 1 && unobserved > 0 && unobserved % protocol.frame_stride == 0) {
    --unobserved;
  }
  std::vector<int> frames = {unobserved};
  if (evaluation.frames > evaluation.horizon) frames.push_back(evaluation.frames - 1);
  std::vector<std::filesystem::path> written;
  for (const int frame : frames) {
    auto slice = [&](const std::vector<float>& values) {
      return std::vector<double>(
          values.begin() + std::ptrdiff_t(std::size_t(frame) * frame_size),
          values.begin() + std::ptrdiff_t(std::size_t(frame + 1) * frame_size));
    };
    auto largest = [](const std::vector<double>& values) {
      double m = 0.0;
      for (const double v : values) m = std::max(m, std::abs(v));
      return m > 0 ? m : 1.0;
    };
    const auto truth = slice(evaluation.example_truth);
    const double high = largest(truth);
    std::vector<CellImage> fields = {
        {width, height, 1.0 / width, truth, -high, high, field, cool_warm}};
    std::vector<std::string> titles = {fmt::format("truth, frame {}", frame)};
    std::vector<CellImage> errors;
    std::vector<std::string> error_titles;
    for (std::size_t m = 0; m < evaluation.scores.size(); ++m) {
      fields.push_back(fields.front());
      fields.back().values = slice(evaluation.example_predictions[m]);
      titles.push_back(evaluation.scores[m].name);
      errors.push_back(fields.back());
      for (std::size_t i = 0; i < truth.size(); ++i) errors.back().values[i] -= truth[i];
      error_titles.push_back(evaluation.scores[m].name + " - truth");
    }
    // The errors in the range of the largest one's (identity's, as a rule).
    double error_high = 0.0;
    for (const auto& e : errors) error_high = std::max(error_high, largest(e.values));
    for (auto& e : errors) {
      e.low = -error_high;
      e.high = error_high;
      e.name = "error";
    }
    written.push_back(directory / fmt::format("eval_frame_{:02d}.png", frame));
    plot_cell_panels(written.back(), fields, titles);
    written.push_back(directory / fmt::format("eval_frame_{:02d}_error.png", frame));
    plot_cell_panels(written.back(), errors, error_titles);
  }
  return written;
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

}  // namespace advect::app
