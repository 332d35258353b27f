// A static radiance field in the manner of instant-ngp (Müller et al. 2022): an encoding of the
// position in the scene box (by default the multiresolution hash grid; any encoding of
// Components.h, e.g. NeRF's "Frequency"), a small density network whose first output is
// log density, and a colour network on the density network's outputs and the spherical harmonics
// of the view direction. An occupancy grid skips empty space. Written as a JSON document of
// neural/ components (Components.h):
//   {"encoding": {an encoding of 3 inputs}, "density_network": {MLP settings},
//    "colour_network": {MLP settings}, "optimizer": {an optimiser},
//    "box": [[x0, y0, z0], [x1, y1, z1]], "occupancy_resolution": 64,
//    "step": 0 (world units; 0: box diagonal / samples_per_diagonal), "samples_per_diagonal": 512}
// The networks' input and output sizes follow from the encoding and are filled in. All
// parameters are one buffer: density network, colour network, then the hash tables; the
// optimiser's weight decay covers the two networks.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include <memory>
#include "advect/engine/Buffer.h"

#include "advect/neural/Mlp.h"
#include "advect/neural/Module.h"
#include "advect/radiance/Camera.h"
#include "advect/radiance/OccupancyGrid.h"

namespace advect::radiance {

inline constexpr int kGeometryFeatures = 16;  // density network outputs (log density first)

struct RadianceFieldConfig {
  nlohmann::json encoding;  // instant-ngp's: HashGrid 16 x 2, T = 2^19, N_min 16, finest 1024
  neural::MlpConfig density_network;
  neural::MlpConfig colour_network;
  nlohmann::json optimizer;  // instant-ngp's: Adam, lr 1e-2, betas 0.9 / 0.99, eps 1e-15, l2 1e-6
  SceneBox box;
  int occupancy_resolution = 64;
  float step = 0.0f;
  int samples_per_diagonal = 512;  // the step when `step` is 0

  RadianceFieldConfig();  // instant-ngp's NeRF defaults
  float sample_step() const;
  static RadianceFieldConfig from_json(const nlohmann::json& json);  // std::invalid_argument
  nlohmann::json to_json() const;
};

// Per-sample intermediates of one forward pass, kept for backward (buffers only grow).
struct FieldWorkspace {
  Buffer<float> features, geometry, colour_inputs, d_colour_inputs, d_geometry, d_features;
  neural::MlpWorkspace density_mlp, colour_mlp;
  std::unique_ptr<neural::ModuleContext> encoding;
};

class RadianceField {
 public:
  RadianceField(const RadianceFieldConfig& config, const Device& device, std::uint64_t seed);

  // sigma (n, 1/world units) and colour (n x 3 in [0, 1]) at positions (n x 3, box coordinates
  // [0, 1]^3) seen along directions (n x 3, unit).
  void forward(const float* positions, const float* directions, std::int64_t n, float* sigma,
               float* rgb, FieldWorkspace& workspace) const;
  // Parameter gradients (overwritten) for dL/d sigma and dL/d colour of the last forward pass.
  void backward(const float* positions, const float* sigma, const float* d_sigma,
                const float* d_rgb, FieldWorkspace& workspace);
  // Density only (the occupancy grid's update).
  void density(const float* positions, std::int64_t n, float* sigma,
               FieldWorkspace& workspace) const;

  const RadianceFieldConfig& config() const { return config_; }
  const Device& device() const { return density_.device(); }
  neural::Module& encoding() { return *encoding_; }
  const neural::Module& encoding() const { return *encoding_; }
  neural::Mlp& density_network() { return density_; }
  const neural::Mlp& density_network() const { return density_; }
  neural::Mlp& colour_network() { return colour_; }
  const neural::Mlp& colour_network() const { return colour_; }
  OccupancyGrid& occupancy() { return occupancy_; }
  const OccupancyGrid& occupancy() const { return occupancy_; }
  BufferView<float> parameters() { return parameters_; }
  BufferView<float> gradients() { return gradients_; }
  std::int64_t parameter_count() const { return std::int64_t(parameters_.size()); }
  std::int64_t network_parameter_count() const;

 private:
  void geometry(const float* positions, std::int64_t n, FieldWorkspace& workspace) const;

  std::unique_ptr<neural::Module> encoding_;  // first: the networks' sizes follow from it
  RadianceFieldConfig config_;
  neural::Mlp density_, colour_;
  OccupancyGrid occupancy_;
  Buffer<float> parameters_, gradients_;
};

}  // namespace advect::radiance
