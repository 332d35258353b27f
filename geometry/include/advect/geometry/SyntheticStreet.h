// A synthetic lidar sequence with known motion, for tests, demos and benchmarks: a street of
// static surfaces (ground z = 0, building blocks, posts) with rigid boxes (vehicles, a walker)
// moving on circular arcs at constant speed and yaw rate, seen by a sensor that drives along the
// street. Every sweep samples the surfaces anew, uniformly by area within the sensor's range (and,
// as options, only where the sensor sees them, thinning with range), so no point repeats between
// sweeps, as with a real lidar.
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
  double range = 40.0;  // surface points farther from the sensor (horizontally) are left out
  double ground_density = 2.0;    // points per m^2
  double building_density = 4.0;  // points per m^2
  double post_density = 30.0;     // points per m^2
  int points_per_box = 800;       // per moving box and sweep
  bool ground = true;
  // A harder sensor: Gaussian range-free noise on every point (standard deviation, metres) and a
  // fraction of the sampled points dropped at random, afresh in every sweep.
  double noise = 0.0;
  double dropout = 0.0;
  // Occlusion: a sample is seen only if the line from the sensor to it crosses no solid (building,
  // post or moving box, its own included: a box shows only the faces turned to the sensor).
  bool occlusion = false;
  // Density falling with range as a spinning lidar's does: with reference_range > 0 a sample at
  // horizontal range r is kept with probability min(1, (reference_range / r)^2).
  double reference_range = 0.0;
  std::uint64_t seed = 1;
  std::vector<MovingBox> boxes = default_boxes();

  // Two cars along the street (one each way), one car turning, one walker.
  static std::vector<MovingBox> default_boxes();
  // The hard case: the default boxes plus a car coming into range from far ahead, a car driving
  // out of range behind and a second walker; occlusion, density falling beyond 20 m, 2 cm noise
  // and 20 % dropout. Moving boxes are sampled only within `range`, like the static street.
  static StreetOptions harder(int sweeps);
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
