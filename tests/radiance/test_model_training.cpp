// The training pipeline that `advect radiance train` and Python's train_radiance share: the
// field its document describes, trained as training that field directly trains it.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>

#include "advect/radiance/ModelTraining.h"
#include "advect/radiance/RadianceFieldFile.h"

namespace advect::testing {
namespace {

// Two 8 x 8 frames of noise at times 0 and 1, seen from above the unit box.
radiance::PosedImages two_frames() {
  radiance::PosedImages images;
  images.width = images.height = 8;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (int i = 0; i < 2; ++i) {
    radiance::PinholeCamera camera;
    camera.width = camera.height = 8;
    camera.fx = camera.fy = 8.0f;
    camera.cx = camera.cy = 4.0f;
    camera.camera_to_world[3] = 0.1f * float(i);
    camera.camera_to_world[11] = 3.0f;  // at z = 3 looking down -z
    images.cameras.push_back(camera);
    images.names.push_back("frame" + std::to_string(i));
    images.times.push_back(float(i));
  }
  images.rgba.resize(2 * 8 * 8 * 4);
  for (float& value : images.rgba) value = u(rng);
  return images;
}

nlohmann::json small_grid(int dims) {
  return {{"otype", "HashGrid"},
          {"n_input_dims", dims},
          {"n_levels", 2},
          {"log2_hashmap_size", 8},
          {"base_resolution", 4}};
}

radiance::TrainingOptions three_steps(radiance::ModelKind kind) {
  radiance::TrainingOptions options = radiance::training_defaults(kind);
  options.max_steps = 3;
  options.samples_per_step = 1024;
  return options;
}

TEST(ModelTraining, KindsByNameAndTheirDefaults) {
  EXPECT_EQ(radiance::model_kind_from("static"), radiance::ModelKind::static_field);
  EXPECT_EQ(radiance::model_kind_from("dynamic"), radiance::ModelKind::dynamic);
  EXPECT_EQ(radiance::model_kind_from("dynamic-ode"), radiance::ModelKind::dynamic_ode);
  try {
    radiance::model_kind_from("nerf");
    ADD_FAILURE() << "accepted 'nerf'";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("dynamic-ode"), std::string::npos) << error.what();
  }
  EXPECT_EQ(radiance::training_defaults(radiance::ModelKind::static_field).samples_per_step,
            radiance::TrainingOptions{}.samples_per_step);
  EXPECT_EQ(radiance::training_defaults(radiance::ModelKind::dynamic_ode).occupancy_interval,
            radiance::dynamic_training_options().occupancy_interval);
}

TEST(ModelTraining, TrainsTheDynamicFieldItsDocumentDescribes) {
  const radiance::PosedImages images = two_frames();
  const nlohmann::json document = {
      {"static", {{"encoding", small_grid(3)}, {"occupancy_resolution", 8}}},
      {"dynamic_encoding", small_grid(4)},
      {"flow_encoding", small_grid(4)}};
  const auto kind = radiance::ModelKind::dynamic_ode;
  std::int64_t announced = -1;
  const radiance::TrainedModel model =
      radiance::train_model(kind, document, images, "frames.json", three_steps(kind), Device::cpu(),
                            4, [&](std::int64_t count) { announced = count; });

  radiance::DynamicFieldConfig config = radiance::DynamicFieldConfig::from_json(document);
  config.motion = "velocity";
  radiance::DynamicField field(config, Device::cpu(), 4);
  radiance::train(field, images, three_steps(kind));

  const radiance::LoadedRadianceField loaded =
      radiance::from_bytes(model.bytes, "model", Device::cpu());
  ASSERT_TRUE(loaded.dynamic);
  EXPECT_EQ(loaded.dynamic->parameters().to_host(), field.parameters().to_host());
  EXPECT_EQ(announced, field.parameter_count());
  EXPECT_EQ(model.parameters, field.parameter_count());
  ASSERT_TRUE(model.dynamic);
  EXPECT_TRUE(model.dynamic->velocity());
  EXPECT_FLOAT_EQ(model.dynamic->frame_time, 1.0f);  // the frames' times 0 and 1
  EXPECT_EQ(model.report.steps, 3);
  EXPECT_EQ(model.record["steps"], 3);
  EXPECT_EQ(model.record["scene"], "frames.json");
  EXPECT_EQ(loaded.training, model.record);
}

TEST(ModelTraining, TrainsTheStaticFieldItsDocumentDescribes) {
  const radiance::PosedImages images = two_frames();
  const nlohmann::json document = {{"encoding", small_grid(3)}, {"occupancy_resolution", 8}};
  const auto kind = radiance::ModelKind::static_field;
  const radiance::TrainedModel model = radiance::train_model(kind, document, images, "frames.json",
                                                             three_steps(kind), Device::cpu(), 4);

  radiance::RadianceField field(radiance::RadianceFieldConfig::from_json(document), Device::cpu(),
                                4);
  radiance::train(field, images, three_steps(kind));

  const radiance::LoadedRadianceField loaded =
      radiance::from_bytes(model.bytes, "model", Device::cpu());
  ASSERT_TRUE(loaded.field);
  EXPECT_EQ(loaded.field->parameters().to_host(), field.parameters().to_host());
  EXPECT_FALSE(model.dynamic);
  EXPECT_EQ(model.parameters, field.parameter_count());
  EXPECT_EQ(model.record["steps"], 3);
}

// Three steps: the entropy of the split is off before its start (a share of the budget) and on
// from there; its weight and skewness reach the record.
TEST(ModelTraining, TheSplitsEntropyStartsAtItsShareOfTheBudget) {
  const radiance::PosedImages images = two_frames();
  const auto kind = radiance::ModelKind::dynamic;
  const auto last_entropy = [&](double start) {
    const nlohmann::json document = {
        {"static", {{"encoding", small_grid(3)}, {"occupancy_resolution", 8}}},
        {"dynamic_encoding", small_grid(4)},
        {"flow_encoding", small_grid(4)},
        {"entropy", 0.5},
        {"entropy_start", start}};
    const radiance::TrainedModel model = radiance::train_model(
        kind, document, images, "frames.json", three_steps(kind), Device::cpu(), 2);
    EXPECT_EQ(model.record["entropy"], model.report.entropy);
    return model.report.entropy;
  };
  EXPECT_EQ(last_entropy(0.9), 0.0);  // the last step is at 2/3 of the budget
  EXPECT_GT(last_entropy(0.5), 0.0);
}

TEST(ModelTraining, RefusesABadDocumentBeforeTraining) {
  const radiance::PosedImages images = two_frames();
  const auto kind = radiance::ModelKind::dynamic;
  bool started = false;
  EXPECT_THROW(
      radiance::train_model(kind, {{"flows", true}}, images, "frames.json", three_steps(kind),
                            Device::cpu(), 0, [&](std::int64_t) { started = true; }),
      std::invalid_argument);
  EXPECT_FALSE(started);
}

}  // namespace
}  // namespace advect::testing
