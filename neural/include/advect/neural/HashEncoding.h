// The multiresolution hash encoding of Müller et al. (instant-ngp, SIGGRAPH 2022), on either
// device.
//
// Level l (0..L-1) is a grid of resolution N_l = floor(N_min * b^l) cells per unit side over the
// unit cube [0, 1]^D (D = 3 or 4: space, or space and time). Its (N_l + 1)^D vertices index a
// table of F features per entry: one to one while they fit in T entries, through the spatial hash
// (x_1 * 1) xor (x_2 * 2654435761) xor (x_3 * 805459861) xor (x_4 * 3674653429) mod T beyond.
// A point's features at a level are the D-linear interpolation of its cell's 2^D corners.
//
// Layouts (float32, row-major): inputs n x D in [0, 1] (clamped); features n x (L * F), level
// by level; parameters: the tables of all levels one after the other, entry-major (F floats an
// entry), their gradients alongside. A Module (Module.h): "HashGrid" in a model's JSON; it has no
// gradient with respect to its input.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"
#include "advect/neural/Module.h"

namespace advect::neural {

struct HashEncodingConfig {
  int input_dims = 3;            // D: 3 or 4
  int levels = 16;               // L
  int features_per_level = 2;    // F: 1, 2, 4 or 8
  int log2_table_size = 19;      // T = 2^log2_table_size entries per level at most
  int base_resolution = 16;      // N_min
  double per_level_scale = 1.5;  // b
  // Per axis, the most cells a level has along it (0: no cap, N_l on every axis). A 4-D grid
  // over (x, y, z, t) with the time axis capped at the frame count keeps a vertex per frame on
  // its fine levels, instead of cells far finer in time than anything the frames observe.
  std::array<int, 4> max_resolution{0, 0, 0, 0};

  int output_dims() const { return levels * features_per_level; }
  // tiny-cuda-nn's JSON: {"otype": "HashGrid", "n_levels", "n_features_per_level",
  // "log2_hashmap_size", "base_resolution", "per_level_scale"}, plus "n_input_dims" and
  // "max_resolution" (an integer per input, from the first; 0 or absent: no cap); absent keys
  // keep their defaults.
  // Throws std::invalid_argument naming a bad key or value.
  static HashEncodingConfig from_json(const nlohmann::json& json);
};

// Where one level lives in the parameter buffer and how its vertices are found.
struct HashLevel {
  std::int64_t offset;  // first float of the level's table
  std::uint32_t entries;
  std::uint32_t resolution[4];  // cells along each axis: N_l, or the axis's cap
  bool hashed;                  // the vertices (product of resolution + 1) > entries
};

class HashEncoding : public Module {
 public:
  // Parameters are drawn from U(-1e-4, 1e-4), as in the paper.
  HashEncoding(const HashEncodingConfig& config, const Device& device, std::uint64_t seed);

  // features (n x output_dims) of inputs (n x input_dims), both on the encoding's device.
  void forward(const float* inputs, std::int64_t n, float* features) const;
  // Adds dL/d parameters for dL/d features (n x output_dims) into gradients(): call
  // zero_gradients() first. On a GPU the adds are atomics (their order, and so the last bits,
  // vary from run to run); on the CPU each level is one thread's, so the sum is in input order
  // and the same for any thread count.
  void backward(const float* inputs, const float* d_features, std::int64_t n);
  void zero_gradients();
  // d_inputs (n x input_dims, overwritten) = dL/d inputs for dL/d features (n x output_dims).
  void input_gradient(const float* inputs, const float* d_features, std::int64_t n,
                      float* d_inputs) const;

  // The Module interface (the context is empty: backward needs only the inputs).
  int input_dims() const override { return config_.input_dims; }
  int output_dims() const override { return config_.output_dims(); }
  std::unique_ptr<ModuleContext> forward(const float* input, std::int64_t n, float* output,
                                         std::unique_ptr<ModuleContext> reuse) const override;
  void backward(ModuleContext& context, const float* input, const float* d_output, float* d_input,
                GradientMode mode) override;
  void initialise(std::uint64_t seed) override;

  const HashEncodingConfig& config() const { return config_; }
  const std::vector<HashLevel>& levels() const { return levels_; }

 private:
  HashEncodingConfig config_;
  std::vector<HashLevel> levels_;
  Buffer<HashLevel> level_table_;  // levels_ on the device
};

}  // namespace advect::neural
