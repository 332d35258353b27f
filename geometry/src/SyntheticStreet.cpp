#include "advect/geometry/SyntheticStreet.h"

#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

namespace advect::geometry {

namespace {

// A static axis-aligned box: centre and size (metres).
struct StaticBox {
  std::array<double, 3> centre, size;
};

std::vector<StaticBox> street_blocks() {
  std::vector<StaticBox> blocks;
  for (double x = -60.0; x < 100.0; x += 14.0) {
    for (const double side : {-1.0, 1.0}) {
      blocks.push_back({{x, side * 15.0, 5.0}, {9.0, 6.0, 10.0}});      // buildings, 5 m gaps
      blocks.push_back({{x + 4.0, side * 8.5, 1.5}, {0.3, 0.3, 3.0}});  // posts
    }
  }
  return blocks;
}

// Points on the five faces of a box centred at the origin (no bottom face), uniform by area.
// Faces: 0/1 = -x/+x, 2/3 = -y/+y, 4 = top.
template <class Emit>
void sample_box_surface(const double size[3], std::int64_t count, std::mt19937_64& rng,
                        const Emit& emit) {
  const double a[5] = {size[1] * size[2], size[1] * size[2], size[0] * size[2], size[0] * size[2],
                       size[0] * size[1]};
  std::discrete_distribution<int> face(a, a + 5);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  for (std::int64_t i = 0; i < count; ++i) {
    const int f = face(rng);
    double p[3] = {u(rng) * size[0], u(rng) * size[1], u(rng) * size[2]};
    if (f < 4) {
      const int axis = f / 2;
      p[axis] = (f % 2 == 0 ? -0.5 : 0.5) * size[axis];
    } else {
      p[2] = 0.5 * size[2];
    }
    emit(p);
  }
}

double box_area(const double size[3]) {
  return 2.0 * size[2] * (size[0] + size[1]) + size[0] * size[1];
}

// A solid the sensor cannot see through: a box of half sizes `half` whose frame (x along its
// heading, z up) is `pose`, shrunk by a centimetre so that the points on its own surface are
// outside it.
struct Solid {
  RigidTransform to_body;
  double half[3];

  Solid(const RigidTransform& pose, const double size[3]) : to_body(inverse(pose)) {
    for (int d = 0; d < 3; ++d) half[d] = 0.5 * size[d] - 0.01;
  }
  // Whether the segment from a to b passes through the solid (slab test in its frame).
  bool blocks(const double a[3], const double b[3]) const {
    double p[3], q[3];
    for (int row = 0; row < 3; ++row) {
      p[row] = to_body.translation[row];
      q[row] = to_body.translation[row];
      for (int k = 0; k < 3; ++k) {
        p[row] += to_body.rotation[3 * row + k] * a[k];
        q[row] += to_body.rotation[3 * row + k] * b[k];
      }
    }
    double enter = 0.0, leave = 1.0;
    for (int d = 0; d < 3; ++d) {
      const double step = q[d] - p[d];
      if (std::abs(step) < 1e-12) {
        if (std::abs(p[d]) >= half[d]) return false;
        continue;
      }
      double t0 = (-half[d] - p[d]) / step, t1 = (half[d] - p[d]) / step;
      if (t0 > t1) std::swap(t0, t1);
      enter = std::max(enter, t0);
      leave = std::min(leave, t1);
      if (enter >= leave) return false;
    }
    return true;
  }
};

}  // namespace

std::vector<MovingBox> StreetOptions::default_boxes() {
  constexpr double pi = std::numbers::pi;
  return {
      {{-12.0, -3.5}, {4.5, 1.9, 1.6}, 0.0, 11.0, 0.0},       // overtakes the sensor
      {{30.0, 3.5}, {4.8, 2.0, 1.8}, pi, 9.0, 0.0},           // oncoming
      {{17.0, -11.0}, {4.4, 1.8, 1.5}, 0.5 * pi, 5.0, -0.6},  // turning out of a side street
      {{8.0, 6.5}, {0.6, 0.6, 1.8}, -0.5 * pi, 1.4, 0.0},     // walker crossing
  };
}

StreetOptions StreetOptions::harder(int sweeps) {
  StreetOptions o;
  o.sweeps = sweeps;
  o.occlusion = true;
  o.reference_range = 20.0;
  o.noise = 0.02;
  o.dropout = 0.2;
  constexpr double pi = std::numbers::pi;
  o.boxes.push_back({{50.0, 3.5}, {4.6, 1.9, 1.6}, pi, 14.0, 0.0});    // comes into range
  o.boxes.push_back({{30.0, -3.5}, {4.5, 1.8, 1.5}, 0.0, 16.0, 0.0});  // drives out of range
  o.boxes.push_back({{-5.0, -7.5}, {0.6, 0.6, 1.7}, 0.0, 1.2, 0.0});   // walks past the posts
  return o;
}

SyntheticStreet::SyntheticStreet(StreetOptions options) : options_(std::move(options)) {
  if (!(options_.noise >= 0.0) || !(options_.dropout >= 0.0 && options_.dropout < 1.0) ||
      !(options_.reference_range >= 0.0))
    throw std::invalid_argument(
        "synthetic street: noise >= 0, dropout in [0, 1) and reference_range >= 0");
  if (options_.sweeps < 1 || !(options_.interval > 0.0) || options_.points_per_box < 0) {
    throw std::invalid_argument("synthetic street: sweeps >= 1, interval > 0, points >= 0");
  }
}

RigidTransform SyntheticStreet::box_pose(const MovingBox& box, double t) {
  const double heading = box.heading + box.yaw_rate * t;
  double dx, dy;
  if (std::abs(box.yaw_rate) < 1e-12) {
    dx = box.speed * t * std::cos(box.heading);
    dy = box.speed * t * std::sin(box.heading);
  } else {
    const double radius = box.speed / box.yaw_rate;
    dx = radius * (std::sin(heading) - std::sin(box.heading));
    dy = radius * (std::cos(box.heading) - std::cos(heading));
  }
  RigidTransform pose;
  const double c = std::cos(heading), s = std::sin(heading);
  const double rotation[9] = {c, -s, 0, s, c, 0, 0, 0, 1};
  std::copy(rotation, rotation + 9, pose.rotation);
  pose.translation[0] = box.position[0] + dx;
  pose.translation[1] = box.position[1] + dy;
  pose.translation[2] = 0.5 * box.size[2];
  return pose;
}

StreetSweep SyntheticStreet::sweep(int index) const {
  if (index < 0 || index >= options_.sweeps) throw std::out_of_range("synthetic street: sweep");
  const StreetOptions& o = options_;
  StreetSweep out;
  out.time = o.interval * index;
  out.pose = box_pose(o.sensor, out.time);
  out.pose.translation[2] = o.sensor_height;
  const RigidTransform to_sensor = inverse(out.pose);
  std::mt19937_64 rng(o.seed * 1000003u + std::uint64_t(index));
  const double* sensor = out.pose.translation;
  // The sensor's imperfections draw from their own stream, so that a perfect sensor's sweeps
  // stay the same.
  std::mt19937_64 sensor_rng(o.seed * 7919u + std::uint64_t(index) + 1u);
  std::normal_distribution<double> jitter(0.0, o.noise > 0.0 ? o.noise : 1.0);
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  const auto add = [&](const double world[3], std::int32_t source) {
    if (o.dropout > 0.0 && chance(sensor_rng) < o.dropout) return;
    float p[3] = {float(world[0]), float(world[1]), float(world[2])};
    if (o.noise > 0.0) {
      for (float& v : p) v += float(jitter(sensor_rng));
    }
    float local[3];
    to_sensor.apply(p, local);
    out.points.insert(out.points.end(), local, local + 3);
    out.source.push_back(source);
  };
  // The solids of this sweep: the street's blocks and the moving boxes where they are now.
  std::vector<Solid> solids;
  for (const StaticBox& block : street_blocks()) {
    RigidTransform at;
    std::copy(block.centre.begin(), block.centre.end(), at.translation);
    solids.emplace_back(at, block.size.data());
  }
  for (const MovingBox& box : o.boxes) solids.emplace_back(box_pose(box, out.time), box.size);
  const auto seen = [&](const double world[3]) {
    const double dx = world[0] - sensor[0], dy = world[1] - sensor[1];
    const double range2 = dx * dx + dy * dy;
    if (range2 > o.range * o.range) return false;
    if (o.occlusion) {
      for (const Solid& solid : solids) {
        if (solid.blocks(sensor, world)) return false;
      }
    }
    return o.reference_range <= 0.0 || range2 <= o.reference_range * o.reference_range ||
           chance(sensor_rng) < o.reference_range * o.reference_range / range2;
  };
  const auto add_static = [&](const double world[3]) {
    if (seen(world)) add(world, -1);
  };
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  if (o.ground) {
    // The disc of the range around the sensor, by rejection from its square.
    const auto count = std::int64_t(o.ground_density * 4.0 * o.range * o.range);
    for (std::int64_t i = 0; i < count; ++i) {
      const double p[3] = {sensor[0] + o.range * u(rng), sensor[1] + o.range * u(rng), 0.0};
      add_static(p);
    }
  }
  for (const StaticBox& block : street_blocks()) {
    const double density = block.size[0] < 1.0 ? o.post_density : o.building_density;
    const auto count = std::int64_t(density * box_area(block.size.data()));
    sample_box_surface(block.size.data(), count, rng, [&](const double p[3]) {
      const double world[3] = {p[0] + block.centre[0], p[1] + block.centre[1],
                               p[2] + block.centre[2]};
      add_static(world);
    });
  }
  for (std::size_t b = 0; b < o.boxes.size(); ++b) {
    const RigidTransform pose = box_pose(o.boxes[b], out.time);
    sample_box_surface(o.boxes[b].size, o.points_per_box, rng, [&](const double p[3]) {
      const float body[3] = {float(p[0]), float(p[1]), float(p[2])};
      float world[3];
      pose.apply(body, world);
      const double w[3] = {world[0], world[1], world[2]};
      if (seen(w)) add(w, std::int32_t(b));
    });
  }
  return out;
}

void SyntheticStreet::carry(std::int32_t source, const float world_point[3], double from, double to,
                            float out[3]) const {
  if (source < 0) {
    for (int c = 0; c < 3; ++c) out[c] = world_point[c];
    return;
  }
  const MovingBox& box = options_.boxes.at(std::size_t(source));
  const RigidTransform motion = compose(box_pose(box, to), inverse(box_pose(box, from)));
  motion.apply(world_point, out);
}

}  // namespace advect::geometry
