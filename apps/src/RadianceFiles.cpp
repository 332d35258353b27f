#include "RadianceFiles.h"

#include <stdexcept>

#include "advect/io/AtomicWrite.h"

namespace advect::app {

namespace fs = std::filesystem;

radiance::LoadedRadianceField load_model(const fs::path& path, const Device& device) {
  return radiance::from_bytes(io::read_file_bytes(path), path.string(), device);
}

std::vector<float> background_option(const std::vector<float>& colour) {
  for (float c : colour) {
    if (!(c >= 0.0f && c <= 1.0f)) throw std::invalid_argument("--background: values in [0, 1]");
  }
  return colour;
}

}  // namespace advect::app
