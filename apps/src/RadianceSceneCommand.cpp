// `advect radiance scene`: the engine's synthetic street with its exact truth (SceneRendering.h).
#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "Command.h"
#include "advect/engine/Timing.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/SceneFiles.h"
#include "advect/radiance/SceneRendering.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

class RadianceSceneCommand final : public Command {
 public:
  explicit RadianceSceneCommand(CLI::App& parent) {
    app_ = parent.add_subcommand(
        "scene",
        "Render the engine's synthetic street (exact depth, masks, scene flow, optical flow, "
        "lidar) as transforms.json + PNG + .npy");
    app_->add_option("-o,--output", output_, "Output folder (created if missing)")->required();
    app_->add_option("--size", size_, "Image width and height, pixels")
        ->check(CLI::Range(8, 4096))
        ->capture_default_str();
    app_->add_option("--cameras", options_.cameras, "Cameras on the rig")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    app_->add_option("--steps", options_.steps, "Time steps")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    app_->add_option("--frame-time", options_.frame_time, "Time between steps")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app_->add_option("--rig-rate", options_.rig_rate,
                     "The rig's turn rate about the scene centre, radians per unit time")
        ->capture_default_str();
    app_->add_option("--test-every", test_every_,
                     "Hold out every N-th frame in transforms_test.json (0: none)")
        ->check(CLI::Range(0, 1000000))
        ->capture_default_str();
    app_->add_option("--test-steps-every", test_steps_every_,
                     "Also hold out every camera of every N-th step (views at new times; 0: none)")
        ->check(CLI::Range(0, 1000000))
        ->capture_default_str();
    app_->add_flag("--static", frozen_, "Objects do not move (a static scene)");
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    options_.width = options_.height = size_;
    const Clock::time_point start = Clock::now();
    const radiance::SceneRendering rendering =
        radiance::render_scene(radiance::default_scene(!frozen_), options_, device);
    io::OutputFolder folder(output_);
    const auto files = io::write_scene(folder.path(), rendering, test_every_, test_steps_every_);
    folder.commit();
    std::size_t moving = 0, pixels = 0, points = 0;
    for (const auto& frame : rendering.frames) {
      for (std::size_t p = 0; p < frame.id.size(); ++p) {
        moving += std::hypot(frame.flow_next[3 * p], frame.flow_next[3 * p + 1],
                             frame.flow_next[3 * p + 2]) > 0.0f;
      }
      pixels += frame.id.size();
    }
    for (const auto& sweep : rendering.sweeps) points += sweep.range.size();
    std::cout << fmt::format(
        "{} frames ({} cameras x {} steps, {} x {}) and {} lidar sweeps ({:.0f} points each) in "
        "{:.2f} s; {:.1f}% of pixels move; {} files in {}\n",
        rendering.frames.size(), options_.cameras, options_.steps, size_, size_,
        rendering.sweeps.size(), double(points) / double(rendering.sweeps.size()),
        seconds_since(start), 100.0 * double(moving) / double(pixels), files.size(),
        folder.target().string());
    return 0;
  }

 private:
  CommonOptions common_;
  fs::path output_;
  int size_ = 64, test_every_ = 8, test_steps_every_ = 0;
  bool frozen_ = false;
  radiance::SceneRenderOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_radiance_scene_command(CLI::App& radiance) {
  return std::make_unique<RadianceSceneCommand>(radiance);
}

}  // namespace advect::app
