// Two lidar sweeps and, when known, the true motion of the first one's points: what scene-flow
// methods take and are scored on. Positions and flows are metres, point-major float32, each in
// its own sweep's sensor frame.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "advect/geometry/PointCloud.h"
#include "advect/geometry/RigidTransform.h"
#include "advect/geometry/SceneFlowClasses.h"

namespace advect::geometry {

struct SceneFlowPair {
  std::string name;  // for messages: a file stem, a frame number
  PointCloud source, target;
  std::vector<float> flow;            // N x 3; empty without ground truth
  std::vector<std::uint8_t> mask;     // N, 1 = evaluated; empty = every point
  std::vector<std::uint8_t> classes;  // N semantic class ids of `taxonomy`; empty unless labelled
  ClassTaxonomy taxonomy = ClassTaxonomy::argoverse2;
  std::optional<RigidTransform> ego_motion;  // source sensor frame -> target sensor frame

  bool has_truth() const { return !flow.empty(); }
};

}  // namespace advect::geometry
