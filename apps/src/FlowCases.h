// Reading a flow dataset in CFDBench's layout (DIR/caseNNNN/{FIELD.npy, case.json}, float32
// (T, H, W)) for the surrogate, and its split by case: the case folders in name order, the last
// `test_fraction` of them (at least one) are the test cases, the rest the training cases, so
// test trajectories start from initial fields (or parameters) no training case had.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "advect/neural/SparseObservations.h"

namespace advect::app {

enum class CaseSplit { train, test, all };

struct FlowCases {
  std::vector<std::filesystem::path> folders;
  std::vector<std::vector<float>> sequences;  // each shape.size() floats, (T, H, W)
  neural::SequenceShape shape;                // channels 1
  double frame_interval = 1.0;                // seconds, from case.json
  bool periodic = false;  // a flow on the torus (case.json's case "vorticity"), not in a box
};

// Keeps the first `max_frames` frames of each case (0: all). Throws io::IoError naming the file
// (missing field, shape differing between cases, NaN or infinite values, no cases).
FlowCases read_flow_cases(const std::filesystem::path& directory, const std::string& field,
                          CaseSplit split, double test_fraction, int max_frames = 0);

}  // namespace advect::app
