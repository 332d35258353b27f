#include "advect/neural/SparseObservations.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace advect::neural {

Observations draw_observations(const SequenceShape& shape, const ObservationProtocol& protocol,
                               std::uint64_t seed) {
  if (shape.frames < 1 || shape.height < 1 || shape.width < 1 || shape.channels < 1) {
    throw std::invalid_argument("observations: an empty sequence");
  }
  if (!(protocol.point_fraction > 0.0 && protocol.point_fraction <= 1.0) ||
      protocol.frame_stride < 1) {
    throw std::invalid_argument(
        fmt::format("observations: fraction {} must be in (0, 1] and the frame stride {} >= 1",
                    protocol.point_fraction, protocol.frame_stride));
  }
  const int points = int(shape.points());
  const int count = std::max(1, int(std::lround(protocol.point_fraction * points)));
  std::vector<int> all(static_cast<std::size_t>(points));
  std::iota(all.begin(), all.end(), 0);
  // A partial Fisher-Yates shuffle with our own index draws: the same on every standard library.
  std::mt19937_64 rng(seed);
  for (int k = 0; k < count; ++k) {
    const auto pick = k + int(rng() % std::uint64_t(points - k));
    std::swap(all[std::size_t(k)], all[std::size_t(pick)]);
  }
  Observations out;
  out.points.assign(all.begin(), all.begin() + count);
  std::sort(out.points.begin(), out.points.end());
  for (int t = 0; t < shape.frames; t += protocol.frame_stride) out.frames.push_back(t);
  return out;
}

SurrogateErrors evaluate(const SequenceShape& shape, const std::vector<float>& prediction,
                         const std::vector<float>& truth, const Observations& observed) {
  if (prediction.size() != shape.size() || truth.size() != shape.size()) {
    throw std::invalid_argument(
        fmt::format("evaluate: prediction ({}) and truth ({}) must hold {} values",
                    prediction.size(), truth.size(), shape.size()));
  }
  std::vector<std::uint8_t> point_seen(shape.points(), 0), frame_seen(std::size_t(shape.frames), 0);
  for (const int p : observed.points) point_seen.at(std::size_t(p)) = 1;
  for (const int t : observed.frames) frame_seen.at(std::size_t(t)) = 1;
  // Squared error and squared truth per [point observed][frame observed].
  double error[2][2] = {}, norm[2][2] = {};
  std::size_t k = 0;
  for (int t = 0; t < shape.frames; ++t) {
    for (std::size_t p = 0; p < shape.points(); ++p) {
      for (int c = 0; c < shape.channels; ++c, ++k) {
        const double d = double(prediction[k]) - double(truth[k]);
        error[point_seen[p]][frame_seen[std::size_t(t)]] += d * d;
        norm[point_seen[p]][frame_seen[std::size_t(t)]] += double(truth[k]) * truth[k];
      }
    }
  }
  const auto ratio = [](double e, double n) { return n > 0.0 ? std::sqrt(e / n) : 0.0; };
  SurrogateErrors out;
  double total_error = 0.0, total_norm = 0.0;
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 2; ++b) {
      out.rel_l2_split[a][b] = ratio(error[a][b], norm[a][b]);
      total_error += error[a][b];
      total_norm += norm[a][b];
    }
  }
  out.rel_l2 = ratio(total_error, total_norm);
  out.rel_l2_unobserved_points = ratio(error[0][0] + error[0][1], norm[0][0] + norm[0][1]);
  out.rel_l2_unobserved_times = ratio(error[0][0] + error[1][0], norm[0][0] + norm[1][0]);
  out.mse = total_error / double(shape.size());
  out.nmse = total_norm > 0.0 ? total_error / total_norm : 0.0;
  return out;
}

}  // namespace advect::neural
