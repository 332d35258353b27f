// The engine's synthetic street (geometry/SyntheticStreet.h) as a lidar sequence with exact
// motion, for demos and benchmarks from Python.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/geometry/SyntheticStreet.h"

namespace advect::python {

namespace {

py::dict synthetic_street(int sweeps, bool harder, std::optional<double> noise,
                          std::optional<double> dropout, std::optional<int> points_per_box,
                          std::optional<bool> occlusion, std::optional<double> reference_range,
                          bool ground, std::uint64_t seed) {
  geometry::StreetOptions options =
      harder ? geometry::StreetOptions::harder(sweeps) : geometry::StreetOptions{};
  options.sweeps = sweeps;
  if (noise) options.noise = *noise;
  if (dropout) options.dropout = *dropout;
  if (points_per_box) options.points_per_box = *points_per_box;
  if (occlusion) options.occlusion = *occlusion;
  if (reference_range) options.reference_range = *reference_range;
  options.ground = ground;
  options.seed = seed;
  std::optional<geometry::SyntheticStreet> street;
  try {
    street.emplace(options);
  } catch (const std::invalid_argument& e) {
    throw py::value_error(e.what());
  }
  py::list points, poses, times, flows, boxes;
  std::vector<geometry::StreetSweep> seen;
  for (int k = 0; k < sweeps; ++k) seen.push_back(street->sweep(k));
  for (int k = 0; k < sweeps; ++k) {
    const geometry::StreetSweep& s = seen[std::size_t(k)];
    const std::size_t n = s.source.size();
    std::vector<float> world(3 * n), flow;
    for (std::size_t i = 0; i < n; ++i) s.pose.apply(&s.points[3 * i], &world[3 * i]);
    if (k + 1 < sweeps) {
      flow.resize(3 * n);
      for (std::size_t i = 0; i < n; ++i) {
        float later[3];
        street->carry(s.source[i], &world[3 * i], s.time, seen[std::size_t(k) + 1].time, later);
        for (std::size_t d = 0; d < 3; ++d) flow[3 * i + d] = later[d] - world[3 * i + d];
      }
      flows.append(to_numpy(std::move(flow), {py::ssize_t(n), 3}));
    }
    points.append(to_numpy(std::move(world), {py::ssize_t(n), 3}));
    const std::array<double, 16> m = s.pose.matrix();
    poses.append(to_numpy(std::vector<double>(m.begin(), m.end()), {4, 4}));
    times.append(s.time);
    boxes.append(to_numpy(std::vector<std::int32_t>(s.source), {py::ssize_t(n)}));
  }
  py::dict out;
  out["sweeps"] = points;
  out["poses"] = poses;
  out["times"] = times;
  out["flows"] = flows;
  out["boxes"] = boxes;
  return out;
}

}  // namespace

void bind_street(py::module_& m) {
  m.def("synthetic_street", &synthetic_street, py::kw_only(), py::arg("sweeps") = 8,
        py::arg("harder") = false, py::arg("noise") = py::none(), py::arg("dropout") = py::none(),
        py::arg("points_per_box") = py::none(), py::arg("occlusion") = py::none(),
        py::arg("reference_range") = py::none(), py::arg("ground") = false, py::arg("seed") = 1,
        R"(The engine's synthetic street seen by a driving lidar, with its exact motion.

A street of buildings and posts with two cars along it, one turning out of a side street and a
walker crossing, sampled anew in every sweep (0.1 s apart). harder: also a car coming into range,
one leaving it and a walker past the posts, seen with occlusion, density falling beyond 20 m, 2 cm
noise and 20 % dropout. The other arguments override either preset: noise (Gaussian, m), dropout
(share of points dropped afresh per sweep), points_per_box (samples of each moving box per sweep
before occlusion), occlusion (only what the sensor sees), reference_range (m: beyond it the
density falls with the square of range; 0 = uniform), ground (keep the ground plane). Returns a
dict: sweeps (list of (N_k, 3) float32, world frame, m), poses (sensor-to-world (4, 4)), times
(s), flows (the exact world-frame displacement of every point to the next sweep, one per sweep but
the last) and boxes (per point the moving box it lies on, -1 for the static street).)");
}

}  // namespace advect::python
