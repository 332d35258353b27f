#include "Arrays.h"

#include <array>
#include <cmath>
#include <sstream>

namespace advect::python {

namespace {

std::string shape_text(const py::array& a) {
  std::ostringstream out;
  out << '(';
  for (py::ssize_t d = 0; d < a.ndim(); ++d) out << (d ? ", " : "") << a.shape(d);
  out << (a.ndim() == 1 ? ",)" : ")");
  return out.str();
}

py::array numeric_array(const py::handle& object, const char* name) {
  if (object.is_none()) throw py::type_error(std::string(name) + " is None, expected an array");
  py::array a = py::array::ensure(object);
  if (!a) throw py::type_error(std::string(name) + ": expected a numpy array");
  const char kind = a.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b') {
    throw py::type_error(std::string(name) + ": expected real numbers, got dtype " +
                         std::string(py::str(a.dtype())));
  }
  return a;
}

template <class T>
std::vector<T> copy_values(const py::array& a, const char* name, bool finite) {
  const auto typed = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a);
  const T* data = typed.data();
  std::vector<T> values(data, data + typed.size());
  if (finite) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(double(values[i]))) {
        throw py::value_error(std::string(name) + ": non-finite value at flat index " +
                              std::to_string(i));
      }
    }
  }
  return values;
}

}  // namespace

template <class T>
std::vector<T> rows_from(const py::handle& object, const char* name, py::ssize_t width,
                         py::ssize_t min_rows, bool finite) {
  const py::array a = numeric_array(object, name);
  if (a.ndim() != 2 || a.shape(1) != width) {
    throw py::value_error(std::string(name) + " must have shape (N, " + std::to_string(width) +
                          "), got " + shape_text(a));
  }
  if (a.shape(0) < min_rows) {
    throw py::value_error(std::string(name) + " needs at least " + std::to_string(min_rows) +
                          " rows, got " + std::to_string(a.shape(0)));
  }
  return copy_values<T>(a, name, finite);
}

template <class T>
std::vector<T> values_from(const py::handle& object, const char* name, py::ssize_t n) {
  const py::array a = numeric_array(object, name);
  if (a.ndim() != 1 || (n >= 0 && a.shape(0) != n)) {
    throw py::value_error(std::string(name) + " must have shape (" +
                          (n >= 0 ? std::to_string(n) : std::string("N")) + ",), got " +
                          shape_text(a));
  }
  return copy_values<T>(a, name, true);
}

std::array<double, 16> matrix_from(const py::handle& object, const char* name) {
  const py::array a = numeric_array(object, name);
  if (a.ndim() != 2 || a.shape(0) != 4 || a.shape(1) != 4) {
    throw py::value_error(std::string(name) + " must have shape (4, 4), got " + shape_text(a));
  }
  const std::vector<double> values = copy_values<double>(a, name, true);
  std::array<double, 16> matrix;
  std::copy(values.begin(), values.end(), matrix.begin());
  return matrix;
}

void check_interrupt() {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

template std::vector<float> rows_from<float>(const py::handle&, const char*, py::ssize_t,
                                             py::ssize_t, bool);
template std::vector<double> rows_from<double>(const py::handle&, const char*, py::ssize_t,
                                               py::ssize_t, bool);
template std::vector<float> values_from<float>(const py::handle&, const char*, py::ssize_t);
template std::vector<double> values_from<double>(const py::handle&, const char*, py::ssize_t);
template std::vector<std::uint8_t> values_from<std::uint8_t>(const py::handle&, const char*,
                                                             py::ssize_t);

nlohmann::json to_json(const py::handle& object) {
  const std::string text = py::module_::import("json").attr("dumps")(object).cast<std::string>();
  return nlohmann::json::parse(text);
}

py::object from_json(const nlohmann::json& json) {
  return py::module_::import("json").attr("loads")(json.dump());
}

}  // namespace advect::python
