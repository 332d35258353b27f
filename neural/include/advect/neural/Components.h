// The component factories: a model is a JSON document, and each of its parts is created here by
// its "otype", with tiny-cuda-nn's names and keys (our own code). A bad name, an unknown key or a
// value of the wrong type throws std::invalid_argument naming it.
//   encodings:  "HashGrid" (HashEncoding.h), "Frequency" {"n_frequencies", "include_input"},
//               "SphericalHarmonics" {"degree": 4}, "Identity" (Encodings.h)
//   networks:   "FullyFusedMLP", "CutlassMLP", "MLP": one and the same Mlp (Mlp.h)
//   losses:     "L2", "L1", "RelativeL2", "Huber" {"delta"} (Loss.h)
//   optimisers: "Adam" (Adam.h), "ExponentialDecay" (ExponentialDecay.h)
#pragma once

#include <cstdint>
#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "advect/engine/Device.h"
#include "advect/neural/Loss.h"
#include "advect/neural/Module.h"
#include "advect/neural/Optimizer.h"

namespace advect::neural {

// An encoding of input_dims-dimensional rows (the JSON's own "n_input_dims", if any, must agree).
std::unique_ptr<Module> create_encoding(const nlohmann::json& config, int input_dims,
                                        const Device& device, std::uint64_t seed);
std::unique_ptr<Module> create_network(const nlohmann::json& config, int input_dims,
                                       int output_dims, const Device& device, std::uint64_t seed);
std::unique_ptr<Loss> create_loss(const nlohmann::json& config);
// An optimiser of parameter_count parameters whose first `regularised` get the weight decay.
std::unique_ptr<Optimizer> create_optimizer(const nlohmann::json& config,
                                            std::int64_t parameter_count, std::int64_t regularised,
                                            const Device& device);

}  // namespace advect::neural
