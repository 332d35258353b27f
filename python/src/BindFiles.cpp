// Files: point clouds in every format io/ reads, scene-flow pairs, poses and sweep times.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/io/KittiPoses.h"
#include "advect/io/PointCloudIO.h"
#include "advect/io/SceneFlowData.h"
#include "advect/io/SweepSequence.h"

namespace advect::python {

namespace fs = std::filesystem;

namespace {

py::array_t<double> matrix_to_numpy(const geometry::RigidTransform& pose) {
  const std::array<double, 16> m = pose.matrix();
  return to_numpy(std::vector<double>(m.begin(), m.end()), {4, 4});
}

py::dict cloud_scalars(geometry::PointCloud& cloud) {
  py::dict scalars;
  for (auto& [name, values] : cloud.scalars) {
    const auto n = py::ssize_t(values.size());
    scalars[py::str(name)] = to_numpy(std::move(values), {n});
  }
  return scalars;
}

py::tuple read_cloud(const fs::path& path) {
  geometry::PointCloud cloud = [&] {
    py::gil_scoped_release release;
    return io::read_point_cloud(path);
  }();
  const auto n = py::ssize_t(cloud.size());
  py::dict scalars = cloud_scalars(cloud);
  return py::make_tuple(to_numpy(std::move(cloud.positions), {n, 3}), scalars);
}

void write_cloud(const fs::path& path, const py::handle& points, const py::dict& scalars) {
  geometry::PointCloud cloud;
  cloud.positions = rows_from<float>(points, "points", 3);
  for (const auto& [key, values] : scalars) {
    const std::string name = py::str(key);
    cloud.scalars[name] =
        values_from<float>(values, ("scalars['" + name + "']").c_str(), py::ssize_t(cloud.size()));
  }
  py::gil_scoped_release release;
  io::write_point_cloud(path, cloud);
}

py::dict read_pair(const fs::path& source, const std::optional<fs::path>& target,
                   const std::optional<fs::path>& flow) {
  geometry::SceneFlowPair pair = [&] {
    py::gil_scoped_release release;
    return target ? io::read_scene_flow_files(source, *target, flow)
                  : io::read_scene_flow_npz(source);
  }();
  py::dict out;
  out["name"] = pair.name;
  const auto n = py::ssize_t(pair.source.size()), m = py::ssize_t(pair.target.size());
  out["pc1"] = to_numpy(std::move(pair.source.positions), {n, 3});
  out["pc2"] = to_numpy(std::move(pair.target.positions), {m, 3});
  out["flow"] = pair.flow.empty() ? py::object(py::none())
                                  : py::object(to_numpy(std::move(pair.flow), {n, 3}));
  out["mask"] =
      pair.mask.empty() ? py::object(py::none()) : py::object(to_numpy(std::move(pair.mask), {n}));
  out["classes"] = pair.classes.empty() ? py::object(py::none())
                                        : py::object(to_numpy(std::move(pair.classes), {n}));
  out["taxonomy"] = std::string(geometry::taxonomy_name(pair.taxonomy));
  out["ego_motion"] =
      pair.ego_motion ? py::object(matrix_to_numpy(*pair.ego_motion)) : py::object(py::none());
  return out;
}

py::list read_pose_list(const fs::path& path) {
  const std::vector<geometry::RigidTransform> poses = io::read_poses(path);
  py::list out;
  for (const auto& pose : poses) out.append(matrix_to_numpy(pose));
  return out;
}

void write_pose_list(const fs::path& path, const py::list& poses) {
  std::vector<geometry::RigidTransform> transforms;
  for (std::size_t k = 0; k < poses.size(); ++k) {
    const std::string name = "poses[" + std::to_string(k) + "]";
    transforms.push_back(
        geometry::RigidTransform::from_matrix(matrix_from(poses[k], name.c_str())));
  }
  io::write_kitti_poses(path, transforms);
}

}  // namespace

void bind_files(py::module_& m) {
  m.def("read_point_cloud", &read_cloud, py::arg("path"),
        "Reads .ply .pcd .xyz .bin (KITTI) or .npy: ((N, 3) float32 positions in metres, dict of "
        "per-point scalars such as 'intensity'). IoError names the file for bad input.");
  m.def("write_point_cloud", &write_cloud, py::arg("path"), py::arg("points"),
        py::arg("scalars") = py::dict(),
        "Writes (N, 3) points (and (N,) scalars) as .ply .pcd .xyz or .npy, atomically.");
  m.def("read_scene_flow_pair", &read_pair, py::arg("source"), py::arg("target") = py::none(),
        py::arg("flow") = py::none(),
        "A scene-flow pair: one .npz (pc1, pc2, flow, mask, classes, ego_motion) or two cloud "
        "files and an optional flow file. Returns a dict; missing entries are None.");
  m.def("read_poses", &read_pose_list, py::arg("path"),
        "Sensor-to-world poses from a KITTI poses.txt or a folder of 4 x 4 .npy: a list of "
        "(4, 4) float64 arrays. IoError for a non-rigid pose.");
  m.def("write_kitti_poses", &write_pose_list, py::arg("path"), py::arg("poses"),
        "Writes (4, 4) poses as KITTI poses.txt lines (exact round trip), atomically.");
  m.def("read_timestamps", &io::read_timestamps, py::arg("path"),
        "Sweep times in seconds, one per line (KITTI times.txt), strictly increasing.");
  m.def(
      "list_sweeps",
      [](const std::string& directory_or_pattern) {
        std::vector<std::string> out;
        for (const fs::path& path : io::list_sweeps(directory_or_pattern)) out.push_back(path);
        return out;
      },
      py::arg("directory_or_pattern"),
      "The sweep files of a directory or a glob pattern, in name order.");
}

}  // namespace advect::python
