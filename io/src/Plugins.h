// Open3D and VTK take about 80 and 20 ms to load (Debian links them with BIND_NOW: every symbol is
// bound at load time), several times the rest of advect's start-up. The code that calls them
// therefore lives in two plugins, libadvect_open3d.so and libadvect_vtk.so, that io/ loads the
// first time a .ply/.pcd file, an ICP registration or a VTK file needs one (issue 20, item 5).
#pragma once

#include <string>

namespace advect::io::detail {

// The address of the extern "C" function `entry` of plugin `library` (a file name), loaded once
// and never unloaded. Looks in $ADVECT_PLUGIN_DIR, beside the binary that holds this code (the
// `advect` program, the Python module) and in the build tree's plugin folder. Throws
// std::runtime_error naming the plugin and why it did not load.
void* plugin_entry(const std::string& library, const char* entry);

// The table of functions a plugin's `entry` returns (a `const Table* entry()`).
template <class Table>
const Table& plugin_table(const std::string& library, const char* entry) {
  using Entry = const Table* (*)();
  return *reinterpret_cast<Entry>(plugin_entry(library, entry))();
}

}  // namespace advect::io::detail
