// The command-line flags of the scene-flow settings, shared by `sceneflow estimate|eval` and
// `accumulate`.
#pragma once

#include <CLI/CLI.hpp>

#include "advect/lidar/SceneFlowPipeline.h"

namespace advect::app {

// `sequences`: the command works on whole sequences, so the sequence method and its window are
// offered too.
void add_scene_flow_flags(CLI::App& app, lidar::SceneFlowSettings& settings,
                          bool sequences = false);

// --warm-start, for commands that fit several pairs of one sequence in order.
void add_warm_start_flag(CLI::App& app, lidar::SceneFlowSettings& settings);

}  // namespace advect::app
