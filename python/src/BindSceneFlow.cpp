// Scene flow between two sweeps (lidar::estimate_flow, as `advect sceneflow estimate` runs it), the
// metrics on arrays, and several methods compared on a dataset's pairs (lidar::compare_methods, as
// `advect sceneflow compare` runs it).
#include <pybind11/functional.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/SceneFiles.h"
#include "advect/io/SceneFlowData.h"
#include "advect/lidar/MethodComparison.h"
#include "advect/lidar/SceneFlowPipeline.h"
#include "advect/radiance/DynamicTraining.h"
#include "advect/radiance/RadianceFieldFile.h"

namespace advect::python {

namespace {

geometry::SceneFlowPair pair_from(const py::handle& pc1, const py::handle& pc2,
                                  const py::object& flow, const py::object& mask,
                                  const py::object& classes, const py::object& ego_motion) {
  geometry::SceneFlowPair pair;
  pair.name = "pc1";
  pair.source.positions = rows_from<float>(pc1, "pc1", 3);
  pair.target.positions = rows_from<float>(pc2, "pc2", 3);
  const auto n = py::ssize_t(pair.source.size());
  if (!flow.is_none()) {
    pair.flow = rows_from<float>(flow, "flow", 3);
    if (py::ssize_t(pair.flow.size()) != 3 * n)
      throw py::value_error("flow must have as many rows as pc1 (" + std::to_string(n) + ")");
  }
  if (!mask.is_none()) pair.mask = values_from<std::uint8_t>(mask, "mask", n);
  if (!classes.is_none()) pair.classes = values_from<std::uint8_t>(classes, "classes", n);
  if (!ego_motion.is_none()) {
    pair.ego_motion = geometry::RigidTransform::from_matrix(matrix_from(ego_motion, "ego_motion"));
  }
  return pair;
}

py::dict errors_dict(const geometry::FlowErrors& e) {
  py::dict out;
  out["epe3d"] = e.epe3d;
  out["acc3d_strict"] = e.acc3ds;
  out["acc3d_relax"] = e.acc3dr;
  out["outliers"] = e.outliers;
  out["angle_error"] = e.angle;
  out["points"] = e.points;
  return out;
}

py::dict accuracy_dict(const lidar::FlowAccuracy& accuracy) {
  py::dict out = errors_dict(accuracy.errors);
  if (accuracy.threeway) {
    const geometry::ThreewayEpe& t = *accuracy.threeway;
    py::dict threeway;
    threeway["background_static"] = t.background_static;
    threeway["foreground_static"] = t.foreground_static;
    threeway["foreground_dynamic"] = t.foreground_dynamic;
    threeway["mean"] = t.threeway;
    threeway["counts"] = py::make_tuple(t.counts[0], t.counts[1], t.counts[2]);
    out["threeway"] = threeway;
  }
  if (accuracy.bucketed) {
    const geometry::BucketedEpe& b = *accuracy.bucketed;
    py::dict bucketed, classes;
    bucketed["mean_dynamic_normalized"] = b.mean_dynamic_normalized();
    bucketed["mean_static_epe"] = b.mean_static_epe();
    for (int c = 0; c < geometry::kMetaClasses; ++c) {
      const geometry::ClassBucketScore score = b.score(geometry::MetaClass(c));
      py::dict entry;
      entry["static_epe"] = score.static_epe;
      entry["dynamic_normalized"] = score.dynamic_normalized;
      entry["static_points"] = score.static_points;
      entry["dynamic_points"] = score.dynamic_points;
      classes[py::str(std::string(geometry::kMetaClassNames[std::size_t(c)]))] = entry;
    }
    bucketed["classes"] = classes;
    out["bucketed"] = bucketed;
  }
  return out;
}

py::tuple scene_flow(const py::handle& pc1, const py::handle& pc2, const std::string& method,
                     std::optional<std::int64_t> points, int max_iterations,
                     std::optional<int> patience, std::optional<float> min_delta,
                     std::optional<float> learning_rate, std::optional<std::int64_t> batch,
                     std::optional<float> crop, bool remove_ground, const py::object& ego_motion,
                     bool ego_compensation, std::uint64_t seed, const std::string& precision,
                     const py::object& initial_parameters, const std::string& device_name,
                     const std::function<void(int, int)>& progress) {
  lidar::SceneFlowSettings settings;
  settings.method = method;
  settings.points = points;
  settings.max_iterations = max_iterations;
  settings.patience = patience;
  settings.min_delta = min_delta;
  settings.learning_rate = learning_rate;
  settings.batch = batch;
  settings.crop = crop;
  settings.remove_ground = remove_ground;
  settings.ego_compensation = ego_compensation;
  settings.seed = seed;
  settings.precision = precision;
  settings.check_method();  // refuses an unknown method before any work
  if (max_iterations < 1) throw py::value_error("max_iterations must be at least 1");
  if (points && *points < 16) throw py::value_error("points must be at least 16");
  const Device device = parse_device(device_name);
  std::vector<float> start;
  if (!initial_parameters.is_none()) {
    if (!settings.is_neural())
      throw py::value_error("initial_parameters: the " + method + " method has no networks");
    start = values_from<float>(initial_parameters, "initial_parameters");
  }
  geometry::SceneFlowPair pair =
      pair_from(pc1, pc2, py::none(), py::none(), py::none(), ego_motion);
  lidar::PreparedPair prepared;
  lidar::FlowEstimate estimate;
  {
    py::gil_scoped_release release;
    prepared = lidar::prepare_pair(std::move(pair), settings, device);
    estimate = lidar::estimate_flow(
        prepared.pair, settings, device,
        [&](int k) {
          check_interrupt();
          if (progress) {
            py::gil_scoped_acquire gil;
            progress(k, max_iterations);
          }
        },
        std::move(start));
  }
  py::dict info;
  info["method"] = method;
  info["device"] = device.name();
  info["iterations"] = estimate.iterations;
  info["loss"] = estimate.loss;
  info["seconds"] = estimate.seconds;
  info["fitted_points"] =
      py::make_tuple(estimate.fitted_source_points, estimate.fitted_target_points);
  info["ego_compensated"] = estimate.ego_compensated;
  if (!settings.is_neural()) {
    info["clusters"] = estimate.clusters;
    info["moving_clusters"] = estimate.moving_clusters;
    info["moving_points"] = estimate.moving_points;
  } else {
    const auto count = py::ssize_t(estimate.parameters.size());
    info["parameters"] = to_numpy(std::move(estimate.parameters), {count});
  }
  const auto n = py::ssize_t(prepared.pair.source.size());
  info["indices"] = prepared.kept.empty() ? py::object(py::none())
                                          : py::object(to_numpy(std::move(prepared.kept), {n}));
  return py::make_tuple(to_numpy(std::move(estimate.flow), {n, 3}), info);
}

py::list compare_scene_flow(const std::filesystem::path& dataset,
                            const std::vector<std::string>& methods,
                            const std::optional<std::filesystem::path>& radiance_model,
                            const std::optional<std::filesystem::path>& scene,
                            std::optional<std::int64_t> points, std::uint64_t seed,
                            const std::string& device_name) {
  const Device device = parse_device(device_name);
  lidar::SceneFlowSettings settings;
  settings.points = points;
  settings.seed = seed;
  if (points && *points < 16) throw py::value_error("points must be at least 16");
  const io::ScoredPairs data = io::read_scored_pairs(dataset);
  std::vector<lidar::FlowSource> sources;
  std::optional<radiance::LoadedRadianceField> model;
  if (radiance_model) {
    model = radiance::from_bytes(io::read_file_bytes(*radiance_model), radiance_model->string(),
                                 device);
    if (!model->dynamic) {
      throw py::value_error(radiance_model->string() + " is a static model: no flow");
    }
    const std::filesystem::path folder =
        scene.value_or(std::filesystem::absolute(dataset).lexically_normal().parent_path());
    const std::vector<float> times = io::read_pair_times(data.files, folder / "transforms.json");
    sources.push_back(
        {"radiance flow field", [&data, times, field = model->dynamic.get()](std::size_t k) {
           return radiance::scene_flow_at(*field, data.pairs[k].source.positions, times[k]);
         }});
  }
  std::vector<lidar::MethodScore> scores;
  {
    py::gil_scoped_release release;  // its std::invalid_argument reaches Python as ValueError
    scores = lidar::compare_methods(data.pairs, methods, settings, device, sources,
                                    [] { check_interrupt(); });
  }
  py::list rows;
  for (const lidar::MethodScore& s : scores) {
    py::dict row;
    row["method"] = s.name;
    row["all"] = errors_dict(s.all.mean());
    row["movers"] = errors_dict(s.movers.mean());
    row["seconds"] = s.seconds;
    rows.append(row);
  }
  return rows;
}

}  // namespace

void bind_scene_flow(py::module_& m) {
  m.def("scene_flow", &scene_flow, py::arg("pc1"), py::arg("pc2"), py::arg("method") = "fast",
        py::kw_only(), py::arg("points") = py::none(), py::arg("max_iterations") = 5000,
        py::arg("patience") = py::none(), py::arg("min_delta") = py::none(),
        py::arg("lr") = py::none(), py::arg("batch") = py::none(), py::arg("crop") = py::none(),
        py::arg("remove_ground") = false, py::arg("ego_motion") = py::none(),
        py::arg("ego_compensation") = true, py::arg("seed") = 0, py::arg("precision") = "fp32",
        py::arg("initial_parameters") = py::none(), py::arg("device") = "auto",
        py::arg("progress") = py::none(),
        R"(Per-point motion from sweep pc1 to sweep pc2 ((N, 3) and (M, 3) arrays, metres).

method: "fast" (distance-transform loss, FastNSF) or "nsfp" (Chamfer + cycle, NSFP).
Returns (flow, info): flow is (N', 3) float32 at every point of pc1 that survives crop and
ground removal (info["indices"] gives their rows, None when all survive); info holds iterations,
loss, seconds, device. ego_motion (4, 4) maps pc1's sensor frame to pc2's: the fit then covers
the motion beyond it and the flow includes it. precision "bf16" rounds the networks' matrix
product inputs to bfloat16 (AVX512-BF16 or a GPU; ValueError where neither).
nsfp, fast: info["parameters"] holds the fitted networks' parameters (1-D float32); passed as
initial_parameters to the next pair's fit (same method and settings) they warm-start it, as
NSFP's own code runs a sequence (ValueError for a count that does not fit the networks).
progress(iteration, max_iterations) is called during the fit; Ctrl-C stops it with
KeyboardInterrupt.)");
  m.def("compare_scene_flow", &compare_scene_flow, py::arg("dataset"), py::kw_only(),
        py::arg("methods") = std::vector<std::string>{"nsfp", "fast"},
        py::arg("radiance") = py::none(), py::arg("scene") = py::none(),
        py::arg("points") = py::none(), py::arg("seed") = 0, py::arg("device") = "auto",
        "Several methods on the same pairs, as `advect sceneflow compare` runs them: each of "
        "`methods` ('nsfp', 'fast', 'rigid', 'sequence': the pairs fitted as one sequence) on "
        "every .npz pair of `dataset` (a folder or one file, each with its 'flow'), then, with "
        "`radiance` (a dynamic model file), its flow field at each pair's time (pairs named "
        "pair_T.npz, times from `scene`'s transforms.json; default the dataset's parent "
        "folder). Returns one dict per row: method, all and movers (the metrics of "
        "evaluate_flow pooled over the pairs' points; movers: class 1, as `advect radiance "
        "scene` labels its pairs), seconds.");
  m.def(
      "evaluate_flow",
      [](const py::handle& pc1, const py::handle& flow, const py::handle& truth,
         const py::object& mask, const py::object& classes, const py::object& ego_motion,
         const std::string& taxonomy) {
        geometry::SceneFlowPair pair = pair_from(
            pc1, pc1, py::reinterpret_borrow<py::object>(truth), mask, classes, ego_motion);
        const auto scheme = geometry::taxonomy_from_name(taxonomy);
        if (!scheme)
          throw py::value_error("taxonomy must be 'argoverse2' or 'pandaset', not '" + taxonomy +
                                "'");
        pair.taxonomy = *scheme;
        const std::vector<float> predicted = rows_from<float>(flow, "flow", 3);
        if (predicted.size() != pair.flow.size())
          throw py::value_error("flow and truth must have the same shape");
        return accuracy_dict(lidar::evaluate_flow(pair, predicted));
      },
      py::arg("pc1"), py::arg("flow"), py::arg("truth"), py::kw_only(),
      py::arg("mask") = py::none(), py::arg("classes") = py::none(),
      py::arg("ego_motion") = py::none(), py::arg("taxonomy") = "argoverse2",
      "Scores a flow against the truth as `advect sceneflow eval` does: EPE3D, Acc3D strict and "
      "relaxed, outliers, angle error at the masked points, and with classes and ego_motion the "
      "Argoverse 2 three-way EPE (35 m box) and the 2024 ranking's bucketed normalized EPE "
      "('bucketed': per meta class static EPE and dynamic normalized EPE, their means). classes "
      "are av2-api CATEGORY_MAP ids (taxonomy 'argoverse2') or PandaSet semseg ids ('pandaset').");
}

}  // namespace advect::python
