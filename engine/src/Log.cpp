#include "advect/engine/Log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace advect {

spdlog::logger& log() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto created = spdlog::stderr_color_mt("advect");
    created->set_pattern("%^%l%$: %v");
    created->set_level(spdlog::level::info);
    return created;
  }();
  return *logger;
}

void set_log_level(LogLevel level) {
  log().set_level(level == LogLevel::quiet     ? spdlog::level::err
                  : level == LogLevel::verbose ? spdlog::level::debug
                                               : spdlog::level::info);
}

}  // namespace advect
