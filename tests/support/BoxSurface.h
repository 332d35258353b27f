// Lidar-like samples of a box's surface, for the tests of rigid fits.
#pragma once

#include <random>
#include <vector>

namespace advect::testing {

// Surface points of an l x w x h box centred at (x, y, h / 2): one long side, the front and the
// roof, as a lidar beside it sees them. Resampled per call (a new sweep sees new points on the
// same surfaces).
inline std::vector<float> box_surface(float x, float y, float l, float w, float h, int n,
                                      std::mt19937& rng) {
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<float> out;
  for (int i = 0; i < n; ++i) {
    float p[3] = {(u(rng) - 0.5f) * l, (u(rng) - 0.5f) * w, u(rng) * h};
    const int face = i % 3;  // a side, the front or the roof
    if (face == 0) p[1] = w / 2;
    if (face == 1) p[0] = l / 2;
    if (face == 2) p[2] = h;
    out.insert(out.end(), {x + p[0], y + p[1], p[2]});
  }
  return out;
}

}  // namespace advect::testing
