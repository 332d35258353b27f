// A subcommand of the `advect` program: registers its options, then runs after parsing.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace advect::app {

// Options every subcommand shares.
struct CommonOptions {
  std::string device = "auto";
  bool quiet = false;
  bool verbose = false;
};

class Command {
 public:
  virtual ~Command() = default;
  // Returns the process exit code.
  virtual int run() = 0;
  // True when this subcommand was named on the command line.
  bool selected() const { return app_ != nullptr && app_->parsed(); }

 protected:
  CLI::App* app_ = nullptr;
};

// Adds --device/--quiet/--verbose to `sub`, bound to `options`.
void add_common_options(CLI::App& sub, CommonOptions& options, bool with_device = true);

// Applies --quiet/--verbose to the logger.
void apply_log_level(const CommonOptions& options);

std::unique_ptr<Command> make_info_command(CLI::App& parent);
std::unique_ptr<Command> make_integrate_command(CLI::App& parent);
std::unique_ptr<Command> make_accumulate_command(CLI::App& parent);
// `cfd` with its subcommands `run`, `dataset` and `validate`.
std::unique_ptr<Command> make_cfd_dataset_command(CLI::App& cfd);
std::unique_ptr<Command> make_cfd_validate_command(CLI::App& cfd);
void add_cfd_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands);
// `sceneflow` with its subcommands `estimate`, `eval`, `sequence` and `compare`.
std::unique_ptr<Command> make_sceneflow_sequence_command(CLI::App& sceneflow);
std::unique_ptr<Command> make_sceneflow_compare_command(CLI::App& sceneflow);
void add_sceneflow_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands);
// `fluid` with its subcommands `train`, `eval` and `predict`.
void add_surrogate_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands);
// `radiance` with its subcommands `train`, `eval`, `render`, `export` and `scene`.
std::unique_ptr<Command> make_radiance_train_command(CLI::App& radiance);
std::unique_ptr<Command> make_radiance_eval_command(CLI::App& radiance);
std::unique_ptr<Command> make_radiance_render_command(CLI::App& radiance);
std::unique_ptr<Command> make_radiance_export_command(CLI::App& radiance);
std::unique_ptr<Command> make_radiance_scene_command(CLI::App& radiance);
void add_radiance_commands(CLI::App& parent, std::vector<std::unique_ptr<Command>>& commands);

}  // namespace advect::app
