// A synthetic lidar sequence with known motion, for tests, demos and benchmarks: a street of
// static surfaces (ground z = 0, building blocks, posts) with rigid boxes (vehicles, a walker)
// moving on circular arcs at constant speed and yaw rate, seen by a sensor that drives along the
// street. Every sweep samples the surfaces anew, uniformly by area within the sensor's range and
// without occlusion, so no point repeats between sweeps, as with a real lidar.
//
// Units: metres, seconds, radians; the world has z up, the street runs along x.
#pragma once

#include <cstdint>
#include <vector>

#include "advect/geometry/RigidTransform.h"

namespace advect::geometry {

// A body driving on an arc: position (x, y) of its centre and heading at t = 0.
struct MovingBox {
  double position[2] = {0, 0};
  double size[3] = {4.5, 1.9, 1.6};  // length (along the heading), width, height
  double heading = 0.0;
  double speed = 0.0;     // m/s along the heading
  double yaw_rate = 0.0;  // rad/s
};

struct StreetOptions {
  int sweeps = 8;
  double interval = 0.1;                                          // seconds between sweeps
  MovingBox sensor{{0.0, 0.0}, {0.0, 0.0, 0.0}, 0.0, 6.0, 0.05};  // the car carrying the lidar
  double sensor_height = 1.8;                                     // metres above the ground
  double range = 40.0;            // static surface points farther from the sensor are left out
  double ground_density = 2.0;    // points per m^2
  double building_density = 4.0;  // points per m^2
  double post_density = 30.0;     // points per m^2
  int points_per_box = 800;       // per moving box and sweep
  bool ground = true;
  // A harder sensor: Gaussian range-free noise on every point (standard deviation, metres) and a
  // fraction of the sampled points dropped at random, afresh in every sweep.
  double noise = 0.0;
  double dropout = 0.0;
  std::uint64_t seed = 1;
  std::vector<MovingBox> boxes = default_boxes();

  // Two cars along the street (one each way), one car turning, one walker.
  static std::vector<MovingBox> default_boxes();
};

struct StreetSweep {
  double time = 0.0;                 // seconds
  RigidTransform pose;               // sensor frame -> world
  std::vector<float> points;         // N x 3 in the sensor frame
  std::vector<std::int32_t> source;  // per point: index of its moving box, -1 for the static street
};

class SyntheticStreet {
 public:
  explicit SyntheticStreet(StreetOptions options = {});

  StreetSweep sweep(int index) const;
  // Body frame (centre of the box, at half its height above the ground; x along its heading) ->
  // world, at time t.
  static RigidTransform box_pose(const MovingBox& box, double t);
  // Where a world point seen at time `from` on moving box `source` (-1: static) is at time `to`.
  void carry(std::int32_t source, const float world_point[3], double from, double to,
             float out[3]) const;
  const StreetOptions& options() const { return options_; }

 private:
  StreetOptions options_;
};

}  // namespace advect::geometry
