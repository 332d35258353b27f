// Radiance fields and the component model for Python: posed images read as `advect radiance`
// reads them (io/CameraFiles.h), a field trained and saved as `advect radiance train` does, views
// rendered from a model file, and neural/'s Trainer (a model from one JSON document) on arrays.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cmath>
#include <optional>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/SceneFiles.h"
#include "advect/neural/Trainer.h"
#include "advect/radiance/DynamicTraining.h"
#include "advect/radiance/ModelTraining.h"
#include "advect/radiance/RadianceFieldFile.h"

namespace advect::python {

namespace {

namespace fs = std::filesystem;

py::dict posed_images_dict(const io::PosedImageSet& set) {
  const radiance::PosedImages& p = set.images;
  const auto n = py::ssize_t(p.size());
  std::vector<float> intrinsics, poses;
  for (const radiance::PinholeCamera& c : p.cameras) {
    intrinsics.insert(intrinsics.end(), {c.fx, c.fy, c.cx, c.cy});
    poses.insert(poses.end(), c.camera_to_world, c.camera_to_world + 12);
  }
  py::dict out;
  out["images"] = to_numpy(std::vector<float>(p.rgba), {n, p.height, p.width, 4});
  out["intrinsics"] = to_numpy(std::move(intrinsics), {n, 4});
  out["camera_to_world"] = to_numpy(std::move(poses), {n, 3, 4});
  out["names"] = p.names;
  out["depth"] = p.depth.empty()
                     ? py::object(py::none())
                     : py::object(to_numpy(std::vector<float>(p.depth), {n, p.height, p.width}));
  out["source"] = set.source.string();
  return out;
}

// A (3, 4) or (4, 4) camera-to-world matrix (OpenGL convention) with the intrinsics.
radiance::PinholeCamera camera_from(const py::handle& matrix, int width, int height, double fx,
                                    std::optional<double> fy, std::optional<double> cx,
                                    std::optional<double> cy) {
  py::array a = py::array::ensure(matrix);
  if (!a || a.ndim() != 2 || a.shape(1) != 4 || (a.shape(0) != 3 && a.shape(0) != 4)) {
    throw py::value_error("camera_to_world must have shape (3, 4) or (4, 4)");
  }
  const std::vector<float> rows = rows_from<float>(a, "camera_to_world", 4, 3);
  if (width < 1 || height < 1) throw py::value_error("width and height must be positive");
  radiance::PinholeCamera camera;
  camera.width = width;
  camera.height = height;
  camera.fx = float(fx);
  camera.fy = float(fy.value_or(fx));
  camera.cx = float(cx.value_or(0.5 * width));
  camera.cy = float(cy.value_or(0.5 * height));
  if (!(camera.fx > 0.0f) || !(camera.fy > 0.0f)) throw py::value_error("fx, fy must be positive");
  std::copy(rows.begin(), rows.begin() + 12, camera.camera_to_world);
  return camera;
}

py::dict train_radiance(const fs::path& scene, const fs::path& output, double seconds,
                        std::optional<std::int64_t> steps,
                        std::optional<std::int64_t> samples_per_step, const py::object& config,
                        const std::string& model, bool lidar, std::uint64_t seed,
                        const std::string& device_name) {
  const Device device = parse_device(device_name);
  const radiance::ModelKind kind = radiance::model_kind_from(model);  // ValueError in Python
  const io::PosedImageSet set = io::read_posed_images(scene, "train");
  nlohmann::json document = config.is_none() ? nlohmann::json::object() : to_json(config);
  // The command's defaults (`advect radiance train --help`).
  radiance::TrainingOptions options = radiance::training_defaults(kind);
  if (!(seconds > 0.0)) throw py::value_error("seconds must be positive");
  options.max_seconds = seconds;
  if (steps) {
    if (*steps < 1) throw py::value_error("steps must be positive");
    options.max_steps = *steps;
  }
  options.samples_per_step = samples_per_step.value_or(options.samples_per_step);
  if (options.samples_per_step < 1024) {
    throw py::value_error("samples_per_step must be at least 1024");
  }
  options.seed = seed;
  options.lidar_loss = radiance::LidarLoss::take_from(document);
  if (lidar) options.lidar = io::read_required_scene_lidar(set.source);
  options.on_step = [](const radiance::TrainingReport&) { check_interrupt(); };
  radiance::TrainedModel trained;
  {
    py::gil_scoped_release release;
    trained = radiance::train_model(kind, document, set.images, set.source.string(), options,
                                    device, seed);
  }
  io::write_file_bytes(output, trained.bytes);
  return from_json(trained.record);
}

py::dict render_radiance(const fs::path& model_path, const py::handle& camera_to_world, int width,
                         int height, double fx, std::optional<double> fy, std::optional<double> cx,
                         std::optional<double> cy, std::optional<float> time,
                         const std::vector<float>& background, const std::string& device_name) {
  if (background.size() != 3 || !std::all_of(background.begin(), background.end(),
                                             [](float c) { return c >= 0 && c <= 1; })) {
    throw py::value_error("background must be 3 values in [0, 1]");
  }
  const radiance::PinholeCamera camera =
      camera_from(camera_to_world, width, height, fx, fy, cx, cy);
  const auto model = radiance::from_bytes(io::read_file_bytes(model_path), model_path.string(),
                                          parse_device(device_name));
  if (time && !(*time >= 0.0f && *time <= 1.0f)) throw py::value_error("time must be in [0, 1]");
  if (time && !model.dynamic) throw py::value_error("time applies to a dynamic model");
  py::dict out;
  radiance::RenderedImage image;
  if (model.dynamic) {
    radiance::DynamicRenderedImage dynamic;
    {
      py::gil_scoped_release release;
      dynamic = radiance::render(*model.dynamic, camera, time.value_or(0.0f), background.data());
    }
    out["static_rgb"] = to_numpy(std::move(dynamic.static_rgb), {height, width, 3});
    out["dynamic_rgb"] = to_numpy(std::move(dynamic.dynamic_rgb), {height, width, 3});
    out["dynamic_share"] = to_numpy(std::move(dynamic.dynamic_share), {height, width});
    out["flow"] = to_numpy(std::move(dynamic.flow), {height, width, 3});
    image = std::move(dynamic);
  } else {
    py::gil_scoped_release release;
    image = radiance::render(*model.field, camera, background.data());
  }
  out["rgb"] = to_numpy(std::move(image.rgb), {height, width, 3});
  out["depth"] = to_numpy(std::move(image.depth), {height, width});
  out["opacity"] = to_numpy(std::move(image.opacity), {height, width});
  return out;
}

py::dict query_radiance(const fs::path& model_path, const py::handle& points, float time,
                        const std::string& device_name) {
  const std::vector<float> xyz = rows_from<float>(points, "points", 3);
  if (!(time >= 0.0f && time <= 1.0f)) throw py::value_error("time must be in [0, 1]");
  const auto model = radiance::from_bytes(io::read_file_bytes(model_path), model_path.string(),
                                          parse_device(device_name));
  if (!model.dynamic) throw py::value_error(model_path.string() + " is a static model: no flow");
  radiance::FieldAtPoints at;
  {
    py::gil_scoped_release release;
    at = radiance::query_points(*model.dynamic, xyz, time);
  }
  std::vector<float> scene_flow = at.scene_flow();
  const auto n = py::ssize_t(xyz.size() / 3);
  py::dict out;
  out["scene_flow"] = to_numpy(std::move(scene_flow), {n, 3});
  out["flow"] = to_numpy(std::move(at.flow), {n, 6});
  out["static_density"] = to_numpy(std::move(at.static_density), {n});
  out["dynamic_density"] = to_numpy(std::move(at.dynamic_density), {n});
  return out;
}

// Rows of `array` (N, width) as a buffer on the trainer's device.
Buffer<float> device_rows(const py::handle& array, const char* name, int width,
                          const Device& device, py::ssize_t rows = -1) {
  const std::vector<float> values = rows_from<float>(array, name, width);
  if (rows >= 0 && py::ssize_t(values.size()) != rows * width) {
    throw py::value_error(std::string(name) + " must have " + std::to_string(rows) + " rows");
  }
  return Buffer<float>::from_host(values, device);
}

}  // namespace

void bind_radiance(py::module_& m) {
  m.def(
      "read_posed_images",
      [](const fs::path& scene, const std::string& split) {
        return posed_images_dict(io::read_posed_images(scene, split));
      },
      py::arg("scene"), py::arg("split") = "train",
      "The posed images of a scene as `advect radiance` reads them (a transforms.json, a folder "
      "with transforms_{split}.json / transforms.json, or a COLMAP text model): images (N, H, W, "
      "4) RGBA in [0, 1], intrinsics (N, 4) fx, fy, cx, cy in pixels, camera_to_world (N, 3, 4) "
      "(OpenGL convention), names, depth (N, H, W) or None, and the camera file read.");
  m.def("train_radiance", &train_radiance, py::arg("scene"), py::arg("output"), py::kw_only(),
        py::arg("seconds") = 300.0, py::arg("steps") = py::none(),
        py::arg("samples_per_step") = py::none(), py::arg("config") = py::none(),
        py::arg("model") = "static", py::arg("lidar") = false, py::arg("seed") = 0,
        py::arg("device") = "auto",
        "Trains a radiance field on the scene's training images (as `advect radiance train`): "
        "model 'static', 'dynamic' (static + dynamic + flow fields over the frames' times, "
        "config a DynamicField document) or 'dynamic-ode' (the flow as a velocity field "
        "integrated between times); with `lidar` the scene's lidar returns of the training "
        "steps supervise the depth (weights in config's \"lidar\"; IoError where the scene has "
        "none); writes the model file and returns the training report.");
  m.def("render_radiance", &render_radiance, py::arg("model"), py::arg("camera_to_world"),
        py::kw_only(), py::arg("width"), py::arg("height"), py::arg("fx"),
        py::arg("fy") = py::none(), py::arg("cx") = py::none(), py::arg("cy") = py::none(),
        py::arg("time") = py::none(), py::arg("background") = std::vector<float>{1.0f, 1.0f, 1.0f},
        py::arg("device") = "auto",
        "Renders a model file's view from a pinhole camera: rgb (H, W, 3), depth (H, W, world "
        "units along the ray), opacity (H, W); a dynamic model at normalised `time` (default 0) "
        "also gives static_rgb, dynamic_rgb (H, W, 3: each branch alone), dynamic_share (H, W) "
        "and flow (H, W, 3: forward scene flow, world units per frame).");

  m.def("query_radiance", &query_radiance, py::arg("model"), py::arg("points"), py::kw_only(),
        py::arg("time"), py::arg("device") = "auto",
        "A dynamic model's fields at world points (N, 3) at normalised `time`: scene_flow (N, 3: "
        "the forward flow where the dynamic density exceeds the static one, else 0, as `advect "
        "radiance eval` and `advect sceneflow compare` score it), flow (N, 6: the flow field's "
        "forward then backward displacement, world units per frame, unmasked), static_density "
        "and dynamic_density (N, 1 / world units).");
  py::class_<neural::Trainer>(
      m, "Trainer",
      "A neural model, its loss and its optimiser from one JSON document (tiny-cuda-nn's keys): "
      "{'encoding': {'otype': 'HashGrid' | 'Frequency' | 'SphericalHarmonics' | 'Identity', ...}, "
      "'network': {'otype': 'FullyFusedMLP', ...}, 'loss': {'otype': 'L2' | 'L1' | 'RelativeL2' | "
      "'Huber'}, 'optimizer': {'otype': 'Adam' | 'ExponentialDecay', ...}}.")
      .def(py::init([](const py::object& config, int n_input_dims, int n_output_dims,
                       const std::string& device, std::uint64_t seed) {
             if (n_input_dims < 1 || n_output_dims < 1) {
               throw py::value_error("n_input_dims and n_output_dims must be positive");
             }
             return std::make_unique<neural::Trainer>(to_json(config), n_input_dims, n_output_dims,
                                                      parse_device(device), seed);
           }),
           py::arg("config"), py::arg("n_input_dims"), py::arg("n_output_dims"), py::kw_only(),
           py::arg("device") = "auto", py::arg("seed") = 0)
      .def(
          "step",
          [](neural::Trainer& t, const py::handle& inputs, const py::handle& targets) {
            const Device& device = t.model().device();
            const Buffer<float> x = device_rows(inputs, "inputs", t.model().input_dims(), device);
            const auto n = py::ssize_t(x.size()) / t.model().input_dims();
            const Buffer<float> y =
                device_rows(targets, "targets", t.model().output_dims(), device, n);
            py::gil_scoped_release release;
            return t.step(x.data(), y.data(), n);
          },
          py::arg("inputs"), py::arg("targets"),
          "One optimiser step on a batch: inputs (N, n_input_dims), targets (N, n_output_dims). "
          "Returns the batch's loss before the step.")
      .def(
          "predict",
          [](neural::Trainer& t, const py::handle& inputs) {
            const Device& device = t.model().device();
            const int out = t.model().output_dims();
            const Buffer<float> x = device_rows(inputs, "inputs", t.model().input_dims(), device);
            const auto n = py::ssize_t(x.size()) / t.model().input_dims();
            Buffer<float> y(std::size_t(n * out), device);
            {
              py::gil_scoped_release release;
              t.predict(x.data(), n, y.data());
            }
            return to_numpy(y.to_host(), {n, out});
          },
          py::arg("inputs"), "The model's outputs (N, n_output_dims) for inputs (N, n_input_dims).")
      .def_property_readonly("parameter_count",
                             [](neural::Trainer& t) { return t.model().parameter_count(); })
      .def_property_readonly("steps", [](neural::Trainer& t) { return t.optimizer().steps(); })
      .def_property_readonly("learning_rate",
                             [](neural::Trainer& t) { return t.optimizer().learning_rate(); })
      .def_property_readonly("config",
                             [](const neural::Trainer& t) { return from_json(t.config()); })
      .def_property_readonly(
          "parameters",
          [](neural::Trainer& t) {
            return to_numpy(t.model().parameters().to_host(), {t.model().parameter_count()});
          },
          "All parameters, one buffer: the network's, then the encoding's.");
}

}  // namespace advect::python
