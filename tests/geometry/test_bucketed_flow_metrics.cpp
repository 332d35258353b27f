// The Argoverse 2 2024 ranking metric (bucketed normalised EPE) on hand-computed cases, and the
// meta classes of both taxonomies against the official lists.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/geometry/BucketedFlowMetrics.h"

namespace advect::testing {
namespace {

using geometry::BucketedEpe;
using geometry::ClassTaxonomy;
using geometry::MetaClass;

TEST(BucketedFlowMetrics, SpeedBucketsAreTheOfficialEdges) {
  // linspace(0, 2, 51) and +inf: 50 buckets 0.04 m wide, then [2, inf).
  EXPECT_EQ(BucketedEpe::bucket_of(0.0), 0);
  EXPECT_EQ(BucketedEpe::bucket_of(0.0399), 0);
  EXPECT_EQ(BucketedEpe::bucket_of(0.04), 1);
  EXPECT_EQ(BucketedEpe::bucket_of(0.43), 10);
  EXPECT_EQ(BucketedEpe::bucket_of(BucketedEpe::bucket_floor(37)), 37);
  EXPECT_EQ(BucketedEpe::bucket_of(std::nextafter(BucketedEpe::bucket_floor(37), 0.0)), 36);
  EXPECT_EQ(BucketedEpe::bucket_of(1.9999), 49);
  EXPECT_EQ(BucketedEpe::bucket_of(2.0), 50);
  EXPECT_EQ(BucketedEpe::bucket_of(30.0), 50);
  EXPECT_DOUBLE_EQ(BucketedEpe::bucket_floor(25), 1.0);
}

TEST(BucketedFlowMetrics, HandComputedFrame) {
  // Argoverse 2 ids: 0 background, 19 REGULAR_VEHICLE (CAR), 17 PEDESTRIAN, 5 BOLLARD (left out).
  // Every point at the origin with zero ego motion, so speed = |truth|.
  struct Point {
    float x;
    float truth, predicted;  // along x, m per frame
    std::uint8_t cls, valid;
  };
  const std::vector<Point> rows = {
      {0, 0.00f, 0.01f, 0, 1},    // background, static, EPE 0.01
      {0, 0.02f, 0.05f, 0, 1},    // background, static bucket (0.02 < 0.04), EPE 0.03
      {0, 0.41f, 0.51f, 19, 1},   // car, bucket [0.40, 0.44), EPE 0.1
      {0, 0.43f, 0.13f, 19, 1},   // car, same bucket, EPE 0.3
      {0, 3.00f, 2.40f, 19, 1},   // car, bucket [2, inf), EPE 0.6
      {0, 0.10f, 0.00f, 17, 1},   // pedestrian, bucket [0.08, 0.12), EPE 0.1 (zero flow)
      {0, 1.00f, 9.00f, 5, 1},    // bollard: not in any meta class
      {35, 1.00f, 9.00f, 19, 1},  // |x| = 35 m: outside the strict box
      {0, 1.00f, 9.00f, 19, 0},   // not valid
  };
  std::vector<float> points, truth, predicted, ego;
  std::vector<std::uint8_t> classes, valid;
  for (const Point& p : rows) {
    points.insert(points.end(), {p.x, 0, 0});
    truth.insert(truth.end(), {p.truth, 0, 0});
    predicted.insert(predicted.end(), {p.predicted, 0, 0});
    ego.insert(ego.end(), {0, 0, 0});
    classes.push_back(p.cls);
    valid.push_back(p.valid);
  }
  BucketedEpe bucketed;
  bucketed.add_frame(points, predicted, truth, ego, classes, ClassTaxonomy::argoverse2, valid);

  const auto background = bucketed.score(MetaClass::background);
  EXPECT_NEAR(background.static_epe, 0.02, 1e-7);
  EXPECT_TRUE(std::isnan(background.dynamic_normalized));
  EXPECT_EQ(background.static_points, 2u);

  const auto car = bucketed.score(MetaClass::car);
  EXPECT_TRUE(std::isnan(car.static_epe));
  // Bucket [0.40, 0.44): mean EPE 0.2 over mean speed 0.42; bucket [2, inf): 0.6 / 3.
  const double car_dynamic = (0.2 / 0.42 + 0.6 / 3.0) / 2;
  EXPECT_NEAR(car.dynamic_normalized, car_dynamic, 1e-6);
  EXPECT_EQ(car.dynamic_points, 3u);

  EXPECT_NEAR(bucketed.score(MetaClass::pedestrian).dynamic_normalized, 1.0, 1e-6);
  EXPECT_EQ(bucketed.score(MetaClass::wheeled_vru).dynamic_points, 0u);
  // Classes without moving points are left out of the mean; those without static ones too.
  EXPECT_NEAR(bucketed.mean_dynamic_normalized(), (car_dynamic + 1.0) / 2, 1e-6);
  EXPECT_NEAR(bucketed.mean_static_epe(), 0.02, 1e-7);

  EXPECT_THROW(bucketed.add_frame(points, predicted, truth, ego, classes, ClassTaxonomy::argoverse2,
                                  std::vector<std::uint8_t>{1}),
               std::invalid_argument);
}

TEST(BucketedFlowMetrics, ZeroFlowScoresOneAndFramesPool) {
  // With the ego motion as the prediction, every EPE equals the speed: each moving bucket's
  // normalised EPE is 1, whatever the ego motion and the speeds.
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> position(-30, 30), motion(-1.5f, 1.5f);
  std::uniform_int_distribution<int> cls(0, 30);
  const std::size_t n = 4000;
  std::vector<float> points(3 * n), truth(3 * n), ego(3 * n);
  std::vector<std::uint8_t> classes(n);
  for (std::size_t i = 0; i < 3 * n; ++i) {
    points[i] = position(rng);
    ego[i] = 0.1f * motion(rng);
    // A quarter of the points static (under 0.04 m per frame), the rest moving.
    truth[i] = ego[i] + (i % 12 < 3 ? 0.01f : 1.0f) * motion(rng);
  }
  for (auto& c : classes) c = std::uint8_t(cls(rng));
  BucketedEpe whole;
  whole.add_frame(points, ego, truth, ego, classes, ClassTaxonomy::argoverse2);
  EXPECT_NEAR(whole.mean_dynamic_normalized(), 1.0, 1e-9);

  // Two frames pooled give the numbers of one frame holding both.
  std::vector<float> predicted = truth;
  for (std::size_t i = 0; i < 3 * n; i += 7) predicted[i] += 0.3f;
  BucketedEpe once, first, second;
  once.add_frame(points, predicted, truth, ego, classes, ClassTaxonomy::argoverse2);
  const std::size_t half = n / 2;
  const auto part = [&](const std::vector<float>& v, std::size_t from, std::size_t count,
                        std::size_t width) {
    return std::span<const float>(v).subspan(width * from, width * count);
  };
  first.add_frame(part(points, 0, half, 3), part(predicted, 0, half, 3), part(truth, 0, half, 3),
                  part(ego, 0, half, 3), std::span(classes).first(half), ClassTaxonomy::argoverse2);
  second.add_frame(part(points, half, n - half, 3), part(predicted, half, n - half, 3),
                   part(truth, half, n - half, 3), part(ego, half, n - half, 3),
                   std::span(classes).subspan(half), ClassTaxonomy::argoverse2);
  first.merge(second);
  EXPECT_NEAR(first.mean_dynamic_normalized(), once.mean_dynamic_normalized(), 1e-12);
  EXPECT_GT(once.score(MetaClass::car).static_points, 0u);
  EXPECT_NEAR(first.mean_static_epe(), once.mean_static_epe(), 1e-12);
}

TEST(BucketedFlowMetrics, MetaClassesFollowTheOfficialLists) {
  // av2-api CATEGORY_MAP ids, grouped as BucketedSceneFlowEval's av2_metacategories.py.
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::argoverse2, 0), MetaClass::background);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::argoverse2, 19), MetaClass::car);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::argoverse2, 7), MetaClass::other_vehicles);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::argoverse2, 23), MetaClass::pedestrian);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::argoverse2, 4), MetaClass::wheeled_vru);
  for (const int left_out : {1, 5, 8, 9, 10, 12, 13, 21, 22, 24, 31})
    EXPECT_FALSE(geometry::meta_class(ClassTaxonomy::argoverse2, left_out)) << left_out;
  int counted = 0;
  for (int id = 0; id <= 30; ++id)
    counted += geometry::meta_class(ClassTaxonomy::argoverse2, id) ? 1 : 0;
  EXPECT_EQ(counted, 1 + 1 + 9 + 4 + 6);  // BACKGROUND, CAR, OTHER_VEHICLES, PEDESTRIAN, VRU
  EXPECT_TRUE(geometry::is_foreground(ClassTaxonomy::argoverse2, 5));  // a bollard is an object

  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::pandaset, 14), MetaClass::car);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::pandaset, 23), MetaClass::other_vehicles);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::pandaset, 26), MetaClass::wheeled_vru);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::pandaset, 31), MetaClass::pedestrian);
  EXPECT_EQ(geometry::meta_class(ClassTaxonomy::pandaset, 41), MetaClass::background);
  EXPECT_FALSE(geometry::meta_class(ClassTaxonomy::pandaset, 37));  // cones
  EXPECT_FALSE(geometry::is_foreground(ClassTaxonomy::pandaset, 41));
  EXPECT_TRUE(geometry::is_foreground(ClassTaxonomy::pandaset, 13));
}

}  // namespace
}  // namespace advect::testing
