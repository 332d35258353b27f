#include "advect/geometry/FlowMetrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace advect::geometry {

namespace {

void check_sizes(std::size_t points, std::size_t values, std::size_t mask, const char* what) {
  if (values != 3 * points || (mask != 0 && mask != points)) {
    throw std::invalid_argument(std::string(what) + ": arrays do not describe the same points");
  }
}

double norm3(const double* v) {
  return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

}  // namespace

FlowErrors flow_errors(std::span<const float> predicted, std::span<const float> truth,
                       std::span<const std::uint8_t> mask) {
  const std::size_t n = truth.size() / 3;
  check_sizes(n, predicted.size(), mask.size(), "flow_errors");
  check_sizes(n, truth.size(), 0, "flow_errors");
  FlowErrors sum;
  for (std::size_t i = 0; i < n; ++i) {
    if (!mask.empty() && mask[i] == 0) continue;
    double p[3], g[3], d[3];
    for (int k = 0; k < 3; ++k) {
      p[k] = predicted[3 * i + std::size_t(k)];
      g[k] = truth[3 * i + std::size_t(k)];
      d[k] = p[k] - g[k];
    }
    const double e = norm3(d), gt_norm = norm3(g), pred_norm = norm3(p);
    const double r = e / (gt_norm + 1e-20);
    sum.epe3d += e;
    sum.acc3ds += (e < 0.05 || r < 0.05) ? 1.0 : 0.0;
    sum.acc3dr += (e < 0.1 || r < 0.1) ? 1.0 : 0.0;
    sum.outliers += (e > 0.3 || r > 0.1) ? 1.0 : 0.0;
    double cosine = 0.0;
    for (int k = 0; k < 3; ++k) cosine += (g[k] / (gt_norm + 1e-20)) * (p[k] / (pred_norm + 1e-20));
    sum.angle += std::acos(std::clamp(cosine, -1.0 + 1e-7, 1.0 - 1e-7));
    ++sum.points;
  }
  if (sum.points > 0) {
    const double count = double(sum.points);
    sum.epe3d /= count;
    sum.acc3ds /= count;
    sum.acc3dr /= count;
    sum.outliers /= count;
    sum.angle /= count;
  }
  return sum;
}

void PooledFlowErrors::add(const FlowErrors& pair) {
  const double n = double(pair.points);
  sum.epe3d += pair.epe3d * n, sum.acc3ds += pair.acc3ds * n, sum.acc3dr += pair.acc3dr * n;
  sum.outliers += pair.outliers * n, sum.angle += pair.angle * n;
  sum.points += pair.points;
}

FlowErrors PooledFlowErrors::mean() const {
  FlowErrors m = sum;
  const double n = double(std::max<std::size_t>(sum.points, 1));
  m.epe3d /= n, m.acc3ds /= n, m.acc3dr /= n, m.outliers /= n, m.angle /= n;
  return m;
}

ThreewayEpe threeway_epe(std::span<const float> predicted, std::span<const float> truth,
                         std::span<const std::uint8_t> foreground,
                         std::span<const std::uint8_t> dynamic,
                         std::span<const std::uint8_t> valid) {
  const std::size_t n = truth.size() / 3;
  check_sizes(n, predicted.size(), foreground.size(), "threeway_epe");
  check_sizes(n, truth.size(), dynamic.size(), "threeway_epe");
  check_sizes(n, truth.size(), valid.size(), "threeway_epe");
  std::array<double, 3> sums{};
  ThreewayEpe out;
  for (std::size_t i = 0; i < n; ++i) {
    if (valid[i] == 0) continue;
    // Background points count as static whatever their motion (av2-api's buckets).
    const std::size_t bucket = foreground[i] == 0 ? 0 : (dynamic[i] == 0 ? 1 : 2);
    double d[3];
    for (int k = 0; k < 3; ++k)
      d[k] = double(predicted[3 * i + std::size_t(k)]) - truth[3 * i + std::size_t(k)];
    sums[bucket] += norm3(d);
    ++out.counts[bucket];
  }
  std::array<double, 3> means{};
  double total = 0.0;
  int used = 0;
  for (std::size_t b = 0; b < 3; ++b) {
    if (out.counts[b] == 0) continue;
    means[b] = sums[b] / double(out.counts[b]);
    total += means[b];
    ++used;
  }
  out.background_static = means[0];
  out.foreground_static = means[1];
  out.foreground_dynamic = means[2];
  out.threeway = used > 0 ? total / used : 0.0;
  return out;
}

void ego_flow(std::span<const float> points, const RigidTransform& t, std::span<float> flow) {
  if (flow.size() != points.size() || points.size() % 3 != 0)
    throw std::invalid_argument("ego_flow: sizes differ");
  for (std::size_t i = 0; i < points.size(); i += 3) {
    for (int row = 0; row < 3; ++row) {
      const double moved = t.rotation[3 * row] * points[i] +
                           t.rotation[3 * row + 1] * points[i + 1] +
                           t.rotation[3 * row + 2] * points[i + 2] + t.translation[row];
      flow[i + std::size_t(row)] = float(moved - points[i + std::size_t(row)]);
    }
  }
}

void dynamic_mask(std::span<const float> truth, std::span<const float> ego, float threshold,
                  std::span<std::uint8_t> dynamic) {
  check_sizes(dynamic.size(), truth.size(), 0, "dynamic_mask");
  check_sizes(dynamic.size(), ego.size(), 0, "dynamic_mask");
  for (std::size_t i = 0; i < dynamic.size(); ++i) {
    double d[3];
    for (int k = 0; k < 3; ++k)
      d[k] = double(truth[3 * i + std::size_t(k)]) - ego[3 * i + std::size_t(k)];
    dynamic[i] = norm3(d) >= threshold ? 1 : 0;
  }
}

void inside_box(std::span<const float> points, float half_extent, std::span<std::uint8_t> inside) {
  check_sizes(inside.size(), points.size(), 0, "inside_box");
  for (std::size_t i = 0; i < inside.size(); ++i) {
    inside[i] =
        std::fabs(points[3 * i]) <= half_extent && std::fabs(points[3 * i + 1]) <= half_extent ? 1
                                                                                               : 0;
  }
}

PairFlowErrors pair_flow_errors(const SceneFlowPair& pair, std::span<const float> flow) {
  const std::size_t n = pair.source.size();
  std::vector<std::uint8_t> evaluated(n, 1), moving(n, 0);
  for (std::size_t p = 0; p < n; ++p) {
    if (!pair.mask.empty()) evaluated[p] = pair.mask[p];
    moving[p] = evaluated[p] && !pair.classes.empty() && pair.classes[p] == 1;
  }
  return {flow_errors(flow, pair.flow, evaluated), flow_errors(flow, pair.flow, moving)};
}

}  // namespace advect::geometry
