// Numpy arrays in and out of the bindings: shapes, dtypes and finiteness checked with one clear
// TypeError / ValueError naming the argument; results handed to numpy without a copy.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace advect::python {

namespace py = pybind11;

// An (N, width) array of real numbers (any float or integer dtype) as N * width values of T,
// row-major. TypeError for a non-numeric array, ValueError for another shape, fewer than
// `min_rows` rows or (with `finite`) a NaN or infinite value, each naming `name`.
template <class T>
std::vector<T> rows_from(const py::handle& array, const char* name, py::ssize_t width,
                         py::ssize_t min_rows = 1, bool finite = true);

// The same for a 1-D array of N values; `n` >= 0 also requires that length.
template <class T>
std::vector<T> values_from(const py::handle& array, const char* name, py::ssize_t n = -1);

// A 4 x 4 rigid transform (row-major numbers) as the engine's pose type.
std::array<double, 16> matrix_from(const py::handle& array, const char* name);

// Moves `values` into a new numpy array of the given shape (no copy).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values, std::vector<py::ssize_t> shape) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(std::move(shape), owned->data(), free_when_done);
}

// Python objects (dict, list, numbers, str) to JSON and back, through Python's json module.
nlohmann::json to_json(const py::handle& object);
py::object from_json(const nlohmann::json& json);

// Raises KeyboardInterrupt in the caller (by throwing error_already_set) when Ctrl-C was pressed;
// call from long loops with the GIL released (it takes the GIL for the check).
void check_interrupt();

}  // namespace advect::python
