#include "advect/io/SceneFiles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "advect/io/AtomicWrite.h"
#include "advect/io/ColourMaps.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"
#include "advect/io/Npz.h"
#include "advect/io/Png.h"

namespace advect::io {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

json matrix_of(const radiance::PinholeCamera& camera) {
  json rows = json::array();
  for (int r = 0; r < 3; ++r) {
    rows.push_back({camera.camera_to_world[4 * r], camera.camera_to_world[4 * r + 1],
                    camera.camera_to_world[4 * r + 2], camera.camera_to_world[4 * r + 3]});
  }
  rows.push_back({0.0, 0.0, 0.0, 1.0});
  return rows;
}

template <class T, class Field>
NpyArray stacked(const std::vector<radiance::RenderedFrame>& frames, Field field,
                 std::vector<std::size_t> shape) {
  std::vector<T> values;
  for (const radiance::RenderedFrame& frame : frames) {
    const auto& part = field(frame);
    values.insert(values.end(), part.begin(), part.end());
  }
  shape.insert(shape.begin(), frames.size());
  return NpyArray::from_values<T>(values, shape);
}

json object_json(const radiance::SceneObject& o) {
  return {{"shape", o.shape == radiance::ShapeKind::box ? "box" : "sphere"},
          {"centre", o.centre},
          {"half_size", o.half_size},
          {"yaw", o.yaw},
          {"velocity", o.velocity},
          {"yaw_rate", o.yaw_rate},
          {"pulse", o.pulse},
          {"pulse_period", o.pulse_period}};
}

}  // namespace

std::vector<fs::path> write_scene(const fs::path& folder, const radiance::SceneRendering& r,
                                  int test_every, int test_steps_every) {
  const radiance::SceneRenderOptions& o = r.options;
  std::vector<fs::path> written;
  fs::create_directories(folder / "images");
  fs::create_directories(folder / "depth");
  fs::create_directories(folder / "optical_flow");
  // One scale for every frame's flow picture, so that colours compare across frames.
  float longest = 1e-6f;
  for (const radiance::RenderedFrame& frame : r.frames) {
    for (std::size_t p = 0; 2 * p < frame.optical_flow.size(); ++p) {
      longest =
          std::max(longest, std::hypot(frame.optical_flow[2 * p], frame.optical_flow[2 * p + 1]));
    }
  }
  fs::create_directories(folder / "lidar");
  const radiance::PinholeCamera& first = r.frames.front().pose;
  const json intrinsics = {{"camera_model", "PINHOLE"},
                           {"fl_x", first.fx},
                           {"fl_y", first.fy},
                           {"cx", first.cx},
                           {"cy", first.cy},
                           {"w", o.width},
                           {"h", o.height}};
  json all = intrinsics, train = intrinsics, test = intrinsics;
  all["frames"] = train["frames"] = test["frames"] = json::array();
  const float duration = float(std::max(1, o.steps - 1)) * o.frame_time;
  for (std::size_t f = 0; f < r.frames.size(); ++f) {
    const radiance::RenderedFrame& frame = r.frames[f];
    const std::string name = fmt::format("images/c{}_t{:04d}.png", frame.camera, frame.step);
    std::vector<float>
        rgba;  // the sky transparent, as in NeRF-synthetic: a field need not model it
    for (std::size_t p = 0; p < frame.id.size(); ++p) {
      rgba.insert(rgba.end(), frame.rgb.begin() + std::ptrdiff_t(3 * p),
                  frame.rgb.begin() + std::ptrdiff_t(3 * p + 3));
      rgba.push_back(frame.alpha[p]);
    }
    write_png(folder / name, rgba, o.width, o.height, 4);
    written.push_back(folder / name);
    std::vector<float> flow_rgb;
    for (std::size_t p = 0; 2 * p < frame.optical_flow.size(); ++p) {
      const Rgb c =
          flow_colour(frame.optical_flow[2 * p] / longest, frame.optical_flow[2 * p + 1] / longest);
      flow_rgb.insert(flow_rgb.end(), {float(c.r), float(c.g), float(c.b)});
    }
    const std::string flow_name =
        fmt::format("optical_flow/c{}_t{:04d}.png", frame.camera, frame.step);
    write_png(folder / flow_name, flow_rgb, o.width, o.height, 3);
    written.push_back(folder / flow_name);
    const std::string depth_name = fmt::format("depth/c{}_t{:04d}.npy", frame.camera, frame.step);
    write_npy(folder / depth_name, NpyArray::from_values<float>(
                                       frame.depth, {std::size_t(o.height), std::size_t(o.width)}));
    written.push_back(folder / depth_name);
    const json entry = {{"file_path", name},
                        {"depth_file_path", depth_name},
                        {"transform_matrix", matrix_of(frame.pose)},
                        {"time", o.steps > 1 ? frame.time / duration : 0.0f},
                        {"camera", frame.camera},
                        {"step", frame.step}};
    all["frames"].push_back(entry);
    const bool held_frame =
        test_every > 0 && f % std::size_t(test_every) == std::size_t(test_every - 1);
    const bool held_step =
        test_steps_every > 0 && frame.step % test_steps_every == test_steps_every - 1;
    (held_frame || held_step ? test : train)["frames"].push_back(entry);
  }
  // Fewer frames than test_every would leave the test split empty (and `eval` with nothing to
  // score): hold out the last frame then.
  if (test_every > 0 && test["frames"].empty() && train["frames"].size() > 1) {
    test["frames"].push_back(train["frames"].back());
    train["frames"].erase(train["frames"].size() - 1);
  }
  const auto write_json = [&](const char* name, const json& value) {
    write_file_bytes(folder / name, value.dump(1) + "\n");
    written.push_back(folder / name);
  };
  write_json("transforms.json", all);
  write_json("transforms_train.json", train);
  write_json("transforms_test.json", test);
  const std::size_t h = std::size_t(o.height), w = std::size_t(o.width);
  const auto write_array = [&](const fs::path& name, const NpyArray& array) {
    write_npy(folder / name, array);
    written.push_back(folder / name);
  };
  write_array("depth.npy",
              stacked<float>(r.frames, [](auto& f) -> auto& { return f.depth; }, {h, w}));
  write_array("object_id.npy",
              stacked<std::uint8_t>(r.frames, [](auto& f) -> auto& { return f.id; }, {h, w}));
  std::vector<std::uint8_t> sky;
  for (const auto& frame : r.frames) {
    for (std::uint8_t id : frame.id) sky.push_back(id == 0);
  }
  NpyArray sky_mask = NpyArray::from_values<std::uint8_t>(sky, {r.frames.size(), h, w});
  sky_mask.dtype = DType::boolean;
  write_array("sky_mask.npy", sky_mask);
  write_array("flow_next.npy",
              stacked<float>(r.frames, [](auto& f) -> auto& { return f.flow_next; }, {h, w, 3}));
  write_array("flow_prev.npy",
              stacked<float>(r.frames, [](auto& f) -> auto& { return f.flow_prev; }, {h, w, 3}));
  write_array("optical_flow.npy",
              stacked<float>(r.frames, [](auto& f) -> auto& { return f.optical_flow; }, {h, w, 2}));
  std::vector<float> origins;
  for (std::size_t s = 0; s < r.sweeps.size(); ++s) {
    const radiance::LidarSweep& sweep = r.sweeps[s];
    origins.insert(origins.end(), sweep.origin, sweep.origin + 3);
    write_array(fmt::format("lidar/sweep_{:04d}.npy", s),
                NpyArray::from_values<float>(sweep.points, {sweep.range.size(), 3}));
    if (s + 1 == r.sweeps.size()) break;
    const radiance::LidarSweep& next = r.sweeps[s + 1];
    std::vector<float> mask(sweep.range.size(), 1.0f), classes;
    for (std::uint8_t id : sweep.id) classes.push_back(id >= 2 ? 1.0f : 0.0f);
    const std::vector<float> identity = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const fs::path pair = folder / fmt::format("lidar/pair_{:04d}.npz", s);
    write_npz(pair,
              {{"pc1", NpyArray::from_values<float>(sweep.points, {sweep.range.size(), 3})},
               {"pc2", NpyArray::from_values<float>(next.points, {next.range.size(), 3})},
               {"flow", NpyArray::from_values<float>(sweep.flow_next, {sweep.range.size(), 3})},
               {"mask", NpyArray::from_values<float>(mask, {mask.size()})},
               {"classes", NpyArray::from_values<float>(classes, {classes.size()})},
               {"ego_motion", NpyArray::from_values<float>(identity, {4, 4})}});
    written.push_back(pair);
  }
  write_array("lidar/origins.npy", NpyArray::from_values<float>(origins, {r.sweeps.size(), 3}));
  json objects = json::array();
  for (int k = 0; k < r.scene.object_count; ++k) objects.push_back(object_json(r.scene.objects[k]));
  write_json("scene.json", {{"objects", objects},
                            {"ground_radius", r.scene.ground_radius},
                            {"width", o.width},
                            {"height", o.height},
                            {"fov_x", o.fov_x},
                            {"cameras", o.cameras},
                            {"steps", o.steps},
                            {"frame_time", o.frame_time},
                            {"rig_radius", o.rig_radius},
                            {"rig_height", o.rig_height},
                            {"rig_rate", o.rig_rate},
                            {"look_at", o.look_at},
                            {"lidar_rows", o.lidar_rows},
                            {"lidar_columns", o.lidar_columns}});
  return written;
}

}  // namespace advect::io

namespace advect::io {

std::map<int, float> read_step_times(const fs::path& transforms) {
  std::map<int, float> times;
  try {
    const json document = json::parse(read_file_bytes(transforms));
    for (const json& frame : document.at("frames")) {
      if (!frame.contains("step")) return {};
      times[frame.at("step").get<int>()] = frame.at("time").get<float>();
    }
  } catch (const json::exception& error) {
    throw IoError(transforms,
                  std::string("unreadable frames (each needs a \"time\" with its \"step\"): ") +
                      error.what());
  }
  return times;
}

std::optional<int> pair_step(const fs::path& pair) {
  const std::string stem = pair.stem().string();
  if (pair.extension() != ".npz" || stem.size() <= 5 || stem.rfind("pair_", 0) != 0 ||
      !std::all_of(stem.begin() + 5, stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(stem.substr(5));
}

std::vector<float> read_pair_times(const std::vector<fs::path>& pairs, const fs::path& transforms) {
  const std::map<int, float> step_times = read_step_times(transforms);
  std::vector<float> times;
  for (const fs::path& pair : pairs) {
    const std::optional<int> step = pair_step(pair);
    const auto found = step ? step_times.find(*step) : step_times.end();
    if (found == step_times.end()) {
      throw IoError(pair,
                    "no step of " + transforms.string() + " for this pair (pair_T.npz, T a step)");
    }
    times.push_back(found->second);
  }
  return times;
}

radiance::LidarRays read_scene_lidar(const fs::path& transforms) {
  const fs::path folder = transforms.parent_path();
  const fs::path origins_file = folder / "lidar" / "origins.npy";
  radiance::LidarRays rays;
  if (!fs::exists(origins_file)) return rays;
  const std::map<int, float> steps = read_step_times(transforms);
  const NpyArray origins = read_npy(origins_file);
  if (origins.shape.size() != 2 || origins.shape[1] != 3) {
    throw IoError(origins_file, "not (sweeps, 3)");
  }
  const std::vector<float> origin = origins.values<float>();
  for (const auto& [step, time] : steps) {
    if (step < 0 || std::size_t(step) >= origins.shape[0]) {
      throw IoError(origins_file, fmt::format("no origin for step {}", step));
    }
    const fs::path sweep = folder / "lidar" / fmt::format("sweep_{:04d}.npy", step);
    const NpyArray points = read_npy(sweep);
    if (points.shape.size() != 2 || points.shape[1] != 3) throw IoError(sweep, "not (N, 3)");
    rays.add_sweep(points.values<float>(), &origin[3 * std::size_t(step)], time, true);
  }
  return rays;
}

radiance::LidarRays read_required_scene_lidar(const fs::path& transforms) {
  radiance::LidarRays rays = read_scene_lidar(transforms);
  if (rays.size() == 0) {
    throw IoError(transforms,
                  "no lidar returns for its frames (lidar/origins.npy and lidar/sweep_T.npy of "
                  "each \"step\" beside it)");
  }
  return rays;
}

}  // namespace advect::io
