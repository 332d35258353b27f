// Trajectories through a vector field with the engine's ODE core: the analytic fields (on either
// device) or a Python callable f(t, x) -> v, called with the whole batch (vectorised).
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>

#include "Arrays.h"
#include "Bindings.h"
#include "advect/engine/AnalyticFields.h"
#include "advect/engine/Buffer.h"
#include "advect/engine/OdeSolver.h"

namespace advect::python {

namespace {

// A Python callable as a field on the CPU: f(t, x) with x an (n, D) float64 array returns the
// velocities as an (n, D) array.
class CallableField final : public VectorField {
 public:
  CallableField(py::function f, int dimension) : f_(std::move(f)), dimension_(dimension) {}
  int dimension() const override { return dimension_; }
  std::string describe() const override { return "a Python callable"; }
  void evaluate(double t, const double* x, double* v, std::int64_t n,
                const Device& device) const override {
    if (device.is_cuda()) throw std::invalid_argument("a Python field runs on the CPU only");
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    const py::array_t<double> states({py::ssize_t(n), py::ssize_t(dimension_)}, x);
    const py::object result = f_(t, states);
    const std::vector<double> values =
        rows_from<double>(result, "the field's return value", dimension_, 0);
    if (std::int64_t(values.size()) != n * dimension_) {
      throw py::value_error("the field returned " + std::to_string(values.size() / dimension_) +
                            " rows for " + std::to_string(n) + " states");
    }
    std::copy(values.begin(), values.end(), v);
  }

 private:
  py::function f_;
  int dimension_;
};

std::array<double, 3> vector3(const std::vector<double>& values, const char* name) {
  if (values.size() != 3) throw py::value_error(std::string(name) + " must have 3 numbers");
  return {values[0], values[1], values[2]};
}

py::array_t<double> integrate(const py::object& field, const py::handle& seeds,
                              const py::handle& times, const std::string& method, double rtol,
                              double atol, double step, const std::string& device_name) {
  const auto method_value = parse_ode_method(method);
  if (!method_value) throw py::value_error("unknown method '" + method + "'");
  const std::vector<double> time_values = values_from<double>(times, "times");
  const Device device = parse_device(device_name);
  std::unique_ptr<VectorField> own;
  const VectorField* chosen = nullptr;
  int dimension = 3;
  if (py::isinstance<VectorField>(field)) {
    chosen = field.cast<const VectorField*>();
    dimension = chosen->dimension();
  } else if (py::isinstance<py::function>(field)) {
    const py::array seed_array = py::array::ensure(seeds);
    if (!seed_array || seed_array.ndim() != 2)
      throw py::value_error("seeds must have shape (N, D)");
    dimension = int(seed_array.shape(1));
    own = std::make_unique<CallableField>(field.cast<py::function>(), dimension);
    chosen = own.get();
  } else {
    throw py::type_error("field: an advect field (rotation_field, ...) or a callable f(t, x)");
  }
  const std::vector<double> initial = rows_from<double>(seeds, "seeds", dimension);
  const auto n = py::ssize_t(initial.size() / std::size_t(dimension));
  OdeOptions options;
  options.method = *method_value;
  options.rtol = rtol;
  options.atol = atol;
  options.step = step;
  OdeResult result;
  {
    py::gil_scoped_release release;
    options.on_step = [](double) { check_interrupt(); };
    result = advect::integrate(*chosen, Buffer<double>::from_host(initial, device), time_values,
                               options);
  }
  if (!result.ok()) throw std::runtime_error(result.message);
  return to_numpy(result.states.to_host(),
                  {py::ssize_t(time_values.size()), n, py::ssize_t(dimension)});
}

}  // namespace

void bind_integrate(py::module_& m) {
  py::class_<VectorField>(m, "VectorField", "A time-dependent vector field v(x, t) of the engine.")
      .def_property_readonly("dimension", &VectorField::dimension)
      .def("__repr__", &VectorField::describe);
  m.def(
      "rotation_field",
      [](double omega, const std::vector<double>& axis, const std::vector<double>& centre) {
        RotationLaw law;
        const auto a = vector3(axis, "axis"), c = vector3(centre, "centre");
        std::copy(a.begin(), a.end(), law.axis);
        std::copy(c.begin(), c.end(), law.centre);
        law.omega = omega;
        return make_rotation_field(law);
      },
      py::arg("omega") = 1.0, py::arg("axis") = std::vector<double>{0, 0, 1},
      py::arg("centre") = std::vector<double>{0, 0, 0},
      "Rigid rotation at omega rad/s about the unit axis through centre (metres).");
  m.def(
      "vortex_field",
      [](double circulation, double core_radius, const std::vector<double>& centre) {
        LambOseenLaw law;
        law.circulation = circulation;
        law.core_radius = core_radius;
        law.centre_x = centre.at(0);
        law.centre_y = centre.at(1);
        return make_lamb_oseen_field(law);
      },
      py::arg("circulation") = 1.0, py::arg("core_radius") = 0.2,
      py::arg("centre") = std::vector<double>{0, 0},
      "Lamb-Oseen vortex about a vertical line (circulation m^2/s, core radius m).");
  m.def(
      "double_gyre_field",
      [](double amplitude, double epsilon, double frequency) {
        DoubleGyreLaw law;
        law.amplitude = amplitude;
        law.epsilon = epsilon;
        law.frequency = frequency;
        return make_double_gyre_field(law);
      },
      py::arg("amplitude") = 0.1, py::arg("epsilon") = 0.25,
      py::arg("frequency") = 0.6283185307179586,
      "The time-periodic double gyre of Shadden, Lekien and Marsden (2005) on [0, 2] x [0, 1].");
  m.def("integrate", &integrate, py::arg("field"), py::arg("seeds"), py::arg("times"),
        py::kw_only(), py::arg("method") = "dopri5", py::arg("rtol") = 1e-6, py::arg("atol") = 1e-9,
        py::arg("step") = 0.0, py::arg("device") = "auto",
        R"(Trajectories of the seeds ((N, D) array) through field, reported at `times`
(strictly monotone, seconds; times[0] is where the seeds are). field: an advect field or a
callable f(t, x) -> v taking and returning (N, D) arrays (CPU only). method: euler, heun,
midpoint, rk4 (fixed `step`, s) or dopri5, bs3 (adaptive, rtol / atol). Returns a
(len(times), N, D) float64 array. RuntimeError if the solve fails (non-finite field, too many
steps).)");
}

}  // namespace advect::python
