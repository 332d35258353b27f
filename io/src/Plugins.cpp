#include "Plugins.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "Open3DBackend.h"
#include "VtkBackend.h"

namespace advect::io::detail {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> plugin_folders() {
  std::vector<fs::path> folders;
  if (const char* folder = std::getenv("ADVECT_PLUGIN_DIR"); folder && *folder) {
    folders.emplace_back(folder);
  }
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&plugin_entry), &self) != 0 && self.dli_fname &&
      *self.dli_fname) {
    folders.push_back(fs::path(self.dli_fname).parent_path());
  }
  folders.emplace_back(ADVECT_BUILD_PLUGIN_DIR);
  return folders;
}

}  // namespace

void* plugin_entry(const std::string& library, const char* entry) {
  static std::mutex mutex;  // dlerror() is per thread, but keep one load per plugin
  const std::lock_guard lock(mutex);
  std::string looked;
  for (const fs::path& folder : plugin_folders()) {
    const fs::path file = folder / library;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      looked += (looked.empty() ? "" : ", ") + folder.string();
      continue;
    }
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(fmt::format("plugin did not load: {}", dlerror()));
    void* function = dlsym(handle, entry);
    if (!function) throw std::runtime_error(fmt::format("{} has no {}", file.string(), entry));
    return function;
  }
  throw std::runtime_error(
      fmt::format("plugin {} not found (looked in {}; set ADVECT_PLUGIN_DIR)", library, looked));
}

const Open3DBackend& open3d_backend() {
  static const Open3DBackend& table =
      plugin_table<Open3DBackend>("libadvect_open3d.so", "advect_open3d_backend");
  return table;
}

const VtkBackend& vtk_backend() {
  static const VtkBackend& table =
      plugin_table<VtkBackend>("libadvect_vtk.so", "advect_vtk_backend");
  return table;
}

}  // namespace advect::io::detail
