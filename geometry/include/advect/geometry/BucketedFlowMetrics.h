// The Argoverse 2 2024 scene-flow ranking metric, bucketed normalised EPE, as the official
// evaluation computes it (BucketedSceneFlowEval: bucketed_epe.py,
// base_per_frame_sceneflow_eval.py).
//
// Every evaluated point has a meta class (SceneFlowClasses.h) and a speed: the norm of its true
// flow with the ego motion taken out, in metres per frame. Speeds fall into 51 buckets with edges
// linspace(0, 2, 51) and +inf ([0, 0.04), [0.04, 0.08), ..., [2, inf)). Per meta class and bucket
// the evaluation keeps the mean EPE |pred - truth| and the mean speed of the points, pooled over
// all frames (the official code's count-weighted averages of per-frame means are the same
// numbers). A class's static EPE is the mean EPE of its first bucket; its dynamic normalised EPE
// is the plain mean, over the other buckets holding points, of mean EPE / mean speed. The ranking
// number is the mean of the classes' dynamic normalised EPEs (classes without moving points left
// out): zero flow scores 1.0. Points count when they are valid (the caller's mask: evaluated,
// non-ground) and |x|, |y| < 35 m in the first sweep's sensor frame.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "advect/geometry/SceneFlowClasses.h"

namespace advect::geometry {

inline constexpr int kSpeedBuckets = 51;

struct ClassBucketScore {
  double static_epe;          // m; NaN without points in the first bucket
  double dynamic_normalized;  // NaN without moving points
  std::size_t static_points = 0, dynamic_points = 0;
};

class BucketedEpe {
 public:
  // Adds one frame. points, predicted, truth and ego are N x 3 float32 (the first sweep's points
  // in its sensor frame, m; flows in m per frame; ego = the flow of the static world, see
  // ego_flow); classes N ids of `taxonomy`; valid N flags (empty: all). Throws
  // std::invalid_argument when the sizes disagree.
  void add_frame(std::span<const float> points, std::span<const float> predicted,
                 std::span<const float> truth, std::span<const float> ego,
                 std::span<const std::uint8_t> classes, ClassTaxonomy taxonomy,
                 std::span<const std::uint8_t> valid = {});

  // Adds the frames another evaluation has seen.
  void merge(const BucketedEpe& other);

  ClassBucketScore score(MetaClass meta) const;
  // Mean of the classes' dynamic normalised EPEs (NaN when no class has moving points).
  double mean_dynamic_normalized() const {
    return mean_over_classes(&ClassBucketScore::dynamic_normalized);
  }
  // Mean of the classes' static EPEs, m (NaN when no class has static points).
  double mean_static_epe() const { return mean_over_classes(&ClassBucketScore::static_epe); }

  // The lower speed edge of a bucket, m per frame.
  static double bucket_floor(int bucket);
  // The bucket of a speed (m per frame, >= 0).
  static int bucket_of(double speed);

 private:
  double mean_over_classes(double ClassBucketScore::*field) const;

  struct Cell {
    double epe = 0, speed = 0;
    std::size_t count = 0;
  };
  std::array<std::array<Cell, kSpeedBuckets>, kMetaClasses> cells_{};
};

}  // namespace advect::geometry
