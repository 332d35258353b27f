// Flow surrogates for Python: CFDBench-layout data made (fluids/Dataset.h) and read
// (io/CfdBench.h), the surrogate trained, saved, loaded, asked for the field anywhere, and scored
// against the observation-only baselines as `advect surrogate eval` scores it.
#include <pybind11/functional.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/fluids/Dataset.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CfdBench.h"
#include "advect/neural/FlowSurrogate.h"
#include "advect/neural/SurrogateEvaluation.h"

namespace advect::python {

namespace {

// A (cases, T, H, W) array as the surrogate's trajectories and their shape.
std::vector<std::vector<float>> trajectories_from(const py::handle& object,
                                                  neural::SequenceShape& shape) {
  py::array a = py::array::ensure(object);
  if (!a || a.ndim() != 4 || a.shape(0) < 1) {
    throw py::value_error("trajectories must have shape (cases, T, H, W)");
  }
  shape = {int(a.shape(1)), int(a.shape(2)), int(a.shape(3)), 1};
  const py::ssize_t per_case = a.shape(1) * a.shape(2) * a.shape(3);
  // One case at a time (a view each): the values are copied once, not twice.
  std::vector<std::vector<float>> out;
  for (py::ssize_t c = 0; c < a.shape(0); ++c) {
    py::array one_case = a[py::int_(c)];
    const std::string name = "trajectories[" + std::to_string(c) + "]";
    out.push_back(
        rows_from<float>(one_case.reshape({py::ssize_t(1), per_case}), name.c_str(), per_case));
  }
  return out;
}

// Observations as a list of (time, points (N, 2), values (N,)).
std::vector<neural::ObservedFrame> frames_from(const py::list& observations) {
  std::vector<neural::ObservedFrame> frames;
  for (std::size_t k = 0; k < observations.size(); ++k) {
    const std::string name = "observations[" + std::to_string(k) + "]";
    const py::tuple entry = observations[k].cast<py::tuple>();
    if (entry.size() != 3) throw py::value_error(name + " must be (time, points, values)");
    neural::ObservedFrame frame;
    frame.time = entry[0].cast<double>();
    frame.points = rows_from<double>(entry[1], (name + " points").c_str(), 2);
    frame.values = values_from<float>(entry[2], (name + " values").c_str(),
                                      py::ssize_t(frame.points.size() / 2));
    frames.push_back(std::move(frame));
  }
  return frames;
}

py::list frames_to_list(std::vector<neural::ObservedFrame>&& frames) {
  py::list out;
  for (auto& frame : frames) {
    const auto n = py::ssize_t(frame.values.size());
    out.append(py::make_tuple(frame.time, to_numpy(std::move(frame.points), {n, 2}),
                              to_numpy(std::move(frame.values), {n})));
  }
  return out;
}

fluids::DatasetProblem problem_of(const std::string& name) {
  if (name == "cavity") return fluids::DatasetProblem::cavity;
  if (name == "cylinder") return fluids::DatasetProblem::cylinder;
  if (name == "vorticity") return fluids::DatasetProblem::vorticity;
  throw py::value_error("problem must be 'cavity', 'cylinder' or 'vorticity', got '" + name + "'");
}

fluids::ValueRange range_from(const py::handle& object, const char* name) {
  if (py::isinstance<py::float_>(object) || py::isinstance<py::int_>(object)) {
    const double value = object.cast<double>();
    return {value, value};
  }
  const std::vector<double> pair = object.cast<std::vector<double>>();
  if (pair.size() != 2) throw py::value_error(std::string(name) + ": a number or (low, high)");
  return {pair[0], pair[1]};
}

py::dict dataset_case(const std::string& problem, int k, const std::string& device,
                      const py::kwargs& options) {
  fluids::DatasetOptions o = fluids::dataset_defaults(problem_of(problem));
  for (const auto& [key, value] : options) {
    const std::string name = py::str(key);
    if (name == "cells")
      o.cells = value.cast<int>();
    else if (name == "size")
      o.size = value.cast<int>();
    else if (name == "frames")
      o.frames = value.cast<int>();
    else if (name == "interval")
      o.interval = value.cast<double>();
    else if (name == "spin_up")
      o.spin_up = value.cast<double>();
    else if (name == "seed")
      o.seed = value.cast<std::uint64_t>();
    else if (name == "precision") {
      const std::string text = value.cast<std::string>();
      if (text != "double" && text != "float")
        throw py::value_error("precision must be 'double' or 'float'");
      o.precision = text == "float" ? fluids::Precision::float32 : fluids::Precision::float64;
    } else if (name == "lid")
      o.lid = range_from(value, "lid");
    else if (name == "inflow")
      o.inflow = range_from(value, "inflow");
    else if (name == "radius")
      o.radius = range_from(value, "radius");
    else if (name == "centre_x")
      o.centre_x = range_from(value, "centre_x");
    else if (name == "centre_y")
      o.centre_y = range_from(value, "centre_y");
    else if (name == "density")
      o.density = range_from(value, "density");
    else if (name == "viscosity")
      o.viscosity = range_from(value, "viscosity");
    else
      throw py::type_error("dataset_case: unknown option '" + name + "'");
  }
  if (const auto problem_found = fluids::find_dataset_problem(o)) {
    throw py::value_error(problem_found->option + ": " + problem_found->message);
  }
  const Device chosen = parse_device(device);
  fluids::DatasetCase made = [&] {
    py::gil_scoped_release release;
    return fluids::make_dataset_case(o, k, chosen);
  }();
  py::dict fields;
  for (auto& [name, values] : made.fields) {
    const auto frames = py::ssize_t(values.size() / (made.height * made.width));
    fields[py::str(name)] =
        to_numpy(std::move(values), {frames, py::ssize_t(made.height), py::ssize_t(made.width)});
  }
  py::dict out;
  out["fields"] = fields;
  out["metadata"] = from_json(made.metadata);
  return out;
}

py::dict read_cases(const std::filesystem::path& directory, const std::string& field,
                    const std::string& split, double test_fraction, int max_frames) {
  const io::CaseSplit which = split == "train"  ? io::CaseSplit::train
                              : split == "test" ? io::CaseSplit::test
                              : split == "all"  ? io::CaseSplit::all
                                               : throw py::value_error("split: train, test or all");
  io::CfdBenchCases cases = [&] {
    py::gil_scoped_release release;
    return io::read_cfdbench_cases(directory, field, which, test_fraction, max_frames);
  }();
  std::vector<float> all;
  for (const auto& sequence : cases.sequences)
    all.insert(all.end(), sequence.begin(), sequence.end());
  py::dict out;
  out["trajectories"] = to_numpy(std::move(all), {py::ssize_t(cases.sequences.size()), cases.frames,
                                                  cases.height, cases.width});
  out["frame_interval"] = cases.frame_interval;
  out["periodic"] = cases.periodic;
  std::vector<std::string> folders;
  for (const auto& folder : cases.folders) folders.push_back(folder.string());
  out["folders"] = folders;
  return out;
}

}  // namespace

void bind_surrogate(py::module_& m) {
  m.def("dataset_case", &dataset_case, py::arg("problem"), py::arg("k"), py::kw_only(),
        py::arg("device") = "auto",
        R"(Case k of a CFDBench-style dataset, as `advect cfd dataset` makes it: a dict with
"fields" ({"u", "v"[, "vorticity"]: (T, H, W) float32}) and "metadata" (case.json). problem:
cavity, cylinder or vorticity; options (cells, size, frames, interval, lid, inflow, radius,
centre_x, centre_y, density, viscosity as a number or (low, high), spin_up, seed, precision)
default to the command's.)");
  m.def("read_cfdbench", &read_cases, py::arg("directory"), py::arg("field") = "u", py::kw_only(),
        py::arg("split") = "all", py::arg("test_fraction") = 0.2, py::arg("max_frames") = 0,
        "A dataset in CFDBench's layout: trajectories (cases, T, H, W), frame_interval, periodic, "
        "folders; split 'train' / 'test' holds out the last test_fraction of the cases.");

  py::class_<neural::FlowSurrogate>(m, "Surrogate",
                                    "A flow surrogate: the field anywhere, any time, from sparse "
                                    "observations (docs/surrogate.md).")
      .def(py::init([](const py::dict& config, const std::string& device, std::uint64_t seed) {
             return neural::FlowSurrogate(neural::FlowSurrogateConfig::from_json(to_json(config)),
                                          parse_device(device), seed);
           }),
           py::arg("config") = py::dict(), py::kw_only(), py::arg("device") = "auto",
           py::arg("seed") = 0,
           "config: the model's settings as in `advect surrogate train --config` (field, domain, "
           "max_wave_number, latent_dims, frame_interval, ...).")
      .def(
          "train",
          [](neural::FlowSurrogate& model, const py::handle& trajectories, int dynamics_iterations,
             int field_iterations, double point_fraction, std::uint64_t seed,
             const std::function<void(std::string, int, int, double)>& progress) {
            neural::SequenceShape shape;
            const auto sequences = trajectories_from(trajectories, shape);
            neural::SurrogateTraining training;
            training.dynamics_iterations = dynamics_iterations;
            training.field_iterations = field_iterations;
            training.point_fraction = point_fraction;
            training.seed = seed;
            training.on_iteration = [&](const std::string& phase, int k, int n, double loss) {
              check_interrupt();
              if (progress) {
                py::gil_scoped_acquire gil;
                progress(phase, k, n, loss);
              }
            };
            neural::TrainingSummary summary;
            {
              py::gil_scoped_release release;
              summary = model.train(sequences, shape, training);
            }
            py::dict out;
            out["captured_variance"] = summary.captured_variance;
            out["field_loss"] = summary.field_loss;
            out["dynamics_loss"] = summary.dynamics_loss;
            return out;
          },
          py::arg("trajectories"), py::kw_only(), py::arg("dynamics_iterations") = 20000,
          py::arg("field_iterations") = 0, py::arg("point_fraction") = 0.25, py::arg("seed") = 0,
          py::arg("progress") = py::none(),
          "Trains on (cases, T, H, W) trajectories; progress(phase, iteration, iterations, loss).")
      .def(
          "observe",
          [](const neural::FlowSurrogate& model, const py::handle& truth, double point_fraction,
             int frame_stride, std::uint64_t seed) {
            neural::SequenceShape shape;
            const auto sequences = trajectories_from(py::array::ensure(truth)[py::none()], shape);
            const auto observed =
                neural::draw_observations(shape, {point_fraction, frame_stride}, seed);
            return frames_to_list(model.observe(shape, sequences[0], observed));
          },
          py::arg("truth"), py::kw_only(), py::arg("point_fraction") = 0.25,
          py::arg("frame_stride") = 1, py::arg("seed") = 0,
          "Sparse observations of a (T, H, W) sequence: a list of (time, points, values).")
      .def(
          "predict",
          [](const neural::FlowSurrogate& model, const py::list& observations,
             const py::handle& points, const py::handle& times) {
            const auto frames = frames_from(observations);
            const auto query = rows_from<double>(points, "points", 2);
            const auto at = values_from<double>(times, "times");
            std::vector<float> values;
            {
              py::gil_scoped_release release;
              values = model.predict(frames, query, at);
            }
            return to_numpy(std::move(values),
                            {py::ssize_t(at.size()), py::ssize_t(query.size() / 2)});
          },
          py::arg("observations"), py::arg("points"), py::arg("times"),
          "The field at (Q, 2) points of the unit square at each time: (len(times), Q).")
      .def("to_bytes",
           [](const neural::FlowSurrogate& model) { return py::bytes(model.to_bytes()); })
      .def(
          "save",
          [](const neural::FlowSurrogate& model, const std::filesystem::path& path) {
            io::write_file_bytes(path, model.to_bytes());
          },
          py::arg("path"), "Writes the model file atomically (the CLI reads it too).")
      .def_static(
          "load",
          [](const std::filesystem::path& path, const std::string& device) {
            return neural::FlowSurrogate::from_bytes(io::read_file_bytes(path), path.string(),
                                                     parse_device(device));
          },
          py::arg("path"), py::kw_only(), py::arg("device") = "auto")
      .def_property_readonly(
          "config",
          [](const neural::FlowSurrogate& model) { return from_json(model.config().to_json()); })
      .def_property_readonly("parameter_count", &neural::FlowSurrogate::parameter_count);

  m.def(
      "evaluate_surrogate",
      [](const neural::FlowSurrogate& model, const py::handle& trajectories, double point_fraction,
         int frame_stride, std::uint64_t seed) {
        neural::SequenceShape shape;
        const auto sequences = trajectories_from(trajectories, shape);
        neural::EvaluationSettings settings;
        settings.protocol = {point_fraction, frame_stride};
        settings.seed = seed;
        neural::Evaluation evaluation;
        {
          py::gil_scoped_release release;
          evaluation = neural::evaluate_surrogate(model, sequences, shape, settings,
                                                  [](int) { check_interrupt(); });
        }
        return from_json(neural::scores_to_json(evaluation.scores));
      },
      py::arg("model"), py::arg("trajectories"), py::kw_only(), py::arg("point_fraction") = 0.25,
      py::arg("frame_stride") = 1, py::arg("seed") = 0,
      "The model and the interpolation and identity baselines on test trajectories "
      "(cases, T, H, W), as `advect surrogate eval` scores them.");
}

}  // namespace advect::python
