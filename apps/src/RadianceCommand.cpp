// `advect radiance`: radiance fields from posed images (train, eval, render) and the synthetic
// scenes with exact truth (scene). Each subcommand lives in its own Radiance*Command.cpp.
#include "Command.h"

namespace advect::app {

void add_radiance_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands) {
  CLI::App* radiance = parent.add_subcommand(
      "radiance",
      "Radiance fields from posed images: train, eval (PSNR/SSIM), render, export (clouds and flow "
      "over time), and synthetic scenes with exact truth");
  radiance->require_subcommand(1);
  commands.push_back(make_radiance_train_command(*radiance));
  commands.push_back(make_radiance_eval_command(*radiance));
  commands.push_back(make_radiance_render_command(*radiance));
  commands.push_back(make_radiance_export_command(*radiance));
  commands.push_back(make_radiance_scene_command(*radiance));
}

}  // namespace advect::app
