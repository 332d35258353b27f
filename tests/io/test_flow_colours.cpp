// The Middlebury optical-flow colour code against colours worked out by hand from its wheel
// (segments of 15, 6, 4, 11, 13 and 6 steps: red, yellow, green, cyan, blue, magenta).
#include <gtest/gtest.h>

#include <cmath>

#include "advect/io/ColourMaps.h"

namespace advect::testing {
namespace {

void expect_colour(io::Rgb c, double r, double g, double b, const char* what) {
  EXPECT_NEAR(c.r, r, 1e-9) << what;
  EXPECT_NEAR(c.g, g, 1e-9) << what;
  EXPECT_NEAR(c.b, b, 1e-9) << what;
}

TEST(FlowColours, MatchTheWheelWorkedOutByHand) {
  expect_colour(io::flow_colour(0, 0), 1, 1, 1, "at rest: white");
  // Right: angle atan2(-0, -1) = -pi, the wheel's first colour; just above the axis (v < 0), the
  // last (magenta -> red, step 5 of 6), one step away: the wheel closes.
  expect_colour(io::flow_colour(1, 0), 1, 0, 0, "right");
  const io::Rgb above = io::flow_colour(1, -1e-12);
  EXPECT_NEAR(above.b, 1 - 5.0 / 6, 1e-9);
  // Left: angle 0, the middle of the wheel, colour 27 (cyan -> blue, step 2 of 11).
  expect_colour(io::flow_colour(-1, 0), 0, 1 - 2.0 / 11, 1, "left");
  // Down (v > 0): colour 13.5, halfway between steps 13 and 14 of red -> yellow.
  expect_colour(io::flow_colour(0, 1), 1, 13.5 / 15, 0, "down");
  // Up: colour 40.5, blue -> magenta between steps 4 and 5 of 13.
  expect_colour(io::flow_colour(0, -1), 4.5 / 13, 0, 1, "up");
  // Half the length: halfway to white; beyond length 1: darker.
  expect_colour(io::flow_colour(-0.5, 0), 0.5, 1 - 1.0 / 11, 1, "left, half length");
  expect_colour(io::flow_colour(-2, 0), 0, 0.75 * (1 - 2.0 / 11), 0.75, "left, twice the length");
}

}  // namespace
}  // namespace advect::testing
