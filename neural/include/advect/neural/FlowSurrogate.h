// A surrogate of a scalar flow field s(x, y, t) (vorticity, or one velocity component) on the unit
// square, continuous in space and time, from sparse observations (issue 6):
//
//   decoder  s(x, y, t) = phi_0(x, y) + sum_k z_k(t) phi_k(x, y), where phi = W gamma + b +
//            MLP(gamma) is a neural field of D + 1 outputs over the Fourier features gamma(x, y) =
//            sin, cos of 2 pi (k_x x + k_y y) for the integer wave vectors |k| <= K (domain
//            "periodic": data on a torus), or in a box (domain "box": fields with any boundary
//            values) cos(pi k_x x) cos(pi k_y y) for k_x, k_y >= 0, |k| <= K: the box's cosine
//            series, which converges like 1 / k^2 where a periodic series of a non-periodic field
//            converges like 1 / k;
//   encoder  per observed point the field's features phi(x_i, y_i), pooled into a Gram matrix and a
//            moment vector, then solved: z = argmin sum_i (s_i - phi_0 - phi . z)^2 + sum_k z_k^2 /
//            prior_k, with learned prior_k (a learned Gaussian prior, latent variance over noise
//            variance: the solve is the posterior mean);
//   dynamics dz/dt = sigma f((z - mu) / sigma), f an MLP (LatentOde: fixed RK4 steps of the
//            engine's tableau), mu the latents' mean over the training frames and sigma their
//            RMS spread (one number).
// At an observed frame the latent is the encoder's; other times integrate from the last observed
// frame before them (from the first observed frame for times before it).
//
// Units: x, y in [0, 1) (the data's domain scaled to the unit square), t in seconds, s in the
// data's unit. A grid of H x W points puts (row, column) at ((column + 1/2) / W, (row + 1/2) / H).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "advect/engine/Device.h"
#include "advect/neural/SparseObservations.h"

namespace advect::neural {

struct FlowSurrogateConfig {
  int max_wave_number = 12;         // K
  std::string domain = "periodic";  // or "box"
  int latent_dims = 192;            // D
  int field_width = 64, field_layers = 1;
  int dynamics_width = 256, dynamics_layers = 2;
  int steps_per_frame = 1;      // RK4 steps per frame interval
  double frame_interval = 1.0;  // seconds between the training frames
  std::string field = "vorticity";
  int training_frames = 0;  // the training horizon, in frames (set by train())

  nlohmann::json to_json() const;
  // Absent keys keep their defaults; throws std::invalid_argument naming a bad key or value.
  static FlowSurrogateConfig from_json(const nlohmann::json& json);
};

// One observed frame: the time and the field at some points (x, y pairs).
struct ObservedFrame {
  double time = 0.0;           // seconds
  std::vector<double> points;  // N x 2: x0 y0 x1 y1 ...
  std::vector<float> values;   // N
};

struct SurrogateTraining {
  double point_fraction = 0.25;  // observed points per training frame, drawn anew per iteration
  // After a warm start (the decoder field's linear part fitted to the training frames' mean and
  // principal components, the prior set from their variances): end-to-end field steps through
  // the sparse solve, then dynamics steps. The end-to-end steps are off by default: on the
  // vorticity set they left the errors where the warm start put them (docs/surrogate.md).
  int field_iterations = 0, dynamics_iterations = 20000;
  int field_batch = 8;      // trajectories per field step (all their frames)
  int dynamics_batch = 64;  // windows per dynamics step
  int rollout_frames = 4;   // frames each window is integrated through
  float field_learning_rate = 2e-4f, dynamics_learning_rate = 1e-3f;
  std::uint64_t seed = 0;
  // After every iteration: phase ("field" or "dynamics"), iteration (from 1), iterations in the
  // phase, and the phase's loss (relative squared error of the field) before the update.
  std::function<void(const std::string& phase, int iteration, int iterations, double loss)>
      on_iteration;
};

// What train() measured.
struct TrainingSummary {
  double captured_variance = 0.0;  // of the training frames, by the D principal components
  double field_loss = 0.0;         // last end-to-end step's loss (0 without those steps)
  double dynamics_loss = 0.0;      // last dynamics step's loss
};

class FlowSurrogate {
 public:
  FlowSurrogate(const FlowSurrogateConfig& config, const Device& device, std::uint64_t seed);
  ~FlowSurrogate();
  FlowSurrogate(FlowSurrogate&&) noexcept;
  FlowSurrogate& operator=(FlowSurrogate&&) noexcept;

  // Trains on full trajectories, each shape.size() floats in the layout (T, H, W, 1): first the
  // decoder's warm start (principal components), then decoder and prior end to end
  // (reconstruction from sparse points), then the dynamics (rollouts of the training frames'
  // latents).
  TrainingSummary train(const std::vector<std::vector<float>>& trajectories,
                        const SequenceShape& shape, const SurrogateTraining& training);

  // The field at `points` (Q x 2) at each of `times` (seconds): times.size() x Q floats.
  // Throws std::invalid_argument without observed frames or with fewer points in one than 1.
  std::vector<float> predict(const std::vector<ObservedFrame>& observed,
                             const std::vector<double>& points,
                             const std::vector<double>& times) const;

  // The observations of a gridded sequence (T, H, W, 1) at the protocol's points and frames, as
  // frames at t = frame * frame_interval; and the prediction at every grid point and frame.
  std::vector<ObservedFrame> observe(const SequenceShape& shape, const std::vector<float>& truth,
                                     const Observations& observed) const;
  std::vector<float> predict_grid(const SequenceShape& shape,
                                  const std::vector<ObservedFrame>& observed) const;

  // The model as the bytes of a model file: a format tag and version, the configuration, the
  // parameters and a CRC-32 of it all (io/ writes and reads the file). from_bytes() throws
  // std::runtime_error naming `source` and what is wrong (not a model, another version,
  // truncated, corrupt).
  std::string to_bytes() const;
  static FlowSurrogate from_bytes(const std::string& bytes, const std::string& source,
                                  const Device& device);

  const FlowSurrogateConfig& config() const;
  std::int64_t parameter_count() const;

  struct State;

 private:
  explicit FlowSurrogate(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Grid point coordinates of an H x W grid (H W x 2), in the convention above.
std::vector<double> grid_points(int height, int width);

}  // namespace advect::neural
