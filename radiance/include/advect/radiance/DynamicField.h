// A radiance field of a scene that moves, decomposed without labels into a static field, a dynamic
// field and a flow field, as EmerNeRF (Yang et al. 2023) and its released code do it:
//  - static: a 3-D encoding of the position -> density network (16 outputs, log density first);
//  - dynamic: a 4-D encoding of (position, time) -> its own density network (16 outputs);
//  - one colour network on either branch's 16 outputs and the view's spherical harmonics;
//    densities add, colours blend by each branch's share of the density;
//  - flow: a 4-D encoding -> flow network with 6 outputs, the displacement to the next frame and
//    to the previous one (world units). With temporal aggregation the dynamic outputs are
//    (h(x, t) + h(x + u f_fwd, t + u dt) / 2 + h(x + u f_bwd, t - u dt) / 2) / 2, u ~ U(0, 1)
//    per sample in training and 1 otherwise; the flow learns through this alone (no flow labels),
//    plus a cycle term: the backward flow predicted at x + u f_fwd should undo f_fwd.
//  - or, with "motion": "velocity" (`--model dynamic-ode`), the flow encoding and network give a
//    velocity v(x, t) (3 outputs, world units per frame) and a sample's neighbours in time are
//    where v carries it in u dt, forward and backward: fixed Runge-Kutta steps of the engine's
//    tableaus (RK "ode": {"method", "steps"}), backpropagated through every stage. One field
//    gives both directions, so there is no cycle term; the flow reported is the displacement
//    over one frame.
//
// Layouts: positions n x 3 in box coordinates [0, 1]^3; times n in [0, 1] (the scene's
// normalised time); directions n x 3 unit; sigma n (1 / world units); rgb n x 3 in [0, 1]; flow
// n x 6 (forward then backward displacement, world units per frame). All parameters are one
// buffer: static density, colour, dynamic density and flow networks, then the static, dynamic and
// flow encodings' tables; the optimiser's weight decay covers the four networks.
//
// JSON document: {"static": {a RadianceField document: encoding, density and colour networks,
// optimizer, box, occupancy_resolution, step}, "dynamic_encoding": {4 inputs},
// "dynamic_network": {MLP}, "flow_encoding": {4 inputs}, "flow_network": {MLP},
// "flow": true, "temporal_aggregation": true, "frame_time": 0 (normalised time between frames;
// set from the training images when 0), "sparsity": 0 (EmerNeRF: 0.01), "entropy": 0,
// "entropy_skewness": 2, "entropy_start": 0, "cycle": 0.01,
// "motion": "flow" or "velocity", "ode": {"method": "midpoint", "steps": 2}}.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advect/engine/Buffer.h"
#include "advect/engine/OdeSolver.h"
#include "advect/neural/Mlp.h"
#include "advect/neural/Module.h"
#include "advect/radiance/OccupancyGrid.h"
#include "advect/radiance/RadianceField.h"

namespace advect::radiance {

struct DynamicFieldConfig {
  RadianceFieldConfig base;         // the static branch, the colour network and all shared settings
  nlohmann::json dynamic_encoding;  // HashGrid over 4 inputs
  nlohmann::json flow_encoding;     // HashGrid over 4 inputs
  neural::MlpConfig dynamic_network, flow_network;
  bool flow = true;
  bool temporal_aggregation = true;
  float frame_time = 0.0f;
  // Weight of the mean dynamic opacity of a batch's rays. EmerNeRF's is 0.01; in the minutes of
  // training a CPU gives, that weight empties the dynamic branch (docs/dynamic.md), so it is off.
  float sparsity = 0.0f;
  // Weight of EmerNeRF's other regulariser of the split ("entropy" in its released code): per
  // sample, the binary entropy of (sigma_d / sigma)^entropy_skewness, averaged over the samples,
  // which pushes each sample towards wholly static or wholly dynamic (with skewness 2, shares
  // below 1 / sqrt(2) towards static). Off by default (docs/dynamic.md).
  float entropy = 0.0f;
  float entropy_skewness = 2.0f;
  float entropy_start = 0.0f;  // share of the training budget before the term starts
  float cycle = 0.01f;         // weight of the cycle-consistency loss (flow motion only)
  // "flow": EmerNeRF's forward / backward displacement heads; "velocity": a velocity field
  // integrated by `ode_steps` fixed steps of `ode_method` over each sample's u dt.
  std::string motion = "flow";
  OdeMethod ode_method = OdeMethod::midpoint;
  int ode_steps = 2;
  bool velocity() const { return motion == "velocity"; }

  DynamicFieldConfig();  // EmerNeRF's structure at sizes for a small scene on a CPU
  static DynamicFieldConfig from_json(const nlohmann::json& json);  // std::invalid_argument
  nlohmann::json to_json() const;
};

class VelocityMotion;  // radiance/src/VelocityMotion.h

// What one forward pass keeps for backward (buffers only grow).
struct DynamicWorkspace {
  Buffer<float> space_time, static_features, static_geometry, dynamic_features, dynamic_geometry;
  Buffer<float> geometry, colour_inputs, branch_rgb, static_sigma, dynamic_sigma, noise;
  Buffer<float> flow_features, flow, warped_flow;
  Buffer<float> d_branch_rgb, d_colour_inputs, d_static_geometry, d_dynamic_geometry;
  Buffer<float> d_static_features, d_dynamic_features, d_space_time, d_flow, d_warped_flow;
  Buffer<float> d_flow_features, d_static_sigma, d_dynamic_sigma, d_warped_cycle;
  neural::MlpWorkspace static_mlp, colour_mlp, dynamic_mlp, flow_mlp, warped_flow_mlp;
  std::unique_ptr<neural::ModuleContext> static_context, dynamic_context, flow_context,
      warped_flow_context, warped_dynamic_context;
  std::shared_ptr<VelocityMotion> motion;  // the velocity motion's steps (made on first use)
  std::int64_t n = 0;
  bool training = false;
};

// One part's slice of the parameter buffer.
struct ParameterBlock {
  const char* name;
  std::int64_t offset, count;
};

class DynamicField {
 public:
  DynamicField(const DynamicFieldConfig& config, const Device& device, std::uint64_t seed);

  // sigma and rgb of the whole scene; static_sigma / dynamic_sigma (n each, may be null) of the
  // branches. `noise_seed` draws u per sample (training); without it u = 1.
  void forward(const float* positions, const float* times, const float* directions, std::int64_t n,
               float* sigma, float* rgb, DynamicWorkspace& workspace,
               const std::uint64_t* noise_seed = nullptr) const;
  // Parameter gradients (overwritten) for dL/d sigma, dL/d rgb and dL/d dynamic sigma (may be
  // null) of the last forward pass, plus the cycle term; returns the cycle loss (0 without flow).
  double backward(const float* positions, const float* d_sigma, const float* d_rgb,
                  const float* d_dynamic_sigma, DynamicWorkspace& workspace);
  // Densities only: the occupancy grid's update (static + dynamic at the given times).
  void density(const float* positions, const float* times, std::int64_t n, float* sigma,
               DynamicWorkspace& workspace) const;
  // The flow field at (position, time): n x 6, world units; zeros without a flow field.
  void flow(const float* positions, const float* times, std::int64_t n, float* flow,
            DynamicWorkspace& workspace) const;
  // Dynamic density alone at (position, time), without aggregation (for decomposition masks).
  void dynamic_density(const float* positions, const float* times, std::int64_t n, float* sigma,
                       DynamicWorkspace& workspace) const;

  const DynamicFieldConfig& config() const { return config_; }
  DynamicFieldConfig& config() { return config_; }
  const Device& device() const { return static_density_.device(); }
  OccupancyGrid& occupancy() { return occupancy_; }
  const OccupancyGrid& occupancy() const { return occupancy_; }
  BufferView<float> parameters() { return parameters_; }
  BufferView<float> gradients() { return gradients_; }
  BufferView<const float> parameters() const { return parameters_.view(); }
  std::int64_t parameter_count() const { return std::int64_t(parameters_.size()); }
  std::int64_t network_parameter_count() const;
  // The parts in buffer order: "static network", "colour network", "dynamic network",
  // "flow network", "static encoding", "dynamic encoding", "flow encoding".
  std::vector<ParameterBlock> parameter_blocks() const;

 private:
  void dynamic_rows(std::int64_t rows, std::int64_t own, DynamicWorkspace& w) const;
  void flow_rows(std::int64_t n, DynamicWorkspace& w) const;
  VelocityMotion& motion_of(DynamicWorkspace& w) const;  // the workspace's, made on first use

  std::unique_ptr<neural::Module> static_encoding_, dynamic_encoding_, flow_encoding_;
  DynamicFieldConfig config_;
  neural::Mlp static_density_, colour_, dynamic_density_, flow_network_;
  OccupancyGrid occupancy_;
  Buffer<float> parameters_, gradients_;
  float extent_[3];  // box size, world units: flows in world units, positions in box units
};

}  // namespace advect::radiance
