// The `advect` command-line program: one binary, one subcommand per job.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "Command.h"
#include "Interrupts.h"
#include "advect/engine/ProcessTuning.h"

int main(int argc, char** argv) {
  advect::app::handle_interrupts();
  advect::keep_freed_memory_for_reuse();  // the program's choice, not the library's
  CLI::App app("advect: point-cloud scene flow, fluids and flow fields on CPU and CUDA", "advect");
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return fmt::format("advect: {} (see --help)\n", e.what());
  });
  std::vector<std::unique_ptr<advect::app::Command>> commands;
  commands.push_back(advect::app::make_info_command(app));
  commands.push_back(advect::app::make_integrate_command(app));
  advect::app::add_sceneflow_commands(app, commands);
  commands.push_back(advect::app::make_accumulate_command(app));
  advect::app::add_cfd_commands(app, commands);
  advect::app::add_surrogate_commands(app, commands);
  advect::app::add_radiance_commands(app, commands);

  // CLI11 would only say "a subcommand is required"; name the word that is not one.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    std::vector<std::string> known;
    for (const CLI::App* sub : app.get_subcommands({})) {
      names.push_back(sub->get_name());
      known.push_back(sub->get_name());
      for (const std::string& alias : sub->get_aliases()) known.push_back(alias);
    }
    if (std::find(known.begin(), known.end(), argv[1]) == known.end()) {
      std::fprintf(stderr, "advect: unknown command '%s' (commands: %s; see --help)\n", argv[1],
                   fmt::format("{}", fmt::join(names, ", ")).c_str());
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (const auto& command : commands) {
      if (command->selected()) return command->run();
    }
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // One line: io errors already read "FILE: PROBLEM".
    std::fprintf(stderr, "advect: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
