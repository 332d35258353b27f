// Lidar returns as supervision of a radiance field's geometry, as EmerNeRF's released code does
// it (after Urban Radiance Fields, Rematas et al. 2022): each return is a ray from the sensor
// with a measured range d. Along the ray's samples (weights w_k = T_k alpha_k at distances t_k,
// intervals dt_k; see VolumeRendering.h), per ray
//   depth          ((min(depth, R) - d) / R)^2 with depth = sum_k w_k t_k, R = max_range
//   line of sight  sum_{t_k < d - eps} w_k^2 + sum_{|t_k - d| < eps} (w_k - dt_k N(t_k - d))^2
// where N is the normal density of standard deviation eps / 3: free space before the return,
// the weight gathered around it. EmerNeRF compares w_k with N itself, which assumes samples
// about a unit apart; with the occupancy grid's even steps dt_k N is the kernel's mass over the
// sample's interval, so that the target weights sum to one as the rendering's do.
// Units: world units; times as PosedImages::times (the sequence's normalised time).
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "advect/engine/Device.h"
#include "advect/radiance/Camera.h"
#include "advect/radiance/VolumeRendering.h"

namespace advect::radiance {

struct LidarRays {
  std::vector<float> origins;     // rays x 3, world frame
  std::vector<float> directions;  // rays x 3, unit
  std::vector<float> ranges;      // rays: distance to the return along the direction
  std::vector<float> times;       // rays: the sweep's time, or empty for a static scene

  std::size_t size() const { return ranges.size(); }
  // Appends the returns `points` (m x 3, world frame) of a sensor at `origin`; a return at the
  // origin itself is skipped (it has no direction). `time` is ignored when `timed` is false.
  void add_sweep(const std::vector<float>& points, const float origin[3], float time, bool timed);
  // The rays whose return lies inside `box` and nearer than `max_range`.
  LidarRays inside(const SceneBox& box, float max_range) const;
};

// The weights and schedule; defaults are EmerNeRF's configs/default_config.yaml
// (supervision.depth), whose distances are metres of a driving scene.
struct LidarLoss {
  float rays_share = 1.0f;     // lidar rays per step as a share of the pixel rays (EmerNeRF: a
                               // lidar batch as large as the pixel batch)
  float depth = 1.0f;          // weight of the mean depth term
  float max_range = 80.0f;     // R: the depth term's scale; farther returns are not used
  float line_of_sight = 0.1f;  // weight of the mean line-of-sight term, halved every `decay`
  float decay = 0.2f;          // of training after `start` (5000 of 25000 iterations)
  float epsilon_start = 6.0f;  // eps, from `start` linearly down to
  float epsilon_end = 2.5f;    // this at the end of training
  float start = 0.08f;         // share of training before the line of sight (2000 of 25000)

  // Keys "rays_share", "depth", "max_range", "line_of_sight", "decay", "epsilon": [start, end],
  // "start"; std::invalid_argument on an unknown key or a value out of range.
  static LidarLoss from_json(const nlohmann::json& json);
  // A model document's "lidar" (the defaults without one), taken out of it so that the field's
  // configuration reads the rest.
  static LidarLoss take_from(nlohmann::json& document);
  nlohmann::json to_json() const;
  // The line of sight's weight and margin at `progress` (share of training done, 0 to 1).
  float sight_weight(double progress) const;
  float epsilon(double progress) const;
};

// The two terms at one training step.
struct LidarTermWeights {
  float depth, line_of_sight;  // weights
  float max_range, epsilon;    // R and eps, world units
};
struct LidarTermValues {
  double depth = 0, line_of_sight = 0;  // means over the rays, unweighted
};

// For the rays of `samples` (on `device`) whose returns lie at `ranges` (rays): the terms' means,
// and the gradient of depth * mean depth term + line_of_sight * mean line-of-sight term with
// respect to each sample's density into d_sigma (n); d_sample_rgb (n x 3) gets zeros.
LidarTermValues lidar_terms(const PackedSamples& samples, const float* sigma, const float* ranges,
                            const LidarTermWeights& weights, float* d_sigma, float* d_sample_rgb,
                            const Device& device);

}  // namespace advect::radiance
