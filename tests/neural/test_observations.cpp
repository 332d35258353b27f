// The observation protocol, the split error metrics (against hand-computed values) and the
// interpolation / identity baselines (exact on fields linear in space and time).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "advect/neural/ObservationBaselines.h"
#include "advect/neural/SparseObservations.h"

namespace advect::testing {
namespace {

TEST(SparseObservations, DrawsAFixedFractionOfDistinctPointsAndStridedFrames) {
  const neural::SequenceShape shape{20, 64, 64, 2};
  const neural::Observations a = neural::draw_observations(shape, {0.25, 2}, 1);
  ASSERT_EQ(a.points.size(), 1024u);
  EXPECT_TRUE(std::is_sorted(a.points.begin(), a.points.end()));
  EXPECT_EQ(std::adjacent_find(a.points.begin(), a.points.end()), a.points.end());
  EXPECT_GE(a.points.front(), 0);
  EXPECT_LT(a.points.back(), 64 * 64);
  EXPECT_EQ(a.frames, (std::vector<int>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18}));
  EXPECT_EQ(neural::draw_observations(shape, {0.25, 2}, 1).points, a.points);
  EXPECT_NE(neural::draw_observations(shape, {0.25, 2}, 2).points, a.points);
  EXPECT_EQ(neural::draw_observations(shape, {0.05, 1}, 1).points.size(), 205u);
  EXPECT_THROW(neural::draw_observations(shape, {0.0, 1}, 1), std::invalid_argument);
  EXPECT_THROW(neural::draw_observations(shape, {0.5, 0}, 1), std::invalid_argument);
}

TEST(SparseObservations, SplitErrorsByHand) {
  // Two frames of two points, one channel; point 0 and frame 0 observed; the only error (2) is
  // at the unobserved point of the unobserved frame.
  const neural::SequenceShape shape{2, 1, 2, 1};
  const std::vector<float> truth = {1, 2, 3, 4}, prediction = {1, 2, 3, 6};
  const neural::SurrogateErrors e = neural::evaluate(shape, prediction, truth, {{0}, {0}});
  EXPECT_DOUBLE_EQ(e.mse, 1.0);
  EXPECT_DOUBLE_EQ(e.nmse, 4.0 / 30.0);
  EXPECT_DOUBLE_EQ(e.rel_l2, std::sqrt(4.0 / 30.0));
  EXPECT_DOUBLE_EQ(e.rel_l2_split[0][0], 0.5);  // |2| / |4|
  EXPECT_DOUBLE_EQ(e.rel_l2_split[1][1], 0.0);
  EXPECT_DOUBLE_EQ(e.rel_l2_unobserved_points, std::sqrt(4.0 / 20.0));  // truth 2 and 4
  EXPECT_DOUBLE_EQ(e.rel_l2_unobserved_times, std::sqrt(4.0 / 25.0));   // truth 3 and 4
}

// A field of (x, y, t), two channels (f, -f), on a 32 x 32 grid of 9 frames.
std::vector<float> sample(const neural::SequenceShape& shape, double (*f)(double, double, double)) {
  std::vector<float> out;
  for (int t = 0; t < shape.frames; ++t) {
    for (int j = 0; j < shape.height; ++j) {
      for (int i = 0; i < shape.width; ++i) {
        const double value = f((i + 0.5) / shape.width, (j + 0.5) / shape.height, t);
        out.push_back(float(value));
        out.push_back(float(-value));
      }
    }
  }
  return out;
}

TEST(ObservationBaselines, LinearFillReproducesAFieldLinearInSpaceAndTime) {
  const neural::SequenceShape shape{9, 32, 32, 2};
  const auto linear = [](double x, double y, double t) {
    return 1.0 + 2.0 * x - 3.0 * y + 0.5 * t;
  };
  const std::vector<float> truth = sample(shape, linear);
  const neural::Observations observed = neural::draw_observations(shape, {0.1, 2}, 3);
  const std::vector<float> filled =
      neural::observation_baseline(shape, truth, observed, neural::TimeFill::linear);
  EXPECT_LT(neural::evaluate(shape, filled, truth, observed).rel_l2, 1e-5);
  // Identity holds the even frame through the odd one after it: off by 0.5 there.
  const std::vector<float> held =
      neural::observation_baseline(shape, truth, observed, neural::TimeFill::identity);
  const std::size_t odd = 1 * shape.points() * 2;  // frame 1, point 0, channel 0
  EXPECT_NEAR(held[odd], truth[odd] - 0.5f, 1e-4);
  EXPECT_NEAR(held[0], truth[0], 1e-4);
}

TEST(ObservationBaselines, ThinPlateSplineRecoversASmoothFieldFromAQuarterOfThePoints) {
  const neural::SequenceShape shape{1, 32, 32, 2};
  const auto smooth = [](double x, double y, double) {
    return std::sin(2 * std::numbers::pi * x) * std::cos(2 * std::numbers::pi * y);
  };
  const std::vector<float> truth = sample(shape, smooth);
  double previous = 1.0;
  for (const double fraction : {0.05, 0.25}) {
    const neural::Observations observed = neural::draw_observations(shape, {fraction, 1}, 5);
    const std::vector<float> filled =
        neural::observation_baseline(shape, truth, observed, neural::TimeFill::linear);
    const neural::SurrogateErrors e = neural::evaluate(shape, filled, truth, observed);
    EXPECT_LT(e.rel_l2_split[1][1], 1e-5) << "exact at the observed points";
    EXPECT_LT(e.rel_l2_unobserved_points, previous);
    previous = e.rel_l2_unobserved_points;
  }
  EXPECT_LT(previous, 0.02);
}

}  // namespace
}  // namespace advect::testing
