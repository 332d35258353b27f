// `advect radiance eval` of a dynamic model: each view rendered at its time, scored as a whole and
// on the scene's moving objects, split into views at training times (novel view) and at times
// never trained on (novel time); where the scene is one of `advect radiance scene`, also the
// decomposition's leak and the flow field as lidar scene flow against the exact flow.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/FlowMetrics.h"
#include "advect/geometry/SceneFlowPair.h"
#include "advect/radiance/DynamicField.h"

namespace advect::app {

struct DynamicEvalRequest {
  std::filesystem::path model, scene;
  std::string split = "test";
  std::vector<float> background;
  std::filesystem::path json, pictures;  // empty: none
  bool quiet = false;
};

int evaluate_dynamic(const radiance::DynamicField& field, const DynamicEvalRequest& request);

}  // namespace advect::app
