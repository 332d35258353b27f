#include "advect/radiance/RadianceFieldFile.h"

#include <zlib.h>

#include <bit>
#include <cstring>
#include <stdexcept>

namespace advect::radiance {
namespace {

constexpr char kTag[] = "advect-radiance\n";
constexpr std::size_t kTagSize = sizeof(kTag) - 1;
static_assert(std::endian::native == std::endian::little, "model files are little-endian");

std::uint32_t crc32_of(const char* data, std::size_t size) {
  return std::uint32_t(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(data), uInt(size)));
}

template <class T>
void put(std::string& bytes, const std::vector<T>& values) {
  bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <class T>
void put_value(std::string& bytes, T value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Tag, version, header, the blocks, CRC.
std::string container(const nlohmann::json& header,
                      std::initializer_list<const std::vector<float>*> blocks,
                      const std::vector<std::uint8_t>& occupied) {
  const std::string json = header.dump();
  std::string bytes(kTag, kTagSize);
  put_value(bytes, kRadianceModelVersion);
  put_value(bytes, std::uint64_t(json.size()));
  bytes += json;
  for (const std::vector<float>* block : blocks) put(bytes, *block);
  put(bytes, occupied);
  put_value(bytes, crc32_of(bytes.data(), bytes.size()));
  return bytes;
}

}  // namespace

std::string to_bytes(const RadianceField& field, const nlohmann::json& training) {
  const auto encoding = field.encoding().parameters().to_host();
  const auto density = field.density_network().parameters().to_host();
  const auto colour = field.colour_network().parameters().to_host();
  const auto occupancy = field.occupancy().density().to_host();
  const nlohmann::json header = {{"config", field.config().to_json()},
                                 {"counts",
                                  {{"encoding", encoding.size()},
                                   {"density_network", density.size()},
                                   {"colour_network", colour.size()},
                                   {"occupancy", occupancy.size()}}},
                                 {"training", training}};
  return container(header, {&encoding, &density, &colour, &occupancy},
                   field.occupancy().occupied().to_host());
}

std::string to_bytes(const DynamicField& field, const nlohmann::json& training) {
  const auto parameters = field.parameters().to_host();
  const auto occupancy = field.occupancy().density().to_host();
  const nlohmann::json header = {
      {"model", "dynamic"},
      {"config", field.config().to_json()},
      {"counts", {{"parameters", parameters.size()}, {"occupancy", occupancy.size()}}},
      {"training", training}};
  return container(header, {&parameters, &occupancy}, field.occupancy().occupied().to_host());
}

LoadedRadianceField from_bytes(const std::string& bytes, const std::string& source,
                               const Device& device) {
  const auto fail = [&](const std::string& problem) {
    throw std::runtime_error(source + ": " + problem);
  };
  const std::size_t fixed = kTagSize + sizeof(std::uint32_t) + sizeof(std::uint64_t);
  if (bytes.size() < kTagSize || bytes.compare(0, kTagSize, kTag) != 0) {
    fail("not an advect radiance model file");
  }
  if (bytes.size() < fixed + sizeof(std::uint32_t)) fail("truncated");
  std::uint32_t version, stored_crc;
  std::uint64_t json_size;
  std::memcpy(&version, bytes.data() + kTagSize, sizeof version);
  if (version != kRadianceModelVersion) {
    fail("model format version " + std::to_string(version) + ", this build reads " +
         std::to_string(kRadianceModelVersion));
  }
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - sizeof stored_crc, sizeof stored_crc);
  if (crc32_of(bytes.data(), bytes.size() - sizeof stored_crc) != stored_crc) {
    fail("checksum mismatch (the model file is corrupt or truncated)");
  }
  std::memcpy(&json_size, bytes.data() + kTagSize + sizeof version, sizeof json_size);
  if (json_size > bytes.size() - fixed - sizeof stored_crc) fail("truncated");
  LoadedRadianceField loaded;
  std::size_t position = fixed + json_size;
  try {
    const auto header = nlohmann::json::parse(bytes.substr(fixed, json_size));
    loaded.training = header.value("training", nlohmann::json::object());
    const auto& counts = header.at("counts");
    const auto read = [&]<class T>(BufferView<T> target, const char* name) {
      if (counts.at(name).get<std::size_t>() != target.size()) {
        fail(std::string("the configuration does not match the stored ") + name);
      }
      const std::size_t size = target.size() * sizeof(T);
      if (size > bytes.size() - sizeof stored_crc - position) fail("truncated");
      std::vector<T> values(target.size());
      std::memcpy(values.data(), bytes.data() + position, size);
      position += size;
      target.copy_from_host(values);
    };
    const std::string model = header.value("model", "static");
    OccupancyGrid* occupancy = nullptr;
    if (model == "dynamic") {
      loaded.dynamic = std::make_unique<DynamicField>(
          DynamicFieldConfig::from_json(header.at("config")), device, 0);
      read(loaded.dynamic->parameters(), "parameters");
      occupancy = &loaded.dynamic->occupancy();
    } else if (model == "static") {
      loaded.field = std::make_unique<RadianceField>(
          RadianceFieldConfig::from_json(header.at("config")), device, 0);
      RadianceField& field = *loaded.field;
      read(field.encoding().parameters(), "encoding");
      read(field.density_network().parameters(), "density_network");
      read(field.colour_network().parameters(), "colour_network");
      occupancy = &field.occupancy();
    } else {
      fail("unknown model kind '" + model + "' (static, dynamic)");
    }
    read(occupancy->density().view(), "occupancy");
    read(occupancy->occupied().view(), "occupancy");
  } catch (const nlohmann::json::exception& error) {
    fail(std::string("bad model header (") + error.what() + ")");
  } catch (const std::invalid_argument& error) {
    fail(std::string("bad model configuration (") + error.what() + ")");
  }
  if (position != bytes.size() - sizeof stored_crc) fail("unexpected bytes after the model");
  return loaded;
}

}  // namespace advect::radiance
