// advect._advect: the library's pipelines for Python (the package `advect` re-exports it).
#include <pybind11/pybind11.h>

#include <string>

#include "Bindings.h"
#include "advect/engine/BuildInfo.h"
#include "advect/engine/Device.h"
#include "advect/engine/ProcessTuning.h"
#include "advect/io/IoError.h"

namespace py = pybind11;

PYBIND11_MODULE(_advect, m) {
  m.doc() =
      "advect: scene flow, lidar accumulation, flow integration, fluids and radiance fields on CPU "
      "and CUDA";
  m.attr("__version__") = advect::build_info::kVersion;
  // A file that is missing, truncated or malformed: an OSError whose message names the file.
  py::register_exception<advect::io::IoError>(m, "IoError", PyExc_OSError);
  m.def("cuda_device_count", &advect::cuda_device_count,
        "CUDA devices visible to this process (0 without CUDA in the build).");
  m.def("cpu_threads", &advect::cpu_thread_count,
        "Threads of advect's CPU loops: OMP_NUM_THREADS where set, else every processor this "
        "process may use. Kept by advect, so importing PyTorch (which lowers OpenMP's own "
        "setting to 1) does not put advect on one core.");
  m.def(
      "set_cpu_threads",
      [](int n) {
        if (n < 1)
          throw py::value_error("set_cpu_threads: n must be at least 1, got " + std::to_string(n));
        advect::set_cpu_thread_count(n);
      },
      py::arg("n"), "Sets the threads of advect's CPU loops (n >= 1) for every later call.");
  m.def("keep_freed_memory_for_reuse", &advect::keep_freed_memory_for_reuse,
        "Opt-in process setting that the advect program makes at start: glibc keeps freed blocks "
        "of up to 256 MiB for reuse (mallopt), so the large MLP products of scene_flow do not "
        "fault in fresh pages on every step. Not made on import: it changes the whole process.");
  advect::python::bind_files(m);
  advect::python::bind_scene_flow(m);
  advect::python::bind_accumulate(m);
  advect::python::bind_integrate(m);
  advect::python::bind_fluids(m);
  advect::python::bind_surrogate(m);
  advect::python::bind_radiance(m);
  advect::python::bind_street(m);
}
