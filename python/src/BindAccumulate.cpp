// The accumulation pipeline over sweeps held in Python (lidar::accumulate), with poses given,
// estimated by Open3D's ICP (io::SweepRegistration), or none (one shared frame).
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/io/SweepRegistration.h"
#include "advect/lidar/Accumulation.h"

namespace advect::python {

namespace {

py::list arrays_of(std::vector<std::vector<float>>&& parts) {
  py::list out;
  for (auto& part : parts) {
    const auto n = py::ssize_t(part.size() / 3);
    out.append(to_numpy(std::move(part), {n, 3}));
  }
  return out;
}

py::dict accumulate(const py::list& sweeps, const py::object& poses, const py::object& times,
                    const py::object& flows, const std::string& method, int reference,
                    float moving_speed, std::int64_t max_trajectories, bool in_reference_frame,
                    std::optional<float> crop, bool remove_ground, int max_iterations,
                    std::uint64_t seed, int span, int window, bool warm_start,
                    const std::string& device_name,
                    const std::function<void(std::string, double, double)>& progress) {
  const std::size_t count = sweeps.size();
  if (count < 2) throw py::value_error("sweeps: needs at least two (N, 3) arrays");
  std::vector<geometry::PointCloud> clouds(count);
  lidar::SweepSource source;
  for (std::size_t k = 0; k < count; ++k) {
    const std::string name = "sweeps[" + std::to_string(k) + "]";
    clouds[k].positions = rows_from<float>(sweeps[k], name.c_str(), 3);
    source.names.push_back(name);
  }
  source.read = [&clouds](std::size_t k) { return std::move(clouds[k]); };
  if (times.is_none()) {
    for (std::size_t k = 0; k < count; ++k) source.times.push_back(0.1 * double(k));
  } else {
    source.times = values_from<double>(times, "times", py::ssize_t(count));
  }
  std::shared_ptr<io::SweepRegistration> registration;
  if (py::isinstance<py::str>(poses)) {
    const std::string how = poses.cast<std::string>();
    if (how != "icp" && how != "gicp")
      throw py::value_error("poses: a list of (4, 4) arrays, 'icp', 'gicp' or None");
    io::RegistrationOptions options;
    options.generalized = how == "gicp";
    registration = std::make_shared<io::SweepRegistration>(options);
    source.register_sweep = [registration](const std::vector<float>& points) {
      return registration->add(points);
    };
  } else if (!poses.is_none()) {
    const py::list list = poses.cast<py::list>();
    if (list.size() != count) {
      throw py::value_error("poses: " + std::to_string(list.size()) + " for " +
                            std::to_string(count) + " sweeps");
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::string name = "poses[" + std::to_string(k) + "]";
      source.poses.push_back(
          geometry::RigidTransform::from_matrix(matrix_from(list[k], name.c_str())));
    }
  }
  std::vector<std::vector<float>> given_flows;
  if (!flows.is_none()) {
    const py::list list = flows.cast<py::list>();
    if (list.size() + 1 != count) {
      throw py::value_error("flows: one (N, 3) array per sweep but the last is needed, got " +
                            std::to_string(list.size()));
    }
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string name = "flows[" + std::to_string(k) + "]";
      given_flows.push_back(rows_from<float>(list[k], name.c_str(), 3));
      if (given_flows.back().size() != clouds[k].positions.size())
        throw py::value_error(name + " must have as many rows as sweeps[" + std::to_string(k) +
                              "]");
    }
    source.read_flow = [&given_flows](std::size_t k, std::size_t) { return given_flows[k]; };
  }
  lidar::AccumulationOptions options;
  options.flow.method = method;
  options.flow.crop = crop;
  options.flow.remove_ground = remove_ground;
  options.flow.max_iterations = max_iterations;
  options.flow.seed = seed;
  if (span < 1) throw py::value_error("span must be at least 1");
  options.flow.rigid.span = span;
  if (window < 1) throw py::value_error("window must be at least 1");
  options.flow.sequence.window = window;
  options.flow.warm_start = warm_start;
  options.flow.check_method();  // refuses an unknown method before any work
  options.reference = reference;
  options.moving_speed = moving_speed;
  options.max_trajectories = max_trajectories;
  options.in_reference_frame = in_reference_frame;
  const Device device = parse_device(device_name);

  lidar::AccumulatedSequence s;
  {
    py::gil_scoped_release release;
    s = lidar::accumulate(source, options, device,
                          [&](std::string_view stage, double done, double total, std::string_view) {
                            check_interrupt();
                            if (progress) {
                              py::gil_scoped_acquire gil;
                              progress(std::string(stage), done, total);
                            }
                          });
  }
  py::dict out;
  out["reference"] = s.reference;
  out["times"] = s.times;
  py::list pose_list;
  for (const auto& pose : s.poses) {
    const std::array<double, 16> matrix = pose.matrix();
    pose_list.append(to_numpy(std::vector<double>(matrix.begin(), matrix.end()), {4, 4}));
  }
  out["poses"] = pose_list;
  py::list speeds, rows;
  for (auto& values : s.speeds) {
    const auto n = py::ssize_t(values.size());
    speeds.append(to_numpy(std::move(values), {n}));
  }
  for (auto& values : s.rows) {
    const auto n = py::ssize_t(values.size());
    rows.append(to_numpy(std::move(values), {n}));
  }
  out["speeds"] = speeds;
  out["rows"] = rows;
  out["sweeps"] = arrays_of(std::move(s.sweeps));
  out["carried"] = arrays_of(std::move(s.carried.at_reference));
  out["flows"] = arrays_of(std::move(s.flows));
  py::dict crispness;
  crispness["moving_points"] = s.crispness.moving_points;
  crispness["flow_mean"] = s.crispness.flow_mean;
  crispness["static_mean"] = s.crispness.static_mean;
  crispness["flow_median"] = s.crispness.flow_median;
  crispness["static_median"] = s.crispness.static_median;
  out["crispness"] = crispness;
  py::dict seconds;
  seconds["read"] = s.seconds.read;
  seconds["registration"] = s.seconds.registration;
  seconds["flow"] = s.seconds.flow;
  seconds["integration"] = s.seconds.integration;
  out["seconds"] = seconds;
  return out;
}

}  // namespace

void bind_accumulate(py::module_& m) {
  m.def("accumulate", &accumulate, py::arg("sweeps"), py::kw_only(), py::arg("poses") = py::none(),
        py::arg("times") = py::none(), py::arg("flows") = py::none(), py::arg("method") = "fast",
        py::arg("reference") = -1, py::arg("moving_speed") = 0.5f,
        py::arg("max_trajectories") = 5000, py::arg("in_reference_frame") = false,
        py::arg("crop") = py::none(), py::arg("remove_ground") = false,
        py::arg("max_iterations") = 5000, py::arg("seed") = 0, py::arg("span") = 1,
        py::arg("window") = 4, py::arg("warm_start") = false, py::arg("device") = "auto",
        py::arg("progress") = py::none(),
        R"(Lidar sweeps into one motion-compensated map, as `advect accumulate` does.

sweeps: list of (N_k, 3) arrays, each in its sensor frame (metres). poses: a list of (4, 4)
sensor-to-world transforms, "icp" / "gicp" (Open3D registration of consecutive sweeps), or None
(the sweeps already share one frame). times: seconds per sweep (default 0.1 s apart). flows:
optional world-frame flows to the next sweep (one (N_k, 3) array per sweep but the last) instead
of estimating them with `method` ("fast", "nsfp", "rigid" or "sequence"; rigid fits each sweep's
clusters to the next `span` sweeps, sequence fits each cluster's velocity to the `window` sweeps
on each side; warm_start: fast and nsfp start each pair's networks from the previous pair's).
reference: the sweep carried to (-1: the middle one).
Returns a dict: sweeps and carried (lists of (N_k', 3) arrays: points as seen, and moved to the
reference time), speeds (m/s), rows (kept rows of each sweep), flows, poses, times, reference,
crispness (mean / median distance of moving points to the reference sweep, with flow and with
poses only) and seconds per stage. progress(stage, done, total) reports each stage.)");
}

}  // namespace advect::python
