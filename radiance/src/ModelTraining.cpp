#include "advect/radiance/ModelTraining.h"

#include <stdexcept>

#include "advect/radiance/RadianceFieldFile.h"

namespace advect::radiance {

ModelKind model_kind_from(const std::string& name) {
  if (name == "static") return ModelKind::static_field;
  if (name == "dynamic") return ModelKind::dynamic;
  if (name == "dynamic-ode") return ModelKind::dynamic_ode;
  throw std::invalid_argument("model must be static, dynamic or dynamic-ode, not '" + name + "'");
}

TrainingOptions training_defaults(ModelKind kind) {
  return kind == ModelKind::static_field ? TrainingOptions{} : dynamic_training_options();
}

TrainedModel train_model(ModelKind kind, const nlohmann::json& document, const PosedImages& images,
                         const std::string& scene, const TrainingOptions& options,
                         const Device& device, std::uint64_t seed,
                         const std::function<void(std::int64_t parameters)>& started) {
  TrainedModel out;
  if (kind == ModelKind::static_field) {
    RadianceField field(RadianceFieldConfig::from_json(document), device, seed);
    out.parameters = field.parameter_count();
    if (started) started(out.parameters);
    static_cast<TrainingReport&>(out.report) = train(field, images, options);
    out.record = training_record(out.report, scene, device.name());
    out.bytes = to_bytes(field, out.record);
    return out;
  }
  DynamicFieldConfig config = DynamicFieldConfig::from_json(document);
  if (kind == ModelKind::dynamic_ode) config.motion = "velocity";
  DynamicField field(config, device, seed);
  out.parameters = field.parameter_count();
  if (started) started(out.parameters);
  out.report = train(field, images, options);
  out.record = training_record(out.report, field, scene, device.name());
  out.bytes = to_bytes(field, out.record);
  out.dynamic = field.config();
  return out;
}

}  // namespace advect::radiance
