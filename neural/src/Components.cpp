#include "advect/neural/Components.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "JsonKeys.h"
#include "advect/neural/Adam.h"
#include "advect/neural/Encodings.h"
#include "advect/neural/ExponentialDecay.h"
#include "advect/neural/HashEncoding.h"
#include "advect/neural/Mlp.h"

namespace advect::neural {
namespace {

std::string otype(const nlohmann::json& config, const std::string& what) {
  if (!config.is_object() || !config.contains("otype") || !config["otype"].is_string()) {
    throw std::invalid_argument(what + " needs an \"otype\" string");
  }
  return config["otype"].get<std::string>();
}

// Runs `read`, turning the JSON library's type errors into std::invalid_argument.
template <class Read>
auto reading(const std::string& what, Read read) {
  try {
    return read();
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument("bad " + what + " setting: " + error.what());
  }
}

void check_dims(const nlohmann::json& config, const char* key, int dims, const std::string& what) {
  if (config.contains(key) && reading(what, [&] { return config[key].get<int>(); }) != dims) {
    throw std::invalid_argument(what + ": " + key + " " + config[key].dump() +
                                " does not match the model's " + std::to_string(dims));
  }
}

}  // namespace

std::unique_ptr<Module> create_encoding(const nlohmann::json& config, int input_dims,
                                        const Device& device, std::uint64_t seed) {
  const std::string type = otype(config, "an encoding");
  check_dims(config, "n_input_dims", input_dims, type + " encoding");
  if (type == "HashGrid") {
    HashEncodingConfig hash = HashEncodingConfig::from_json(config);
    hash.input_dims = input_dims;
    return std::make_unique<HashEncoding>(hash, device, seed);
  }
  if (type == "Frequency") {
    require_known_keys(config, {"otype", "n_input_dims", "n_frequencies", "include_input"},
                       "Frequency encoding");
    FourierFeatures features;
    features.input_dims = input_dims;
    reading("Frequency encoding", [&] {
      features.levels = config.value("n_frequencies", 12);
      features.include_input = config.value("include_input", false);
      return 0;
    });
    return std::make_unique<FrequencyEncoding>(features, device);
  }
  if (type == "SphericalHarmonics") {
    require_known_keys(config, {"otype", "n_input_dims", "degree"}, "SphericalHarmonics encoding");
    if (input_dims != 3) throw std::invalid_argument("SphericalHarmonics encodes 3-D directions");
    if (reading("SphericalHarmonics encoding", [&] { return config.value("degree", 4); }) != 4) {
      throw std::invalid_argument("SphericalHarmonics: only degree 4 is implemented");
    }
    return std::make_unique<SphericalHarmonicsEncoding>(device);
  }
  if (type == "Identity") {
    require_known_keys(config, {"otype", "n_input_dims"}, "Identity encoding");
    return std::make_unique<IdentityEncoding>(input_dims, device);
  }
  throw std::invalid_argument("unknown encoding otype '" + type +
                              "' (HashGrid, Frequency, SphericalHarmonics, Identity)");
}

std::unique_ptr<Module> create_network(const nlohmann::json& config, int input_dims,
                                       int output_dims, const Device& device, std::uint64_t seed) {
  const std::string type = otype(config, "a network");
  if (type != "FullyFusedMLP" && type != "CutlassMLP" && type != "MLP") {
    throw std::invalid_argument("unknown network otype '" + type +
                                "' (FullyFusedMLP, CutlassMLP, MLP)");
  }
  check_dims(config, "n_input_dims", input_dims, type);
  check_dims(config, "n_output_dims", output_dims, type);
  MlpConfig mlp = MlpConfig::from_json(config);
  mlp.input_dims = input_dims;
  mlp.output_dims = output_dims;
  return std::make_unique<Mlp>(mlp, device, seed);
}

std::unique_ptr<Loss> create_loss(const nlohmann::json& config) {
  const std::string type = otype(config, "a loss");
  if (type == "Huber") {
    require_known_keys(config, {"otype", "delta"}, "Huber loss");
    return std::make_unique<Loss>(
        LossKind::huber, reading("Huber loss", [&] { return config.value("delta", 0.1f); }));
  }
  require_known_keys(config, {"otype"}, type + " loss");
  if (type == "L2") return std::make_unique<Loss>(LossKind::l2);
  if (type == "L1") return std::make_unique<Loss>(LossKind::l1);
  if (type == "RelativeL2") return std::make_unique<Loss>(LossKind::relative_l2);
  throw std::invalid_argument("unknown loss otype '" + type + "' (L2, L1, RelativeL2, Huber)");
}

std::unique_ptr<Optimizer> create_optimizer(const nlohmann::json& config,
                                            std::int64_t parameter_count, std::int64_t regularised,
                                            const Device& device) {
  const std::string type = otype(config, "an optimiser");
  if (type == "Adam") {
    require_known_keys(config, {"otype", "learning_rate", "beta1", "beta2", "epsilon", "l2_reg"},
                       "Adam");
    AdamOptions adam;
    reading("Adam", [&] {
      adam.learning_rate = config.value("learning_rate", adam.learning_rate);
      adam.beta1 = config.value("beta1", adam.beta1);
      adam.beta2 = config.value("beta2", adam.beta2);
      adam.epsilon = config.value("epsilon", adam.epsilon);
      adam.weight_decay = config.value("l2_reg", adam.weight_decay);
      return 0;
    });
    if (!(adam.learning_rate > 0.0f) || !(adam.beta1 >= 0.0f && adam.beta1 < 1.0f) ||
        !(adam.beta2 >= 0.0f && adam.beta2 < 1.0f) || !(adam.epsilon >= 0.0f) ||
        !(adam.weight_decay >= 0.0f)) {
      throw std::invalid_argument(
          "Adam: learning_rate > 0, beta1 and beta2 in [0, 1), epsilon >= 0, l2_reg >= 0");
    }
    return std::make_unique<Adam>(parameter_count, device, adam, regularised);
  }
  if (type == "ExponentialDecay") {
    require_known_keys(
        config, {"otype", "decay_base", "decay_start", "decay_interval", "decay_end", "nested"},
        "ExponentialDecay");
    if (!config.contains("nested"))
      throw std::invalid_argument("ExponentialDecay needs \"nested\"");
    ExponentialDecayOptions decay;
    reading("ExponentialDecay", [&] {
      decay.decay_base = config.value("decay_base", decay.decay_base);
      decay.decay_start = config.value("decay_start", decay.decay_start);
      decay.decay_interval = config.value("decay_interval", decay.decay_interval);
      decay.decay_end = config.value("decay_end", decay.decay_end);
      return 0;
    });
    return std::make_unique<ExponentialDecay>(
        create_optimizer(config["nested"], parameter_count, regularised, device), decay);
  }
  throw std::invalid_argument("unknown optimiser otype '" + type + "' (Adam, ExponentialDecay)");
}

}  // namespace advect::neural
