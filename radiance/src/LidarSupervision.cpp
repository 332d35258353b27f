#include "advect/radiance/LidarSupervision.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "advect/engine/Dispatch.h"
#include "kernels/LidarKernels.h"

namespace advect::radiance {

void LidarRays::add_sweep(const std::vector<float>& points, const float origin[3], float time,
                          bool timed) {
  for (std::size_t i = 0; i + 2 < points.size(); i += 3) {
    float d[3];
    for (int a = 0; a < 3; ++a) d[a] = points[i + std::size_t(a)] - origin[a];
    const float range = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (!(range > 0.0f) || !std::isfinite(range)) continue;
    origins.insert(origins.end(), origin, origin + 3);
    for (float component : d) directions.push_back(component / range);
    ranges.push_back(range);
    if (timed) times.push_back(time);
  }
}

LidarRays LidarRays::inside(const SceneBox& box, float max_range) const {
  LidarRays kept;
  for (std::size_t r = 0; r < size(); ++r) {
    if (!(ranges[r] < max_range)) continue;
    bool in = true;
    for (std::size_t a = 0; a < 3; ++a) {
      const float p = origins[3 * r + a] + ranges[r] * directions[3 * r + a];
      in = in && p >= box.lower[a] && p <= box.upper[a];
    }
    if (!in) continue;
    kept.origins.insert(kept.origins.end(), &origins[3 * r], &origins[3 * r] + 3);
    kept.directions.insert(kept.directions.end(), &directions[3 * r], &directions[3 * r] + 3);
    kept.ranges.push_back(ranges[r]);
    if (!times.empty()) kept.times.push_back(times[r]);
  }
  return kept;
}

LidarLoss LidarLoss::from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("\"lidar\" must be an object");
  LidarLoss loss;
  try {
    for (const auto& [key, value] : json.items()) {
      if (key == "rays_share") {
        loss.rays_share = value.get<float>();
      } else if (key == "depth") {
        loss.depth = value.get<float>();
      } else if (key == "max_range") {
        loss.max_range = value.get<float>();
      } else if (key == "line_of_sight") {
        loss.line_of_sight = value.get<float>();
      } else if (key == "decay") {
        loss.decay = value.get<float>();
      } else if (key == "start") {
        loss.start = value.get<float>();
      } else if (key == "epsilon") {
        const auto pair = value.get<std::vector<float>>();
        if (pair.size() != 2) throw std::invalid_argument("\"lidar\" \"epsilon\" is [start, end]");
        loss.epsilon_start = pair[0];
        loss.epsilon_end = pair[1];
      } else {
        throw std::invalid_argument("unknown \"lidar\" key \"" + key + "\"");
      }
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(std::string("\"lidar\": ") + error.what());
  }
  if (!(loss.rays_share >= 0.0f && loss.rays_share <= 16.0f)) {
    throw std::invalid_argument("\"lidar\" \"rays_share\" must be in [0, 16]");
  }
  if (!(loss.depth >= 0.0f) || !(loss.line_of_sight >= 0.0f) || !(loss.max_range > 0.0f)) {
    throw std::invalid_argument("\"lidar\" weights must be >= 0 and \"max_range\" > 0");
  }
  if (!(loss.epsilon_start > 0.0f) || !(loss.epsilon_end > 0.0f)) {
    throw std::invalid_argument("\"lidar\" \"epsilon\" must be positive");
  }
  if (!(loss.start >= 0.0f && loss.start < 1.0f) || !(loss.decay > 0.0f)) {
    throw std::invalid_argument("\"lidar\" \"start\" must be in [0, 1) and \"decay\" > 0");
  }
  return loss;
}

LidarLoss LidarLoss::take_from(nlohmann::json& document) {
  if (!document.is_object() || !document.contains("lidar")) return {};
  const LidarLoss loss = from_json(document["lidar"]);
  document.erase("lidar");
  return loss;
}

nlohmann::json LidarLoss::to_json() const {
  return {{"rays_share", rays_share},
          {"depth", depth},
          {"max_range", max_range},
          {"line_of_sight", line_of_sight},
          {"decay", decay},
          {"epsilon", {epsilon_start, epsilon_end}},
          {"start", start}};
}

float LidarLoss::sight_weight(double progress) const {
  if (progress < double(start)) return 0.0f;
  return line_of_sight * std::pow(0.5f, std::floor(float(progress - double(start)) / decay));
}

float LidarLoss::epsilon(double progress) const {
  const double p = std::clamp((progress - double(start)) / (1.0 - double(start)), 0.0, 1.0);
  return float(double(epsilon_start) + p * double(epsilon_end - epsilon_start));
}

LidarTermValues lidar_terms(const PackedSamples& samples, const float* sigma, const float* ranges,
                            const LidarTermWeights& weights, float* d_sigma, float* d_sample_rgb,
                            const Device& device) {
  if (samples.rays == 0) return {};
  const float rays = float(samples.rays);
  const LidarTerms terms{weights.depth / rays, weights.line_of_sight / rays, weights.max_range,
                         weights.epsilon};
  LidarSums sums;
  with_backend(device, [&](auto backend) {
    sums = LidarKernels<backend>::terms(samples, sigma, ranges, terms, d_sigma, d_sample_rgb);
  });
  return {sums.depth / double(samples.rays), sums.sight / double(samples.rays)};
}

}  // namespace advect::radiance
