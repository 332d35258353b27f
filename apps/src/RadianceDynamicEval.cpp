#include "RadianceDynamicEval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "advect/engine/Progress.h"
#include "advect/geometry/FlowMetrics.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/ColourMaps.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/Png.h"
#include "advect/io/SceneFiles.h"
#include "advect/io/SceneFlowData.h"
#include "advect/radiance/DynamicTraining.h"
#include "advect/radiance/ImageMetrics.h"
#include "advect/radiance/OpticalFlow.h"

namespace advect::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read_json(const fs::path& path) {
  try {
    return json::parse(io::read_file_bytes(path));
  } catch (const json::exception& error) {
    throw io::IoError(path, std::string("not valid JSON (") + error.what() + ")");
  }
}

// What `advect radiance scene` wrote beside the pictures: object ids per frame, which objects
// move, each frame's step and each step's time, every frame's camera and the optical flow.
struct SceneTruth {
  std::map<std::string, std::size_t> frame_of;  // file_path -> frame index in transforms.json
  std::map<std::pair<int, int>, std::size_t> frame_at;  // (camera, step) -> frame index
  std::vector<std::pair<int, int>> camera_step;         // frame index -> (camera, step)
  std::vector<radiance::PinholeCamera> cameras;         // frame index -> pose
  std::map<int, float> time_of_step;
  std::vector<std::uint8_t> ids;    // frames x height x width
  std::vector<float> optical_flow;  // frames x height x width x 2 (empty: not written)
  std::set<int> movers;             // object ids (2 + k) of the objects that move
  std::size_t pixels = 0;

  // The same camera's frame one step on, where there is one and the optical flow to it is known.
  std::optional<std::size_t> next_frame(std::size_t frame) const {
    const auto found = frame_at.find({camera_step[frame].first, camera_step[frame].second + 1});
    if (optical_flow.empty() || found == frame_at.end()) return std::nullopt;
    return found->second;
  }
};

std::optional<SceneTruth> read_truth(const fs::path& scene) {
  if (!fs::is_directory(scene) || !fs::exists(scene / "object_id.npy") ||
      !fs::exists(scene / "scene.json") || !fs::exists(scene / "transforms.json")) {
    return std::nullopt;
  }
  SceneTruth truth;
  const json all = read_json(scene / "transforms.json");
  try {
    const auto& frames = all.at("frames");
    for (std::size_t f = 0; f < frames.size(); ++f) {
      truth.frame_of[frames[f].at("file_path").get<std::string>()] = f;
      const int camera = frames[f].at("camera").get<int>(), step = frames[f].at("step").get<int>();
      truth.frame_at[{camera, step}] = f;
      truth.camera_step.emplace_back(camera, step);
    }
    const json description = read_json(scene / "scene.json");
    const auto& objects = description.at("objects");
    for (std::size_t k = 0; k < objects.size(); ++k) {
      const auto& o = objects[k];
      bool moves = o.value("yaw_rate", 0.0) != 0.0 || o.value("pulse", 0.0) != 0.0;
      for (const auto& v : o.at("velocity")) moves = moves || v.get<double>() != 0.0;
      if (moves) truth.movers.insert(2 + int(k));
    }
  } catch (const json::exception& error) {
    throw io::IoError(scene, std::string("scene files lack a key (") + error.what() + ")");
  }
  const io::NpyArray ids = io::read_npy(scene / "object_id.npy");
  if (ids.shape.size() != 3 || ids.shape[0] != truth.frame_of.size()) {
    throw io::IoError(scene / "object_id.npy", "not (frames, height, width)");
  }
  truth.pixels = ids.shape[1] * ids.shape[2];
  truth.ids = ids.values<std::uint8_t>();
  truth.cameras = io::read_transforms_json(scene / "transforms.json").cameras;
  truth.time_of_step = io::read_step_times(scene / "transforms.json");
  if (fs::exists(scene / "optical_flow.npy")) {
    const io::NpyArray flow = io::read_npy(scene / "optical_flow.npy");
    if (flow.shape != std::vector<std::size_t>{ids.shape[0], ids.shape[1], ids.shape[2], 2}) {
      throw io::IoError(scene / "optical_flow.npy", "not (frames, height, width, 2)");
    }
    truth.optical_flow = flow.values<float>();
  }
  return truth;
}

// Accumulates one group of views (all, novel view, novel time).
struct ViewGroup {
  radiance::ImageError all, dynamic;
  double ssim = 0;
  std::size_t views = 0;
  json to_json() const {
    return {{"views", views},
            {"psnr", all.psnr()},
            {"ssim_gaussian11", views ? ssim / double(views) : NAN},
            {"dynamic_psnr", dynamic.psnr()},
            {"dynamic_pixels", dynamic.values / 3}};
  }
};

void put_panel(std::vector<float>& picture, int panels, int w, int h, int slot,
               const std::vector<float>& rgb) {
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        picture[(std::size_t(y) * std::size_t(panels * w) + std::size_t(slot * w + x)) * 3 +
                std::size_t(c)] =
            rgb[(std::size_t(y) * std::size_t(w) + std::size_t(x)) * 3 + std::size_t(c)];
      }
    }
  }
}

// The horizontal part of a 3-D flow (bird's-eye direction and speed) in the Middlebury colours.
std::vector<float> flow_picture(const float* flow, std::size_t pixels, float longest) {
  std::vector<float> rgb(3 * pixels);
  for (std::size_t p = 0; p < pixels; ++p) {
    const io::Rgb c = io::flow_colour(flow[3 * p] / longest, flow[3 * p + 1] / longest);
    rgb[3 * p] = float(c.r), rgb[3 * p + 1] = float(c.g), rgb[3 * p + 2] = float(c.b);
  }
  return rgb;
}

std::vector<float> grey(const std::vector<float>& values, float scale) {
  std::vector<float> rgb(3 * values.size());
  for (std::size_t p = 0; p < values.size(); ++p) {
    const float v = std::clamp(values[p] * scale, 0.0f, 1.0f);
    rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = v;
  }
  return rgb;
}

}  // namespace

int evaluate_dynamic(const radiance::DynamicField& field, const DynamicEvalRequest& request) {
  const io::PosedImageSet scene = io::read_posed_images(request.scene, request.split);
  const radiance::PosedImages& images = scene.images;
  if (images.times.size() != images.size()) {
    throw io::IoError(scene.source, "frames without \"time\": a dynamic model needs them");
  }
  const std::vector<float> train_times = io::read_posed_images(request.scene, "train").images.times;
  const auto trained_at = [&](float t) {
    return std::any_of(train_times.begin(), train_times.end(),
                       [&](float s) { return std::abs(s - t) < 1e-6f; });
  };
  const std::optional<SceneTruth> truth = read_truth(request.scene);
  const std::size_t pixels = std::size_t(images.width) * std::size_t(images.height);
  if (truth && truth->pixels != pixels) {
    throw io::IoError(request.scene / "object_id.npy", "frames differ in size from the pictures");
  }
  std::optional<io::OutputFolder> folder;
  if (!request.pictures.empty()) folder.emplace(request.pictures);
  ViewGroup all, novel_view, novel_time;
  double leak_share = 0, leak_opacity = 0, mover_share = 0, mover_opacity = 0;
  radiance::DepthError depth_sum;
  // Optical flow to the next frame: the model's, and the camera's motion alone (flow 0), on all
  // surface pixels and on the movers.
  radiance::OpticalFlowError optical[2][2];
  std::size_t optical_views = 0;
  json views = json::array();
  ProgressBar bar("eval", double(images.size()), "views", show_progress(request.quiet));
  for (std::size_t i = 0; i < images.size(); ++i) {
    const float time = images.times[i];
    const radiance::DynamicRenderedImage rendered =
        radiance::render(field, images.cameras[i], time, request.background.data());
    const std::vector<float> target =
        radiance::composite_over(images, i, request.background.data());
    std::vector<std::uint8_t> moving, still;
    std::size_t frame = 0;
    if (truth) {
      const auto found = truth->frame_of.find(images.names[i]);
      if (found == truth->frame_of.end()) {
        throw io::IoError(scene.source, images.names[i] + " is not in transforms.json");
      }
      frame = found->second;
      moving.resize(pixels);
      still.resize(pixels);
      for (std::size_t p = 0; p < pixels; ++p) {
        const int id = truth->ids[frame * pixels + p];
        moving[p] = truth->movers.count(id) ? 1 : 0;
        still[p] = id >= 1 && !moving[p];
        if (moving[p])
          mover_share += rendered.dynamic_share[p], mover_opacity += rendered.opacity[p];
        if (still[p]) leak_share += rendered.dynamic_share[p], leak_opacity += rendered.opacity[p];
      }
    }
    if (const std::optional<std::size_t> next = truth ? truth->next_frame(frame) : std::nullopt) {
      const std::vector<float> exact(
          truth->optical_flow.begin() + std::ptrdiff_t(2 * frame * pixels),
          truth->optical_flow.begin() + std::ptrdiff_t(2 * (frame + 1) * pixels));
      std::vector<std::uint8_t> surface(pixels);
      for (std::size_t p = 0; p < pixels; ++p) surface[p] = truth->ids[frame * pixels + p] != 0;
      for (int carried = 0; carried < 2; ++carried) {
        const std::vector<float> predicted = radiance::rendered_optical_flow(
            rendered, images.cameras[i], truth->cameras[*next], carried == 0);
        optical[carried][0] += radiance::optical_flow_error(predicted, exact, surface);
        optical[carried][1] += radiance::optical_flow_error(predicted, exact, moving);
      }
      ++optical_views;
    }
    const radiance::ImageError error = radiance::image_error(rendered.rgb, target, {});
    const radiance::ImageError dynamic_error =
        truth ? radiance::image_error(rendered.rgb, target, moving) : radiance::ImageError{};
    const double s11 = radiance::ssim(rendered.rgb, target, images.width, images.height, 3,
                                      radiance::SsimWindow::gaussian11);
    const bool seen_time = trained_at(time);
    for (ViewGroup* group : {&all, seen_time ? &novel_view : &novel_time}) {
      group->all += error;
      group->dynamic += dynamic_error;
      group->ssim += s11;
      group->views += 1;
    }
    json view = {{"view", images.names[i]}, {"time", time},
                 {"psnr", error.psnr()},    {"dynamic_psnr", dynamic_error.psnr()},
                 {"ssim_gaussian11", s11},  {"time_trained", seen_time}};
    if (const float* depth = images.depth_of(i)) {
      const radiance::DepthError e = radiance::depth_error(rendered.depth, depth);
      view["depth_rmse"] = e.rmse();
      depth_sum += e;
    }
    views.push_back(view);
    if (folder) {
      // truth | render | static | dynamic | dynamic share | depth | flow (truth's scale)
      constexpr int kPanels = 7;
      const int w = images.width, h = images.height;
      std::vector<float> picture(std::size_t(kPanels * w) * std::size_t(h) * 3);
      float longest = 1e-6f;
      for (std::size_t p = 0; p < pixels; ++p) {
        longest = std::max(longest, std::hypot(rendered.flow[3 * p], rendered.flow[3 * p + 1]));
      }
      put_panel(picture, kPanels, w, h, 0, target);
      put_panel(picture, kPanels, w, h, 1, rendered.rgb);
      put_panel(picture, kPanels, w, h, 2, rendered.static_rgb);
      put_panel(picture, kPanels, w, h, 3, rendered.dynamic_rgb);
      put_panel(picture, kPanels, w, h, 4, grey(rendered.dynamic_share, 1.0f));
      const float far = *std::max_element(rendered.depth.begin(), rendered.depth.end());
      put_panel(picture, kPanels, w, h, 5, grey(rendered.depth, far > 0 ? 1.0f / far : 0.0f));
      put_panel(picture, kPanels, w, h, 6, flow_picture(rendered.flow.data(), pixels, longest));
      io::write_png(*folder / fmt::format("view_{:03d}.png", i), picture, kPanels * w, h, 3);
    }
    bar.update(double(i + 1));
  }
  bar.finish();
  json table = {{"model", request.model.string()},
                {"scene", scene.source.string()},
                {"split", request.split},
                {"all", all.to_json()},
                {"novel_view", novel_view.to_json()},
                {"novel_time", novel_time.to_json()},
                {"views", views}};
  std::cout << fmt::format(
      "{} views of {} ({} x {}) at their times, background ({:g}, {:g}, {:g})\n", images.size(),
      scene.source.string(), images.width, images.height, request.background[0],
      request.background[1], request.background[2]);
  std::cout << "  views                  count   PSNR dB   SSIM    dynamic-only PSNR dB\n";
  for (const auto& [name, group] :
       {std::pair{"all", &all}, std::pair{"at training times", &novel_view},
        std::pair{"at new times", &novel_time}}) {
    if (group->views == 0) continue;
    std::cout << fmt::format("  {:<22} {:>5}   {:>7.2f}   {:.4f}  {:>7.2f}\n", name, group->views,
                             group->all.psnr(), group->ssim / double(group->views),
                             group->dynamic.psnr());
  }
  if (depth_sum.pixels > 0) {
    table["depth"] = {{"rmse", depth_sum.rmse()}, {"pixels", depth_sum.pixels}};
    std::cout << fmt::format("  depth RMSE {:.4f} world units over {} pixels of known depth\n",
                             depth_sum.rmse(), depth_sum.pixels);
  }
  if (truth) {
    const double leak = leak_opacity > 0 ? leak_share / leak_opacity : NAN;
    const double recall = mover_opacity > 0 ? mover_share / mover_opacity : NAN;
    table["decomposition"] = {{"leak", leak}, {"dynamic_share_on_movers", recall}};
    std::cout << fmt::format(
        "  decomposition: {:.1f}% of static pixels' opacity is dynamic (leak); {:.1f}% on the "
        "movers\n",
        100 * leak, 100 * recall);
    if (optical_views > 0) {
      const auto entry = [](const radiance::OpticalFlowError& e) {
        return json{{"epe_pixels", e.epe()}, {"pixels", e.pixels}, {"unscored", e.unscored}};
      };
      table["optical_flow"] = {
          {"views", optical_views},
          {"surface", entry(optical[0][0])},
          {"movers", entry(optical[0][1])},
          {"camera_motion_only",
           {{"surface", entry(optical[1][0])}, {"movers", entry(optical[1][1])}}}};
      std::cout << fmt::format(
          "  optical flow to the next frame, {} views: EPE {:.3f} px on surfaces, {:.3f} px on the "
          "movers; with the flow field left out (the camera's motion alone) {:.3f} / {:.3f} px "
          "({} surface pixels scored, {} left out below opacity 0.5)\n",
          optical_views, optical[0][0].epe(), optical[0][1].epe(), optical[1][0].epe(),
          optical[1][1].epe(), optical[0][0].pixels, optical[0][0].unscored);
    }
    const fs::path lidar = request.scene / "lidar";
    if (fs::is_directory(lidar)) {
      geometry::PooledFlowErrors movers_sum, points_sum;
      json pairs = json::array();
      for (const fs::path& path : io::list_scene_flow_pairs(lidar)) {
        const geometry::SceneFlowPair pair = io::read_scene_flow_npz(path);
        const std::optional<int> step = io::pair_step(path);
        const auto t = step ? truth->time_of_step.find(*step) : truth->time_of_step.end();
        if (t == truth->time_of_step.end() || !pair.has_truth()) continue;
        const std::vector<float> predicted =
            radiance::scene_flow_at(field, pair.source.positions, t->second);
        const auto [a, m] = geometry::pair_flow_errors(pair, predicted);
        movers_sum.add(m);
        points_sum.add(a);
        pairs.push_back({{"pair", path.filename().string()},
                         {"epe3d_movers", m.epe3d},
                         {"movers", m.points},
                         {"epe3d", a.epe3d}});
      }
      const auto mean = [](const geometry::PooledFlowErrors& pooled) {
        const geometry::FlowErrors e = pooled.mean();
        return json{{"epe3d", e.epe3d},       {"acc3ds", e.acc3ds}, {"acc3dr", e.acc3dr},
                    {"outliers", e.outliers}, {"angle", e.angle},   {"points", e.points}};
      };
      table["lidar_flow"] = {
          {"movers", mean(movers_sum)}, {"all", mean(points_sum)}, {"pairs", pairs}};
      const json m = table["lidar_flow"]["movers"], a = table["lidar_flow"]["all"];
      std::cout << fmt::format(
          "  flow at the lidar points, {} pairs: movers EPE3D {:.4f} Acc3DS {:.3f} Acc3DR {:.3f} "
          "outliers {:.3f} angle {:.3f} rad ({} points); all points EPE3D {:.4f}\n",
          pairs.size(), m["epe3d"].get<double>(), m["acc3ds"].get<double>(),
          m["acc3dr"].get<double>(), m["outliers"].get<double>(), m["angle"].get<double>(),
          m["points"].get<std::size_t>(), a["epe3d"].get<double>());
    }
  }
  if (!request.json.empty()) io::write_file_bytes(request.json, table.dump(2) + "\n");
  if (folder) {
    folder->commit();
    std::cout << fmt::format(
        "pictures (truth | render | static | dynamic | dynamic share | depth | flow): {}\n",
        folder->target().string());
  }
  return 0;
}

}  // namespace advect::app
