#include "advect/neural/FlowSurrogate.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>

#include "FlowSurrogateState.h"
#include "advect/engine/Memory.h"

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

// The box's wave vectors: 0 <= k_x, k_y, 0 < |k| <= K (the constant is the field's bias). Each
// gives the products of cos or sin of pi k_x x with cos or sin of pi k_y y: cosines fit a field
// with zero normal derivative at a wall, sines one with zero value (no-slip), each converging like
// 1 / k^3 where the other converges like 1 / k^2.
std::vector<int> quarter_disc_wave_vectors(int max_wave_number) {
  std::vector<int> k;
  for (int kx = 0; kx <= max_wave_number; ++kx) {
    for (int ky = 0; ky <= max_wave_number; ++ky) {
      if (kx * kx + ky * ky > max_wave_number * max_wave_number || kx + ky == 0) continue;
      k.push_back(kx);
      k.push_back(ky);
    }
  }
  return k;
}

int count_features(bool box, const std::vector<int>& wave_vectors) {
  if (!box) return int(wave_vectors.size());  // sin and cos per vector
  int count = 0;
  for (std::size_t w = 0; w < wave_vectors.size(); w += 2) {
    count += (wave_vectors[w] > 0 ? 2 : 1) * (wave_vectors[w + 1] > 0 ? 2 : 1);
  }
  return count;
}

void check_positive(const char* key, double value) {
  if (!(value > 0)) {
    throw std::invalid_argument(std::string("surrogate config: ") + key + " must be positive");
  }
}

}  // namespace

nlohmann::json FlowSurrogateConfig::to_json() const {
  return {{"max_wave_number", max_wave_number}, {"domain", domain},
          {"latent_dims", latent_dims},         {"field_width", field_width},
          {"field_layers", field_layers},       {"dynamics_width", dynamics_width},
          {"dynamics_layers", dynamics_layers}, {"steps_per_frame", steps_per_frame},
          {"frame_interval", frame_interval},   {"field", field},
          {"training_frames", training_frames}};
}

FlowSurrogateConfig FlowSurrogateConfig::from_json(const nlohmann::json& json) {
  FlowSurrogateConfig c;
  for (const auto& [key, value] : json.items()) {
    try {
      if (key == "max_wave_number")
        c.max_wave_number = value.get<int>();
      else if (key == "domain")
        c.domain = value.get<std::string>();
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
  if (c.domain != "periodic" && c.domain != "box") {
    throw std::invalid_argument("surrogate config: domain must be \"periodic\" or \"box\"");
  }
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
      wave_vectors(c.domain == "box" ? quarter_disc_wave_vectors(c.max_wave_number)
                                     : half_plane_wave_vectors(c.max_wave_number)),
      feature_count(count_features(c.domain == "box", wave_vectors)),
      field(feature_count, c.latent_dims + 1, c.field_width, c.field_layers, device, seed),
      log_prior(std::size_t(c.latent_dims), std::log(10.0f)),
      dynamics(dynamics_mlp(c), OdeMethod::rk4, device, seed + 1),
      latent_mean(std::size_t(c.latent_dims), 0.0) {}

// Periodic: sin and cos of 2 pi (k_x x + k_y y) as the imaginary and real parts of
// e_x^k_x e_y^k_y with e = exp(2 pi i x); box: the products of cos and sin of pi k_x x and of
// pi k_y y, from the powers of exp(pi i x). Two sincos per point instead of two per feature.
std::vector<float> FlowSurrogate::State::features(const std::vector<double>& points) const {
  const std::size_t count = points.size() / 2, vectors = wave_vectors.size() / 2;
  const auto features = std::size_t(feature_count);
  const int k_max = config.max_wave_number;
  const double angle = box() ? std::numbers::pi : 2 * std::numbers::pi;
  std::vector<float> out(count * features);
  // Powers -K .. K of e_x and e_y.
  std::vector<std::complex<double>> powers_x(2 * std::size_t(k_max) + 1),
      powers_y(2 * std::size_t(k_max) + 1);
  const auto fill = [k_max](std::vector<std::complex<double>>& powers, double phase) {
    const auto e = std::polar(1.0, phase);
    powers[std::size_t(k_max)] = 1.0;
    for (int k = 1; k <= k_max; ++k) {
      powers[std::size_t(k_max + k)] = powers[std::size_t(k_max + k - 1)] * e;
      powers[std::size_t(k_max - k)] = std::conj(powers[std::size_t(k_max + k)]);
    }
  };
  for (std::size_t q = 0; q < count; ++q) {
    fill(powers_x, angle * points[2 * q]);
    fill(powers_y, angle * points[2 * q + 1]);
    float* row = out.data() + q * features;
    float* next = row;  // the box's features, one after another
    for (std::size_t w = 0; w < vectors; ++w) {
      const auto& x = powers_x[std::size_t(k_max + wave_vectors[2 * w])];
      const auto& y = powers_y[std::size_t(k_max + wave_vectors[2 * w + 1])];
      if (box()) {
        // cos cos, then sin cos, cos sin, sin sin where the sines are not zero everywhere.
        const int kx = wave_vectors[2 * w], ky = wave_vectors[2 * w + 1];
        *next++ = float(x.real() * y.real());
        if (kx > 0) *next++ = float(x.imag() * y.real());
        if (ky > 0) *next++ = float(x.real() * y.imag());
        if (kx > 0 && ky > 0) *next++ = float(x.imag() * y.imag());
      } else {
        const auto wave = x * y;
        row[w] = float(wave.imag());
        row[vectors + w] = float(wave.real());
      }
    }
  }
  return out;
}

namespace {

// The columns of `cached` at `points`, if it holds every one of them.
std::shared_ptr<const Eigen::MatrixXd> gather_columns(FlowSurrogate::State::CachedBasis& cached,
                                                      const std::vector<double>& points) {
  if (cached.columns.empty()) {
    for (std::size_t q = 0; 2 * q < cached.points.size(); ++q) {
      cached.columns.emplace(std::pair{cached.points[2 * q], cached.points[2 * q + 1]},
                             Eigen::Index(q));
    }
  }
  const auto count = Eigen::Index(points.size() / 2);
  auto gathered = std::make_shared<Eigen::MatrixXd>(cached.basis->rows(), count);
  for (Eigen::Index q = 0; q < count; ++q) {
    const auto found =
        cached.columns.find({points[2 * std::size_t(q)], points[2 * std::size_t(q) + 1]});
    if (found == cached.columns.end()) return nullptr;
    gathered->col(q) = cached.basis->col(found->second);
  }
  return gathered;
}

}  // namespace

std::shared_ptr<const Eigen::MatrixXd> FlowSurrogate::State::basis(
    const std::vector<double>& points) const {
  for (auto& entry : basis_cache) {
    if (entry.points == points) {
      std::swap(entry, basis_cache.front());
      return basis_cache.front().basis;
    }
  }
  for (auto& entry : basis_cache) {
    if (auto gathered = gather_columns(entry, points)) return gathered;
  }
  const auto count = std::int64_t(points.size() / 2);
  const auto input = Buffer<float>::from_host(features(points), field.device());
  const auto size = std::size_t(count) * std::size_t(latent_dims() + 1);
  if (basis_output.size() < size) basis_output = Buffer<float>(size, field.device());
  field.forward(input.data(), count, basis_output.data());
  std::vector<float> host(size);
  detail::copy_bytes(host.data(), Device::cpu(), basis_output.data(), field.device(),
                     size * sizeof(float));
  auto result = std::make_shared<const Eigen::MatrixXd>(
      Eigen::Map<const Eigen::MatrixXf>(host.data(), latent_dims() + 1, count).cast<double>());
  if (basis_cache.size() == 2) basis_cache.pop_back();
  basis_cache.insert(basis_cache.begin(), CachedBasis{points, result, {}});
  return result;
}

Eigen::MatrixXd FlowSurrogate::State::trajectory(const Eigen::VectorXd& start, double step,
                                                 int steps) const {
  const auto d = start.size();
  const Eigen::Map<const Eigen::VectorXd> mean(latent_mean.data(), d);
  const Eigen::VectorXf normalised = ((start - mean) / latent_scale).cast<float>();
  const Device& device = dynamics.mlp().device();
  auto first = Buffer<float>::from_host({normalised.data(), std::size_t(d)}, device);
  Buffer<float> states(std::size_t(steps + 1) * std::size_t(d), device);
  dynamics.forward(first.data(), 1, steps, float(step), states.data());
  const auto host = states.to_host();
  const Eigen::Map<const Eigen::MatrixXf> reached(host.data(), d, steps + 1);
  return (reached.cast<double>() * latent_scale).colwise() + mean;
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
  std::shared_ptr<const Eigen::MatrixXd> basis;  // of the points solved for (LatentSolve's)
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
      solve.emplace(*basis, state_->log_prior);
      solved_points = &frame.points;
    }
    const Eigen::Map<const Eigen::VectorXf> values(frame.values.data(),
                                                   Eigen::Index(frame.values.size()));
    anchors.col(Eigen::Index(a)) = solve->encode(values.cast<double>());
    anchor_times.push_back(frame.time);
  }

  // Each time from its anchor: the last observed frame at or before it, else the first. Times on
  // the anchor's lattice of nominal steps (frames, half frames, ...) come from one integration
  // through all of them; others each from their own steps.
  auto anchor_of = [&](double t) {
    const auto after = std::upper_bound(anchor_times.begin(), anchor_times.end(), t + 1e-9);
    return after == anchor_times.begin() ? std::size_t(0)
                                         : std::size_t(after - anchor_times.begin()) - 1;
  };
  const double nominal = state_->config.frame_interval / state_->config.steps_per_frame;
  Eigen::MatrixXd latents(d, Eigen::Index(times.size()));
  std::map<std::pair<std::size_t, bool>, std::vector<std::size_t>> groups;  // (anchor, forward)
  for (std::size_t i = 0; i < times.size(); ++i) {
    const auto a = anchor_of(times[i]);
    groups[{a, times[i] >= anchor_times[a]}].push_back(i);
  }
  for (const auto& [key, members] : groups) {
    const auto& [a, forward] = key;
    const double direction = forward ? 1.0 : -1.0;
    std::vector<int> lattice;
    for (auto i : members) {
      const double steps = std::abs(times[i] - anchor_times[a]) / nominal;
      lattice.push_back(
          std::abs(steps - std::round(steps)) < 1e-9 * (1 + steps) ? int(std::round(steps)) : -1);
    }
    const int most = *std::max_element(lattice.begin(), lattice.end());
    const bool on_lattice = *std::min_element(lattice.begin(), lattice.end()) >= 0;
    const Eigen::MatrixXd path =
        on_lattice && most > 0
            ? state_->trajectory(anchors.col(Eigen::Index(a)), direction * nominal, most)
            : Eigen::MatrixXd(anchors.col(Eigen::Index(a)));
    for (std::size_t m = 0; m < members.size(); ++m) {
      const double span = times[members[m]] - anchor_times[a];
      if (on_lattice) {
        latents.col(Eigen::Index(members[m])) = path.col(lattice[m]);
      } else {
        const int steps = std::max(1, int(std::ceil(std::abs(span) / nominal - 1e-9)));
        latents.col(Eigen::Index(members[m])) =
            state_->trajectory(anchors.col(Eigen::Index(a)), span / steps, steps).col(steps);
      }
    }
  }

  const auto basis_at_points = state_->basis(points);
  const Eigen::MatrixXd& query = *basis_at_points;
  // In single precision, what is returned: half the double product's time.
  std::vector<float> out(std::size_t(query.cols()) * times.size());
  Eigen::Map<Eigen::MatrixXf> fields(out.data(), query.cols(), Eigen::Index(times.size()));
  fields.noalias() = query.bottomRows(d).transpose().cast<float>() * latents.cast<float>();
  fields.colwise() += query.row(0).transpose().cast<float>();
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
