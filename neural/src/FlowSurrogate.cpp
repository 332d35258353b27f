#include "advect/neural/FlowSurrogate.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>

#include "FlowSurrogateState.h"

namespace advect::neural {
namespace {

MlpConfig dynamics_mlp(const FlowSurrogateConfig& c) {
  MlpConfig m;
  m.input_dims = m.output_dims = c.latent_dims;
  m.hidden_width = c.dynamics_width;
  m.hidden_layers = c.dynamics_layers;
  m.activation = Activation::tanh;
  m.init = Init::xavier;
  return m;
}

// One of each pair +-k of the integer wave vectors with 0 < |k| <= K.
std::vector<int> half_plane_wave_vectors(int max_wave_number) {
  std::vector<int> k;
  for (int kx = 0; kx <= max_wave_number; ++kx) {
    for (int ky = -max_wave_number; ky <= max_wave_number; ++ky) {
      if (kx * kx + ky * ky > max_wave_number * max_wave_number) continue;
      if (kx == 0 && ky <= 0) continue;
      k.push_back(kx);
      k.push_back(ky);
    }
  }
  return k;
}

void check_positive(const char* key, double value) {
  if (!(value > 0)) {
    throw std::invalid_argument(std::string("surrogate config: ") + key + " must be positive");
  }
}

}  // namespace

nlohmann::json FlowSurrogateConfig::to_json() const {
  return {{"max_wave_number", max_wave_number},
          {"latent_dims", latent_dims},
          {"field_width", field_width},
          {"field_layers", field_layers},
          {"dynamics_width", dynamics_width},
          {"dynamics_layers", dynamics_layers},
          {"steps_per_frame", steps_per_frame},
          {"frame_interval", frame_interval},
          {"field", field},
          {"training_frames", training_frames}};
}

FlowSurrogateConfig FlowSurrogateConfig::from_json(const nlohmann::json& json) {
  FlowSurrogateConfig c;
  for (const auto& [key, value] : json.items()) {
    try {
      if (key == "max_wave_number")
        c.max_wave_number = value.get<int>();
      else if (key == "latent_dims")
        c.latent_dims = value.get<int>();
      else if (key == "field_width")
        c.field_width = value.get<int>();
      else if (key == "field_layers")
        c.field_layers = value.get<int>();
      else if (key == "dynamics_width")
        c.dynamics_width = value.get<int>();
      else if (key == "dynamics_layers")
        c.dynamics_layers = value.get<int>();
      else if (key == "steps_per_frame")
        c.steps_per_frame = value.get<int>();
      else if (key == "frame_interval")
        c.frame_interval = value.get<double>();
      else if (key == "field")
        c.field = value.get<std::string>();
      else if (key == "training_frames")
        c.training_frames = value.get<int>();
      else
        throw std::invalid_argument("surrogate config: unknown key \"" + key + "\"");
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument("surrogate config: bad value for \"" + key + "\"");
    }
  }
  check_positive("max_wave_number", c.max_wave_number);
  check_positive("latent_dims", c.latent_dims);
  check_positive("field_width", c.field_width);
  check_positive("dynamics_width", c.dynamics_width);
  check_positive("steps_per_frame", c.steps_per_frame);
  check_positive("frame_interval", c.frame_interval);
  if (c.field_layers < 0 || c.dynamics_layers < 0) {
    throw std::invalid_argument("surrogate config: layer counts must be >= 0");
  }
  return c;
}

FlowSurrogate::State::State(const FlowSurrogateConfig& c, const Device& device, std::uint64_t seed)
    : config(c),
      wave_vectors(half_plane_wave_vectors(c.max_wave_number)),
      field(int(wave_vectors.size()), c.latent_dims + 1, c.field_width, c.field_layers, device,
            seed),
      log_prior(std::size_t(c.latent_dims), std::log(10.0f)),
      dynamics(dynamics_mlp(c), OdeMethod::rk4, device, seed + 1),
      latent_mean(std::size_t(c.latent_dims), 0.0),
      latent_scale(std::size_t(c.latent_dims), 1.0) {}

std::vector<float> FlowSurrogate::State::features(const std::vector<double>& points) const {
  const std::size_t count = points.size() / 2, pairs = wave_vectors.size() / 2;
  std::vector<float> out(count * 2 * pairs);
  for (std::size_t q = 0; q < count; ++q) {
    float* row = out.data() + q * 2 * pairs;
    for (std::size_t w = 0; w < pairs; ++w) {
      const double phase =
          2 * std::numbers::pi *
          (wave_vectors[2 * w] * points[2 * q] + wave_vectors[2 * w + 1] * points[2 * q + 1]);
      row[w] = float(std::sin(phase));
      row[pairs + w] = float(std::cos(phase));
    }
  }
  return out;
}

Eigen::MatrixXd FlowSurrogate::State::basis(const std::vector<double>& points) const {
  for (std::size_t i = 0; i < basis_cache.size(); ++i) {
    if (basis_cache[i].first == points) {
      std::swap(basis_cache[i], basis_cache.front());
      return basis_cache.front().second;
    }
  }
  const auto count = std::int64_t(points.size() / 2);
  const auto input = Buffer<float>::from_host(features(points), field.device());
  Buffer<float> output(std::size_t(count) * std::size_t(latent_dims() + 1), field.device());
  field.forward(input.data(), count, output.data());
  const auto host = output.to_host();
  Eigen::MatrixXd result =
      Eigen::Map<const Eigen::MatrixXf>(host.data(), latent_dims() + 1, count).cast<double>();
  if (basis_cache.size() == 2) basis_cache.pop_back();
  basis_cache.insert(basis_cache.begin(), {points, result});
  return result;
}

Eigen::MatrixXd FlowSurrogate::State::advance(const Eigen::MatrixXd& latents, double span) const {
  if (span == 0.0) return latents;
  const double nominal = config.frame_interval / config.steps_per_frame;
  const int steps = std::max(1, int(std::ceil(std::abs(span) / nominal - 1e-9)));
  const auto d = latents.rows(), batch = latents.cols();
  const Eigen::Map<const Eigen::VectorXd> mean(latent_mean.data(), d);
  const Eigen::Map<const Eigen::VectorXd> scale(latent_scale.data(), d);
  const Eigen::MatrixXf normalised =
      ((latents.colwise() - mean).array().colwise() / scale.array()).cast<float>();
  const Device& device = dynamics.mlp().device();
  auto start =
      Buffer<float>::from_host({normalised.data(), std::size_t(normalised.size())}, device);
  Buffer<float> states(std::size_t(steps + 1) * std::size_t(normalised.size()), device);
  dynamics.forward(start.data(), batch, steps, float(span / steps), states.data());
  const auto host = states.to_host();
  const Eigen::Map<const Eigen::MatrixXf> last(
      host.data() + std::size_t(steps) * std::size_t(d * batch), d, batch);
  return (last.cast<double>().array().colwise() * scale.array()).matrix().colwise() + mean;
}

FlowSurrogate::FlowSurrogate(const FlowSurrogateConfig& config, const Device& device,
                             std::uint64_t seed)
    : state_(std::make_unique<State>(config, device, seed)) {}
FlowSurrogate::FlowSurrogate(std::unique_ptr<State> state) : state_(std::move(state)) {}
FlowSurrogate::~FlowSurrogate() = default;
FlowSurrogate::FlowSurrogate(FlowSurrogate&&) noexcept = default;
FlowSurrogate& FlowSurrogate::operator=(FlowSurrogate&&) noexcept = default;

const FlowSurrogateConfig& FlowSurrogate::config() const {
  return state_->config;
}
std::int64_t FlowSurrogate::parameter_count() const {
  return state_->field.parameter_count() + state_->dynamics.mlp().parameter_count() +
         std::int64_t(state_->log_prior.size());
}

std::vector<float> FlowSurrogate::predict(const std::vector<ObservedFrame>& observed,
                                          const std::vector<double>& points,
                                          const std::vector<double>& times) const {
  if (observed.empty()) throw std::invalid_argument("surrogate: no observed frames");
  std::vector<std::size_t> order(observed.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return observed[a].time < observed[b].time; });

  // Latents at the observed frames; frames at the same points share one factorisation.
  const auto d = state_->latent_dims();
  std::vector<double> anchor_times;
  Eigen::MatrixXd anchors(d, Eigen::Index(order.size()));
  Eigen::MatrixXd basis;  // of the points solved for; LatentSolve refers to it
  std::optional<LatentSolve> solve;
  const std::vector<double>* solved_points = nullptr;
  for (std::size_t a = 0; a < order.size(); ++a) {
    const auto& frame = observed[order[a]];
    if (frame.values.empty() || frame.points.size() != 2 * frame.values.size()) {
      throw std::invalid_argument("surrogate: an observed frame needs N points and N values");
    }
    if (solved_points == nullptr || *solved_points != frame.points) {
      solve.reset();
      basis = state_->basis(frame.points);
      solve.emplace(basis, state_->log_prior);
      solved_points = &frame.points;
    }
    const Eigen::Map<const Eigen::VectorXf> values(frame.values.data(),
                                                   Eigen::Index(frame.values.size()));
    anchors.col(Eigen::Index(a)) = solve->encode(values.cast<double>());
    anchor_times.push_back(frame.time);
  }

  // Each time from its anchor (the last observed frame at or before it, else the first), in
  // increasing distance so that one integration serves all times of an anchor.
  auto anchor_of = [&](double t) {
    const auto after = std::upper_bound(anchor_times.begin(), anchor_times.end(), t + 1e-9);
    return after == anchor_times.begin() ? std::size_t(0)
                                         : std::size_t(after - anchor_times.begin()) - 1;
  };
  Eigen::MatrixXd latents(d, Eigen::Index(times.size()));
  std::vector<std::pair<double, Eigen::VectorXd>> reached(anchor_times.size());
  for (std::size_t a = 0; a < anchor_times.size(); ++a)
    reached[a] = {anchor_times[a], anchors.col(Eigen::Index(a))};
  std::vector<std::size_t> sorted(times.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) sorted[i] = i;
  std::stable_sort(sorted.begin(), sorted.end(), [&](auto a, auto b) {
    const auto anchor_a = anchor_of(times[a]), anchor_b = anchor_of(times[b]);
    if (anchor_a != anchor_b) return anchor_a < anchor_b;
    return std::abs(times[a] - anchor_times[anchor_a]) <
           std::abs(times[b] - anchor_times[anchor_b]);
  });
  for (auto i : sorted) {
    auto& [time, latent] = reached[anchor_of(times[i])];
    latent = state_->advance(latent, times[i] - time);
    time = times[i];
    latents.col(Eigen::Index(i)) = latent;
  }

  const Eigen::MatrixXd query = state_->basis(points);
  const Eigen::MatrixXd fields =
      (query.bottomRows(d).transpose() * latents).colwise() + query.row(0).transpose();
  std::vector<float> out(std::size_t(fields.size()));
  Eigen::Map<Eigen::MatrixXf>(out.data(), fields.rows(), fields.cols()) = fields.cast<float>();
  return out;
}

std::vector<double> grid_points(int height, int width) {
  std::vector<double> points;
  points.reserve(2 * std::size_t(height) * std::size_t(width));
  for (int row = 0; row < height; ++row) {
    for (int column = 0; column < width; ++column) {
      points.push_back((column + 0.5) / width);
      points.push_back((row + 0.5) / height);
    }
  }
  return points;
}

std::vector<ObservedFrame> FlowSurrogate::observe(const SequenceShape& shape,
                                                  const std::vector<float>& truth,
                                                  const Observations& observed) const {
  const auto grid = grid_points(shape.height, shape.width);
  std::vector<double> points;
  for (int p : observed.points) {
    points.push_back(grid[2 * std::size_t(p)]);
    points.push_back(grid[2 * std::size_t(p) + 1]);
  }
  std::vector<ObservedFrame> frames;
  for (int f : observed.frames) {
    ObservedFrame frame{f * state_->config.frame_interval, points, {}};
    for (int p : observed.points) {
      frame.values.push_back(truth[std::size_t(f) * shape.points() + std::size_t(p)]);
    }
    frames.push_back(std::move(frame));
  }
  return frames;
}

std::vector<float> FlowSurrogate::predict_grid(const SequenceShape& shape,
                                               const std::vector<ObservedFrame>& observed) const {
  std::vector<double> times;
  for (int f = 0; f < shape.frames; ++f) times.push_back(f * state_->config.frame_interval);
  return predict(observed, grid_points(shape.height, shape.width), times);
}

}  // namespace advect::neural
