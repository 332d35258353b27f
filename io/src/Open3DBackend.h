// What the Open3D plugin (plugins/Open3DPlugin.cpp, loaded on first use: Plugins.h) does for io/:
// its point-cloud files and its ICP. File checks, error lines and atomic writes stay in io/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "advect/geometry/RigidFit.h"
#include "advect/io/SweepRegistration.h"

namespace advect::io::detail {

// Registers each sweep to the one before (SweepRegistration's algorithm, in Open3D).
class SweepRegistrar {
 public:
  virtual ~SweepRegistrar() = default;
  // N x 3 float32 in the sweep's sensor frame, metres; throws std::runtime_error if too sparse.
  virtual geometry::RegistrationStep add(const std::vector<float>& points) = 0;
};

struct Open3DBackend {
  // .ply / .pcd by extension; positions N x 3 float32, colours N x 3 in [0, 1] or empty. False if
  // Open3D cannot parse or write (it prints why to stderr).
  bool (*read_cloud)(const std::string& file, std::vector<float>& positions);
  bool (*write_cloud)(const std::string& file, const std::vector<float>& positions,
                      const std::vector<float>& colours);
  std::unique_ptr<SweepRegistrar> (*make_registrar)(const RegistrationOptions& options);
};

const Open3DBackend& open3d_backend();

}  // namespace advect::io::detail
