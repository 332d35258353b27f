// What the `advect radiance` commands share: model loading and the --background option's check.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/radiance/RadianceFieldFile.h"

namespace advect::app {

// Throws IoError (unreadable file) or std::runtime_error naming the file (not a model).
radiance::LoadedRadianceField load_model(const std::filesystem::path& path, const Device& device);

// The colour itself; std::invalid_argument unless every value is in [0, 1].
std::vector<float> background_option(const std::vector<float>& colour);

}  // namespace advect::app
