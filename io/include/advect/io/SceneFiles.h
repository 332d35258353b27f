// The files of `advect radiance scene`: a synthetic scene's renders and lidar sweeps with their
// exact truth, in the layouts other tools read.
//
//   transforms.json           nerfstudio / D-NeRF cameras of every frame ("time" in [0, 1] of the
//                             sequence, "camera", "step"), plus transforms_train.json and
//                             transforms_test.json (every `test_every`-th frame held out, and
//                             optionally whole steps; the last frame when there are fewer than
//                             `test_every`)
//   images/c{C}_t{T}.png      RGBA: colour and coverage (the sky transparent) over 3 x 3 rays
//   depth.npy                 (F, H, W) float32, distance along each pixel's ray (0: sky)
//   depth/c{C}_t{T}.npy       (H, W) the same per frame, each frame's "depth_file_path"
//   object_id.npy             (F, H, W) uint8: 0 sky, 1 ground, 2 + k object k
//   sky_mask.npy              (F, H, W) bool
//   flow_next.npy, flow_prev.npy  (F, H, W, 3) float32, scene flow to the next / previous step
//   optical_flow.npy          (F, H, W, 2) float32, pixels to the next step (0 on sky)
//   optical_flow/c{C}_t{T}.png  the same in the Middlebury colour code (ColourMaps.h), one
//                             scale for all frames: the longest flow is fully saturated
//   lidar/sweep_{T}.npy       (N, 3) float32 world points of step T; lidar/origins.npy (T, 3)
//   lidar/pair_{T}.npz        the scene-flow pair (pc1, pc2, flow, mask, classes) of steps T and
//                             T + 1, for `advect sceneflow eval` (classes: 0 static, 1 moving)
//   scene.json                the scene, the render options and the seed-free description
// F counts frames in transforms.json order (step-major, then camera).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "advect/radiance/LidarSupervision.h"
#include "advect/radiance/SceneRendering.h"

namespace advect::io {

// Writes into `folder` (which must exist); returns the files written. Every `test_every`-th
// frame is held out, and with `test_steps_every` > 0 also every frame of every
// `test_steps_every`-th step (steps k with k % test_steps_every == test_steps_every - 1): views
// at times never trained on.
std::vector<std::filesystem::path> write_scene(const std::filesystem::path& folder,
                                               const radiance::SceneRendering& rendering,
                                               int test_every, int test_steps_every = 0);

// The "step" -> "time" of a camera file's frames, as write_scene writes them: empty when its
// frames carry no "step" (a scene from elsewhere). Throws IoError naming the file for a frame
// with a step but no time, or an unreadable file.
std::map<int, float> read_step_times(const std::filesystem::path& transforms);

// The step T of a lidar pair file named pair_T.npz, as write_scene names them; nullopt for other
// names.
std::optional<int> pair_step(const std::filesystem::path& pair);

// The scene's normalised time of each pair file (pair_T.npz: step T of the camera file
// `transforms`). Throws IoError naming a pair without a step there, or the camera file.
std::vector<float> read_pair_times(const std::vector<std::filesystem::path>& pairs,
                                   const std::filesystem::path& transforms);

// The lidar returns of the steps that a camera file's frames show (their "step" and "time", as
// write_scene writes them), as rays from lidar/origins.npy to lidar/sweep_{T}.npy beside it:
// a split's file gives only that split's sweeps, so held-out times stay unseen. Empty when the
// folder has no lidar/origins.npy or a frame has no "step". Throws IoError naming the file.
radiance::LidarRays read_scene_lidar(const std::filesystem::path& transforms);
// The same returns where training asked for them: an IoError naming the file when there are none.
radiance::LidarRays read_required_scene_lidar(const std::filesystem::path& transforms);

}  // namespace advect::io
