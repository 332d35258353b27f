#include "Command.h"

#include "advect/engine/Log.h"

namespace advect::app {

void add_common_options(CLI::App& sub, CommonOptions& options, bool with_device) {
  if (with_device) {
    sub.add_option("--device", options.device,
                   "Where to compute: auto (CUDA if visible), cpu, cuda, cuda:N")
        ->capture_default_str();
  }
  sub.add_flag("-q,--quiet", options.quiet, "No progress bar and no log lines, only errors");
  sub.add_flag("-v,--verbose", options.verbose, "More log lines");
}

void apply_log_level(const CommonOptions& options) {
  set_log_level(options.quiet     ? LogLevel::quiet
                : options.verbose ? LogLevel::verbose
                                  : LogLevel::normal);
}

}  // namespace advect::app
