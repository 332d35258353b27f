#include <array>
#include <cmath>
#include <numbers>

#include "advect/io/ColourMaps.h"

namespace advect::io {
namespace {

// The wheel: red -> yellow -> green -> cyan -> blue -> magenta -> red in segments of 15, 6, 4,
// 11, 13 and 6 steps (the benchmark's proportions, which give the perceptually wide hues more).
constexpr int kSegments[6] = {15, 6, 4, 11, 13, 6};
constexpr int kColours = 55;

std::array<Rgb, kColours> wheel() {
  std::array<Rgb, kColours> colours{};
  // Each segment moves one channel from 0 to 1 or 1 to 0, from the corner colour it starts at.
  constexpr Rgb kCorners[6] = {{1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 1, 1}, {0, 0, 1}, {1, 0, 1}};
  int k = 0;
  for (int s = 0; s < 6; ++s) {
    const Rgb& from = kCorners[s];
    const Rgb& to = kCorners[(s + 1) % 6];
    for (int i = 0; i < kSegments[s]; ++i, ++k) {
      const double f = double(i) / kSegments[s];
      colours[std::size_t(k)] = {from.r + f * (to.r - from.r), from.g + f * (to.g - from.g),
                                 from.b + f * (to.b - from.b)};
    }
  }
  return colours;
}

}  // namespace

Rgb flow_colour(double u, double v) {
  static const std::array<Rgb, kColours> colours = wheel();
  if (!std::isfinite(u) || !std::isfinite(v)) return {0, 0, 0};
  const double length = std::hypot(u, v);
  const double a = std::atan2(-v, -u) / std::numbers::pi;  // [-1, 1]
  const double fk = (a + 1.0) / 2.0 * (kColours - 1);
  const int k0 = int(std::floor(fk));
  const int k1 = (k0 + 1) % kColours;
  const double f = fk - k0;
  const Rgb& c0 = colours[std::size_t(k0)];
  const Rgb& c1 = colours[std::size_t(k1)];
  Rgb c{(1 - f) * c0.r + f * c1.r, (1 - f) * c0.g + f * c1.g, (1 - f) * c0.b + f * c1.b};
  const auto shade = [&](double& channel) {
    channel = length <= 1.0 ? 1.0 - length * (1.0 - channel) : channel * 0.75;
  };
  shade(c.r);
  shade(c.g);
  shade(c.b);
  return c;
}

}  // namespace advect::io
