// The flow surrogate's model file:
//   "advect-surrogate\n" (17 bytes), format version (uint32 little-endian), JSON length (uint64),
//   JSON {"config", "wave_vectors", "parameters": {"field_linear", "field_mlp", "log_prior",
//   "dynamics", "latent_mean", "latent_scale"} counts}, then those arrays in that order (float32
//   but the last two, float64; latent_scale is one number), then a CRC-32 (zlib's) of every byte
//   before it (uint32).
#include <zlib.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "FlowSurrogateState.h"

namespace advect::neural {
namespace {

constexpr char kTag[] = "advect-surrogate\n";
constexpr std::size_t kTagSize = sizeof(kTag) - 1;
constexpr std::uint32_t kFormatVersion = 1;
static_assert(std::endian::native == std::endian::little, "model files are little-endian");

template <typename T>
void append(std::string& bytes, const T* values, std::size_t count) {
  bytes.append(reinterpret_cast<const char*>(values), count * sizeof(T));
}

std::uint32_t crc_of(const char* data, std::size_t size) {
  return std::uint32_t(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(data), uInt(size)));
}

// Reads from a byte string, naming the file in every error.
class Reader {
 public:
  Reader(const std::string& bytes, std::string file) : bytes_(bytes), file_(std::move(file)) {}
  template <typename T>
  void read(T* values, std::size_t count) {
    const std::size_t size = count * sizeof(T);
    if (size > bytes_.size() - position_) fail("truncated");
    std::memcpy(values, bytes_.data() + position_, size);
    position_ += size;
  }
  template <typename T>
  T value() {
    T v;
    read(&v, 1);
    return v;
  }
  std::string text(std::size_t size) {
    if (size > bytes_.size() - position_) fail("truncated");
    position_ += size;
    return bytes_.substr(position_ - size, size);
  }
  std::size_t position() const { return position_; }
  [[noreturn]] void fail(const std::string& problem) const {
    throw std::runtime_error(file_ + ": " + problem);
  }

 private:
  const std::string& bytes_;
  std::string file_;
  std::size_t position_ = 0;
};

}  // namespace

std::string FlowSurrogate::to_bytes() const {
  const State& s = *state_;
  const auto linear = s.field.linear().parameters().to_host();
  const auto nonlinear = s.field.nonlinear().parameters().to_host();
  const auto dynamics = s.dynamics.mlp().parameters().to_host();
  const nlohmann::json header = {{"config", s.config.to_json()},
                                 {"wave_vectors", s.wave_vectors},
                                 {"parameters",
                                  {{"field_linear", linear.size()},
                                   {"field_mlp", nonlinear.size()},
                                   {"log_prior", s.log_prior.size()},
                                   {"dynamics", dynamics.size()},
                                   {"latent_mean", s.latent_mean.size()},
                                   {"latent_scale", 1}}}};
  const std::string json = header.dump();
  std::string bytes(kTag, kTagSize);
  append(bytes, &kFormatVersion, 1);
  const std::uint64_t json_size = json.size();
  append(bytes, &json_size, 1);
  bytes += json;
  append(bytes, linear.data(), linear.size());
  append(bytes, nonlinear.data(), nonlinear.size());
  append(bytes, s.log_prior.data(), s.log_prior.size());
  append(bytes, dynamics.data(), dynamics.size());
  append(bytes, s.latent_mean.data(), s.latent_mean.size());
  append(bytes, &s.latent_scale, 1);
  const std::uint32_t crc = crc_of(bytes.data(), bytes.size());
  append(bytes, &crc, 1);
  return bytes;
}

FlowSurrogate FlowSurrogate::from_bytes(const std::string& bytes, const std::string& source,
                                        const Device& device) {
  Reader reader(bytes, source);
  if (bytes.compare(0, kTagSize, kTag) != 0) reader.fail("not an advect surrogate model file");
  reader.text(kTagSize);
  const auto version = reader.value<std::uint32_t>();
  if (version != kFormatVersion) {
    reader.fail("model format version " + std::to_string(version) + ", this build reads " +
                std::to_string(kFormatVersion));
  }
  if (bytes.size() < kTagSize + 4 + sizeof(std::uint32_t)) reader.fail("truncated");
  std::uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - sizeof stored_crc, sizeof stored_crc);
  if (crc_of(bytes.data(), bytes.size() - sizeof stored_crc) != stored_crc) {
    reader.fail("checksum mismatch (the model file is corrupt or truncated)");
  }
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(reader.text(reader.value<std::uint64_t>()));
    auto state =
        std::make_unique<State>(FlowSurrogateConfig::from_json(header.at("config")), device, 0);
    const auto& counts = header.at("parameters");
    auto check = [&](const char* name, std::size_t expected) {
      if (counts.at(name).get<std::size_t>() != expected) {
        reader.fail(std::string("the configuration does not match the stored ") + name);
      }
    };
    if (header.at("wave_vectors").get<std::vector<int>>() != state->wave_vectors) {
      reader.fail("the stored wave vectors do not match the configuration");
    }
    std::vector<float> linear(state->field.linear().parameters().size()),
        nonlinear(state->field.nonlinear().parameters().size()),
        dynamics(state->dynamics.mlp().parameters().size());
    check("field_linear", linear.size());
    check("field_mlp", nonlinear.size());
    check("log_prior", state->log_prior.size());
    check("dynamics", dynamics.size());
    check("latent_mean", state->latent_mean.size());
    check("latent_scale", 1);
    reader.read(linear.data(), linear.size());
    reader.read(nonlinear.data(), nonlinear.size());
    reader.read(state->log_prior.data(), state->log_prior.size());
    reader.read(dynamics.data(), dynamics.size());
    reader.read(state->latent_mean.data(), state->latent_mean.size());
    reader.read(&state->latent_scale, 1);
    if (reader.position() + sizeof stored_crc != bytes.size()) reader.fail("trailing bytes");
    state->field.linear().parameters().copy_from_host(linear);
    state->field.nonlinear().parameters().copy_from_host(nonlinear);
    state->dynamics.mlp().parameters().copy_from_host(dynamics);
    return FlowSurrogate(std::move(state));
  } catch (const nlohmann::json::exception& e) {
    reader.fail(std::string("bad model header: ") + e.what());
  } catch (const std::invalid_argument& e) {
    reader.fail(e.what());
  }
}

}  // namespace advect::neural
