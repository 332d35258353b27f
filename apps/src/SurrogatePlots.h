// Pictures of a surrogate evaluation (neural/SurrogateEvaluation.h): the truth and each method's
// prediction and error for the first test case.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "advect/io/CfdBench.h"
#include "advect/neural/SurrogateEvaluation.h"

namespace advect::app {

// The shape of a dataset's sequences, as the surrogate takes them (one channel).
inline neural::SequenceShape shape_of(const io::CfdBenchCases& cases) {
  return {cases.frames, cases.height, cases.width, 1};
}

// Pictures of the first test case at the last unobserved frame of the horizon (the last frame
// of the horizon when every frame is observed) and at the last frame scored: the truth and the
// three methods side by side (DIR/eval_frame_NN.png) and their errors (eval_frame_NN_error.png).
// Returns the files written.
std::vector<std::filesystem::path> plot_evaluation(const std::filesystem::path& directory,
                                                   const neural::Evaluation& evaluation,
                                                   const io::CfdBenchCases& cases,
                                                   const neural::ObservationProtocol& protocol,
                                                   const std::string& field);

}  // namespace advect::app
