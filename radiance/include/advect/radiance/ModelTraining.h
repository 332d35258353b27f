// A model file trained from one JSON document: the pipeline behind `advect radiance train` and
// Python's `train_radiance`, so that both shells train, record and write a model the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "advect/radiance/DynamicTraining.h"
#include "advect/radiance/RadianceTraining.h"

namespace advect::radiance {

// static: RadianceField.h; dynamic: DynamicField.h with EmerNeRF's flow heads; dynamic_ode: the
// same with the velocity motion ("motion": "velocity").
enum class ModelKind { static_field, dynamic, dynamic_ode };

// "static", "dynamic" or "dynamic-ode"; std::invalid_argument naming the choices otherwise.
ModelKind model_kind_from(const std::string& name);

// The kind's training defaults: TrainingOptions{} for a static field, dynamic_training_options()
// for the dynamic kinds.
TrainingOptions training_defaults(ModelKind kind);

struct TrainedModel {
  std::string bytes;             // the model file (RadianceFieldFile.h)
  nlohmann::json record;         // its "training" record
  DynamicTrainingReport report;  // a static field fills the TrainingReport part only
  std::int64_t parameters = 0;
  std::optional<DynamicFieldConfig> dynamic;  // a dynamic field's settings as trained
};

// Trains a field of `kind` built from `document` (a RadianceFieldConfig document for a static
// field, a DynamicFieldConfig one otherwise; an empty object gives the defaults) on `images`
// (`scene`: the camera file named in the record). `started`, when set, gets the parameter count
// before the first step. Throws std::invalid_argument on a bad document or images that the kind
// cannot train on (TrainingOptions' and train()'s refusals).
TrainedModel train_model(ModelKind kind, const nlohmann::json& document, const PosedImages& images,
                         const std::string& scene, const TrainingOptions& options,
                         const Device& device, std::uint64_t seed,
                         const std::function<void(std::int64_t parameters)>& started = {});

}  // namespace advect::radiance
