// Scene-flow pairs on disk: two sweeps and, when known, the true motion of the first one's points.
//
// Two layouts are read:
//   * one .npz per pair (FlowNet3D/NSFP tooling): pc1 (N, 3), pc2 (M, 3), optional flow (N, 3) and
//     mask (N,) (nonzero = evaluated). FlowNet3D's KITTI names pos1, pos2, gt are accepted too.
//     Argoverse 2 pairs may add classes (N,) (semantic class, 0 = background) and ego_motion (4, 4)
//     (the rigid transform from the first sweep's sensor frame to the second's, row-major), which
//     the three-way EPE needs. PandaSet pairs carry semseg (N,) (PandaSet's class ids) instead of
//     classes.
//   * two point-cloud files (any format read_point_cloud reads) plus an optional flow file
//     (.npy (N, 3) or .xyz), e.g. the KITTI pc1.xyz, pc2.xyz, gt_flow.xyz.
// Positions and flows are metres, point-major float32. Every problem (missing key, wrong shape,
// NaN, empty cloud) is an IoError naming the file.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "advect/geometry/SceneFlowPair.h"

namespace advect::io {

using geometry::SceneFlowPair;

SceneFlowPair read_scene_flow_npz(const std::filesystem::path& path);

SceneFlowPair read_scene_flow_files(const std::filesystem::path& source,
                                    const std::filesystem::path& target,
                                    const std::optional<std::filesystem::path>& flow = {});

// A flow file (.npy (N, 3) or .xyz, metres) for a cloud of `points` points; IoError naming the
// file for another count or a non-finite vector.
std::vector<float> read_flow_file(const std::filesystem::path& path, std::size_t points);

// The pairs of a dataset: the .npz files of a directory in name order, or one .npz file. IoError
// if the path does not exist or holds no .npz file.
std::vector<std::filesystem::path> list_scene_flow_pairs(const std::filesystem::path& dataset);

// A dataset's pairs (list_scene_flow_pairs) read, each with its ground-truth flow: IoError naming
// the first file without one.
struct ScoredPairs {
  std::vector<std::filesystem::path> files;
  std::vector<SceneFlowPair> pairs;
};
ScoredPairs read_scored_pairs(const std::filesystem::path& dataset);

}  // namespace advect::io
