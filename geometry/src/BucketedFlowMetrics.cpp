#include "advect/geometry/BucketedFlowMetrics.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace advect::geometry {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTopSpeed = 2.0;  // m per frame: the last finite edge
constexpr float kBox = 35.0f;      // m, the evaluation box half-extent (strict, L-inf of x, y)

double distance3(std::span<const float> a, std::span<const float> b, std::size_t i) {
  double sum = 0.0;
  for (std::size_t k = 0; k < 3; ++k) {
    const double d = double(a[3 * i + k]) - double(b[3 * i + k]);
    sum += d * d;
  }
  return std::sqrt(sum);
}

}  // namespace

double BucketedEpe::bucket_floor(int bucket) {
  // numpy's linspace(0, 2, 51): start + k * step, step = 2 / 50, the last edge exactly 2.
  return bucket >= kSpeedBuckets - 1 ? kTopSpeed : bucket * (kTopSpeed / (kSpeedBuckets - 1));
}

int BucketedEpe::bucket_of(double speed) {
  if (speed >= kTopSpeed) return kSpeedBuckets - 1;
  int bucket = int(speed / (kTopSpeed / (kSpeedBuckets - 1)));
  // The division may land one off an edge: settle against the edges themselves.
  while (bucket > 0 && speed < bucket_floor(bucket)) --bucket;
  while (bucket < kSpeedBuckets - 1 && speed >= bucket_floor(bucket + 1)) ++bucket;
  return bucket;
}

void BucketedEpe::add_frame(std::span<const float> points, std::span<const float> predicted,
                            std::span<const float> truth, std::span<const float> ego,
                            std::span<const std::uint8_t> classes, ClassTaxonomy taxonomy,
                            std::span<const std::uint8_t> valid) {
  const std::size_t n = classes.size();
  if (points.size() != 3 * n || predicted.size() != 3 * n || truth.size() != 3 * n ||
      ego.size() != 3 * n || (!valid.empty() && valid.size() != n)) {
    throw std::invalid_argument("bucketed EPE: the arrays do not describe the same points");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!valid.empty() && valid[i] == 0) continue;
    if (!(std::fabs(points[3 * i]) < kBox && std::fabs(points[3 * i + 1]) < kBox)) continue;
    const std::optional<MetaClass> meta = meta_class(taxonomy, classes[i]);
    if (!meta) continue;
    const double speed = distance3(truth, ego, i);
    Cell& cell = cells_[std::size_t(*meta)][std::size_t(bucket_of(speed))];
    cell.epe += distance3(predicted, truth, i);
    cell.speed += speed;
    ++cell.count;
  }
}

void BucketedEpe::merge(const BucketedEpe& other) {
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    for (std::size_t b = 0; b < cells_[c].size(); ++b) {
      cells_[c][b].epe += other.cells_[c][b].epe;
      cells_[c][b].speed += other.cells_[c][b].speed;
      cells_[c][b].count += other.cells_[c][b].count;
    }
  }
}

ClassBucketScore BucketedEpe::score(MetaClass meta) const {
  const auto& row = cells_[std::size_t(meta)];
  ClassBucketScore score{kNaN, kNaN};
  if (row[0].count > 0) score.static_epe = row[0].epe / double(row[0].count);
  score.static_points = row[0].count;
  double sum = 0.0;
  int buckets = 0;
  for (int b = 1; b < kSpeedBuckets; ++b) {
    const Cell& cell = row[std::size_t(b)];
    if (cell.count == 0) continue;
    // Mean EPE over mean speed: the counts cancel.
    sum += cell.epe / cell.speed;
    ++buckets;
    score.dynamic_points += cell.count;
  }
  if (buckets > 0) score.dynamic_normalized = sum / buckets;
  return score;
}

double BucketedEpe::mean_over_classes(double ClassBucketScore::*field) const {
  double sum = 0.0;
  int classes = 0;
  for (int c = 0; c < kMetaClasses; ++c) {
    const double value = score(MetaClass(c)).*field;
    if (std::isnan(value)) continue;
    sum += value;
    ++classes;
  }
  return classes > 0 ? sum / classes : kNaN;
}

}  // namespace advect::geometry
