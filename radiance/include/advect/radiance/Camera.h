// Pinhole cameras in the convention of NeRF, instant-ngp and nerfstudio: camera-to-world 3 x 4
// (row-major, rotation then translation column), the camera looking along its -z axis with y up
// (OpenGL/Blender). Pixel (i, j) of a W x H image covers [i, i + 1) x [j, j + 1); rays go
// through pixel centres (i + 0.5, j + 0.5), j counting rows down from the top.
#pragma once

#include <cmath>

#include "advect/engine/HostDevice.h"

namespace advect::radiance {

struct PinholeCamera {
  int width = 0, height = 0;  // pixels
  float fx = 0, fy = 0;       // focal lengths (pixels)
  float cx = 0, cy = 0;       // principal point (pixels from the top-left corner)
  float camera_to_world[12] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};

  // The ray through image point (u, v) (pixels): origin (3) and unit direction (3), world frame.
  ADVECT_HD void ray(float u, float v, float* origin, float* direction) const {
    const float local[3] = {(u - cx) / fx, -(v - cy) / fy, -1.0f};
    float length = 0.0f;
    for (int r = 0; r < 3; ++r) {
      const float* row = camera_to_world + 4 * r;
      direction[r] = row[0] * local[0] + row[1] * local[1] + row[2] * local[2];
      origin[r] = row[3];
      length += direction[r] * direction[r];
    }
    length = sqrtf(length);
    for (int r = 0; r < 3; ++r) direction[r] /= length;
  }
};

// The scene's axis-aligned box (world units): the hash grid and the occupancy grid span it.
struct SceneBox {
  float lower[3] = {-1.5f, -1.5f, -1.5f};
  float upper[3] = {1.5f, 1.5f, 1.5f};
};

}  // namespace advect::radiance
