// The flow surrogate: its encoder's solve against an independent least-squares solution and its
// backward pass against finite differences; the whole model on travelling waves (exactly
// representable, with linear latent dynamics) against the truth and the Identity baseline; and
// its model file (round trip, corruption, truncation, other files).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>

#include "advect/neural/FlowSurrogate.h"
#include "advect/neural/LatentSolve.h"
#include "advect/neural/ObservationBaselines.h"

namespace advect::testing {
namespace {

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal(rng);
  return m;
}

struct SolveProblem {
  static constexpr int kDims = 5, kPoints = 12, kFrames = 3;
  Eigen::MatrixXd basis = random_matrix(kDims + 1, kPoints, 1);
  Eigen::MatrixXd values = random_matrix(kPoints, kFrames, 2);
  std::vector<float> log_prior = {0.5f, -1.0f, 2.0f, 0.0f, 1.5f};
};

// argmin |Phi^T z - (y - phi_0)|^2 + sum z_k^2 / p_k as one stacked least-squares system,
// solved by QR: a different route from the encoder's normal equations and Cholesky.
TEST(LatentSolve, MatchesTheStackedLeastSquaresSolution) {
  SolveProblem p;
  const neural::LatentSolve solve(p.basis, p.log_prior);
  const Eigen::MatrixXd latents = solve.encode(p.values);
  const int d = SolveProblem::kDims, n = SolveProblem::kPoints;
  Eigen::MatrixXd system = Eigen::MatrixXd::Zero(n + d, d);
  system.topRows(n) = p.basis.bottomRows(d).transpose();
  for (int k = 0; k < d; ++k) system(n + k, k) = std::exp(-0.5 * p.log_prior[std::size_t(k)]);
  for (int f = 0; f < SolveProblem::kFrames; ++f) {
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n + d);
    rhs.head(n) = p.values.col(f) - p.basis.row(0).transpose();
    const Eigen::VectorXd expected = system.colPivHouseholderQr().solve(rhs);
    EXPECT_LT((latents.col(f) - expected).norm(), 1e-10 * expected.norm()) << "frame " << f;
  }
}

// L = sum W .* z; its gradients by the backward pass against central differences (double).
TEST(LatentSolve, BackwardMatchesFiniteDifferences) {
  SolveProblem p;
  const Eigen::MatrixXd weights = random_matrix(SolveProblem::kDims, SolveProblem::kFrames, 3);
  auto loss = [&](const Eigen::MatrixXd& basis, const std::vector<float>& log_prior) {
    return (neural::LatentSolve(basis, log_prior).encode(p.values).array() * weights.array()).sum();
  };
  const neural::LatentSolve solve(p.basis, p.log_prior);
  Eigen::MatrixXd d_basis = Eigen::MatrixXd::Zero(p.basis.rows(), p.basis.cols());
  Eigen::VectorXd d_log_prior = Eigen::VectorXd::Zero(SolveProblem::kDims);
  solve.backward(p.values, solve.encode(p.values), weights, d_basis, d_log_prior);

  const double h = 1e-6;
  for (Eigen::Index i = 0; i < p.basis.size(); ++i) {
    Eigen::MatrixXd plus = p.basis, minus = p.basis;
    plus.data()[i] += h;
    minus.data()[i] -= h;
    const double numeric = (loss(plus, p.log_prior) - loss(minus, p.log_prior)) / (2 * h);
    EXPECT_NEAR(d_basis.data()[i], numeric, 1e-6 * (1 + std::abs(numeric))) << "basis " << i;
  }
  // log_prior is float: a larger step, and its rounding in the tolerance.
  const float hf = 1e-3f;
  for (std::size_t k = 0; k < p.log_prior.size(); ++k) {
    auto plus = p.log_prior, minus = p.log_prior;
    plus[k] += hf;
    minus[k] -= hf;
    const double numeric =
        (loss(p.basis, plus) - loss(p.basis, minus)) / double(plus[k] - minus[k]);
    EXPECT_NEAR(d_log_prior[Eigen::Index(k)], numeric, 1e-4 * (1 + std::abs(numeric)))
        << "log prior " << k;
  }
}

// Travelling waves on a 16 x 16 torus: s = sum_m a_m cos(2 pi k_m . (x - c t) + theta_m), wave
// numbers <= 2, random amplitudes, phases and velocity c per trajectory. Every frame lies in the
// span of the Fourier features (K = 3), so sparse points fix it exactly; the latent dynamics is a
// rotation the MLP has to learn.
struct Waves {
  static constexpr int kSize = 16, kFrames = 10;
  static constexpr int kWaveNumbers[4][2] = {{1, 0}, {0, 1}, {1, 1}, {2, -1}};
  struct Trajectory {
    double amplitude[4], phase[4], cx, cy;
    // The exact field at (x, y) at time t (frames).
    double at(double x, double y, double t) const {
      double s = 0.0;
      for (int m = 0; m < 4; ++m) {
        s += amplitude[m] *
             std::cos(2 * std::numbers::pi *
                          (kWaveNumbers[m][0] * (x - cx * t) + kWaveNumbers[m][1] * (y - cy * t)) +
                      phase[m]);
      }
      return s;
    }
  };
  neural::SequenceShape shape{kFrames, kSize, kSize, 1};
  std::vector<Trajectory> waves;
  std::vector<std::vector<float>> trajectories;  // the exact fields on the grid

  explicit Waves(int count, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int t = 0; t < count; ++t) {
      Trajectory w;
      for (int m = 0; m < 4; ++m) {
        w.amplitude[m] = 0.5 + unit(rng);
        w.phase[m] = 2 * std::numbers::pi * unit(rng);
      }
      w.cx = 0.04 * (unit(rng) - 0.5);
      w.cy = 0.04 * (unit(rng) - 0.5);
      std::vector<float> values;
      for (int f = 0; f < kFrames; ++f) {
        for (int row = 0; row < kSize; ++row) {
          for (int column = 0; column < kSize; ++column) {
            values.push_back(float(w.at((column + 0.5) / kSize, (row + 0.5) / kSize, f)));
          }
        }
      }
      waves.push_back(w);
      trajectories.push_back(std::move(values));
    }
  }
};

neural::FlowSurrogateConfig small_config() {
  neural::FlowSurrogateConfig c;
  c.max_wave_number = 3;
  c.latent_dims = 16;
  c.field_width = 32;
  c.dynamics_width = 64;
  c.steps_per_frame = 1;
  return c;
}

neural::SurrogateTraining short_training() {
  neural::SurrogateTraining t;
  t.dynamics_iterations = 500;
  t.field_batch = 4;
  t.dynamics_batch = 32;
  t.rollout_frames = 3;
  t.dynamics_learning_rate = 3e-3f;
  return t;
}

class TrainedOnWaves : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new neural::FlowSurrogate(small_config(), Device::cpu(), 5);
    const Waves training(40, 7);
    model_->train(training.trajectories, training.shape, short_training());
  }
  static void TearDownTestSuite() { delete model_; }
  static neural::FlowSurrogate* model_;
};
neural::FlowSurrogate* TrainedOnWaves::model_ = nullptr;

TEST_F(TrainedOnWaves, ObservedFramesAreExactAtUnobservedPoints) {
  const Waves test(4, 99);  // other amplitudes, phases and velocities
  for (const auto& truth : test.trajectories) {
    const auto observed = neural::draw_observations(test.shape, {0.25, 1}, 3);
    const auto prediction =
        model_->predict_grid(test.shape, model_->observe(test.shape, truth, observed));
    const auto errors = neural::evaluate(test.shape, prediction, truth, observed);
    EXPECT_LT(errors.rel_l2_unobserved_points, 1e-5);
  }
}

TEST_F(TrainedOnWaves, UnobservedFramesBeatIdentity) {
  const Waves test(4, 99);
  double model = 0.0, identity = 0.0;
  for (const auto& truth : test.trajectories) {
    const auto observed = neural::draw_observations(test.shape, {0.25, 2}, 3);
    const auto prediction =
        model_->predict_grid(test.shape, model_->observe(test.shape, truth, observed));
    model += neural::evaluate(test.shape, prediction, truth, observed).rel_l2_unobserved_times;
    const auto held =
        neural::observation_baseline(test.shape, truth, observed, neural::TimeFill::identity);
    identity += neural::evaluate(test.shape, held, truth, observed).rel_l2_unobserved_times;
  }
  EXPECT_LT(model, 0.5 * identity) << "model " << model / 4 << ", identity " << identity / 4;
}

// Points between the grid points, at observed frames, against the exact waves: the decoder is a
// field over the square, not a grid lookup.
TEST_F(TrainedOnWaves, PointsOffTheGridMatchTheExactField) {
  const Waves test(1, 99);
  const auto observed = neural::draw_observations(test.shape, {0.25, 1}, 3);
  const auto frames = model_->observe(test.shape, test.trajectories[0], observed);
  const std::vector<double> points = {0.3137, 0.7712, 0.0049, 0.5501, 0.9876, 0.1234};
  const std::vector<double> times = {0.0, 4.0, 9.0};
  const auto predicted = model_->predict(frames, points, times);
  for (std::size_t k = 0; k < times.size(); ++k) {
    for (std::size_t q = 0; q < 3; ++q) {
      const double exact = test.waves[0].at(points[2 * q], points[2 * q + 1], times[k]);
      EXPECT_NEAR(predicted[k * 3 + q], exact, 1e-4) << "point " << q << ", t = " << times[k];
    }
  }
}

// Tilted planes s = a x + b y + c on a 16^2 grid, random per trajectory and drifting in time:
// fields in a box, which no periodic basis fits.
std::vector<std::vector<float>> tilted_planes(const neural::SequenceShape& shape, int count,
                                              unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::vector<std::vector<float>> out;
  for (int k = 0; k < count; ++k) {
    const double a = unit(rng), b = unit(rng), c = unit(rng), da = 0.1 * unit(rng);
    std::vector<float> values;
    for (int f = 0; f < shape.frames; ++f) {
      for (int row = 0; row < shape.height; ++row) {
        for (int column = 0; column < shape.width; ++column) {
          const double x = (column + 0.5) / shape.width, y = (row + 0.5) / shape.height;
          values.push_back(float((a + da * f) * x + b * y + c));
        }
      }
    }
    out.push_back(std::move(values));
  }
  return out;
}

// Mean relative L2 error at the unobserved points (25 % observed, every frame) of four test
// planes, for a model trained on twenty; only the decoder matters for it.
double plane_error(const neural::FlowSurrogateConfig& config, neural::SurrogateTraining training) {
  const neural::SequenceShape shape{6, 16, 16, 1};
  training.dynamics_iterations = 1;
  neural::FlowSurrogate model(config, Device::cpu(), 5);
  model.train(tilted_planes(shape, 20, 3), shape, training);
  double error = 0.0;
  for (const auto& truth : tilted_planes(shape, 4, 4)) {
    const auto observed = neural::draw_observations(shape, {0.25, 1}, 3);
    const auto prediction = model.predict_grid(shape, model.observe(shape, truth, observed));
    error += neural::evaluate(shape, prediction, truth, observed).rel_l2_unobserved_points / 4;
  }
  return error;
}

// A planar ramp's periodic Fourier series converges like 1 / k (its jump across the period), its
// cosine series in the box like 1 / k^2, so the box's features fit it far better with the same
// K = 3.
TEST(FlowSurrogate, BoxFeaturesFitFieldsWithAnyBoundaryValues) {
  neural::FlowSurrogateConfig periodic = small_config(), box = small_config();
  box.domain = "box";
  const double error[2] = {plane_error(periodic, short_training()),
                           plane_error(box, short_training())};
  std::printf("tilted planes, unobserved points: relative L2 %.3f (periodic), %.3f (box)\n",
              error[0], error[1]);
  EXPECT_LT(error[1], 0.25 * error[0]);
  EXPECT_LT(error[1], 0.1);
}

// What the periodic features' linear map cannot fit, the decoder's MLP can learn end to end
// through the sparse solve: a ramp is a smooth function of the angle 2 pi x away from the seam.
TEST(FlowSurrogate, EndToEndStepsTeachTheDecoderMlpWhatTheLinearMapMisses) {
  neural::SurrogateTraining training = short_training();
  const double warm_start = plane_error(small_config(), training);
  training.field_iterations = 300;
  training.field_learning_rate = 3e-3f;
  const double end_to_end = plane_error(small_config(), training);
  neural::FlowSurrogateConfig linear = small_config();
  linear.field_layers = 0;  // no hidden layer: the decoder stays a linear map of the features
  const double linear_end_to_end = plane_error(linear, training);
  std::printf(
      "tilted planes, periodic features: relative L2 %.3f after the warm start, %.3f after %d "
      "end-to-end steps (%.3f without the MLP's hidden layer)\n",
      warm_start, end_to_end, training.field_iterations, linear_end_to_end);
  EXPECT_LT(end_to_end, 0.5 * warm_start);
  EXPECT_LT(end_to_end, 0.5 * linear_end_to_end);
}

TEST_F(TrainedOnWaves, ModelBytesRoundTrip) {
  const auto loaded =
      neural::FlowSurrogate::from_bytes(model_->to_bytes(), "waves.model", Device::cpu());
  const Waves test(1, 99);
  const auto observed = neural::draw_observations(test.shape, {0.25, 2}, 3);
  const auto frames = model_->observe(test.shape, test.trajectories[0], observed);
  EXPECT_EQ(model_->predict_grid(test.shape, frames), loaded.predict_grid(test.shape, frames));
  EXPECT_EQ(loaded.config().training_frames, Waves::kFrames);
}

std::string load_error(const std::string& bytes) {
  try {
    neural::FlowSurrogate::from_bytes(bytes, "damaged.model", Device::cpu());
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(TrainedOnWaves, DamagedModelBytesAreRefused) {
  const std::string bytes = model_->to_bytes();
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  EXPECT_NE(load_error(flipped).find("damaged.model: checksum mismatch"), std::string::npos);
  EXPECT_NE(load_error(bytes.substr(0, bytes.size() - 100)).find("checksum"), std::string::npos);
  EXPECT_NE(load_error("ply\nformat ascii 1.0\n").find("not an advect surrogate"),
            std::string::npos);
  std::string newer = bytes;
  newer[17] = 9;  // the version field follows the 17-byte tag
  EXPECT_NE(load_error(newer).find("version 9"), std::string::npos);
}

}  // namespace
}  // namespace advect::testing
