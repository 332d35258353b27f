// The radiance field's model file:
//   "advect-radiance\n" (16 bytes), format version (uint32 little-endian), JSON length (uint64),
//   JSON {"config": RadianceFieldConfig, "counts": {"encoding", "density_network",
//   "colour_network", "occupancy"}, "training": anything the trainer reports}, then the float32
//   parameters of the encoding, the density network and the colour network, the occupancy
//   grid's float32 densities and its uint8 occupied flags, then a CRC-32 (zlib's) of every byte
//   before it (uint32).
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "advect/radiance/RadianceField.h"

namespace advect::radiance {

inline constexpr std::uint32_t kRadianceModelVersion = 1;

std::string to_bytes(const RadianceField& field, const nlohmann::json& training);

struct LoadedRadianceField {
  std::unique_ptr<RadianceField> field;
  nlohmann::json training;
};

// Throws std::runtime_error "SOURCE: problem" (not a model file, another version, checksum
// mismatch, truncated, counts that do not match the configuration).
LoadedRadianceField from_bytes(const std::string& bytes, const std::string& source,
                               const Device& device);

}  // namespace advect::radiance
