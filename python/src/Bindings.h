// The parts of the Python module `advect._advect`, one function per part (Module.cpp calls them).
#pragma once

#include <pybind11/pybind11.h>

namespace advect::python {

void bind_files(pybind11::module_& m);
void bind_scene_flow(pybind11::module_& m);
void bind_accumulate(pybind11::module_& m);
void bind_integrate(pybind11::module_& m);
void bind_fluids(pybind11::module_& m);
void bind_surrogate(pybind11::module_& m);
void bind_radiance(pybind11::module_& m);
void bind_street(pybind11::module_& m);

}  // namespace advect::python
