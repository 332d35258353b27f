// The radiance field's model file:
//   "advect-radiance\n" (16 bytes), format version (uint32 little-endian), JSON length (uint64),
//   JSON {"config": RadianceFieldConfig, "counts": {"encoding", "density_network",
//   "colour_network", "occupancy"}, "training": anything the trainer reports}, then the float32
//   parameters of the encoding, the density network and the colour network, the occupancy
//   grid's float32 densities and its uint8 occupied flags, then a CRC-32 (zlib's) of every byte
//   before it (uint32).
// A dynamic field's file is the same container with JSON {"model": "dynamic", "config":
// DynamicFieldConfig, "counts": {"parameters", "occupancy"}, "training"} and its one parameter
// buffer (DynamicField.h's order) in place of the three blocks.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "advect/radiance/DynamicField.h"
#include "advect/radiance/RadianceField.h"

namespace advect::radiance {

inline constexpr std::uint32_t kRadianceModelVersion = 1;

std::string to_bytes(const RadianceField& field, const nlohmann::json& training);
std::string to_bytes(const DynamicField& field, const nlohmann::json& training);

// Exactly one of the two fields is set.
struct LoadedRadianceField {
  std::unique_ptr<RadianceField> field;
  std::unique_ptr<DynamicField> dynamic;
  nlohmann::json training;
};

// Throws std::runtime_error "SOURCE: problem" (not a model file, another version, checksum
// mismatch, truncated, counts that do not match the configuration).
LoadedRadianceField from_bytes(const std::string& bytes, const std::string& source,
                               const Device& device);

}  // namespace advect::radiance
