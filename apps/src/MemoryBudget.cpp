#include "MemoryBudget.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

namespace advect::app {

double peak_memory_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void refuse_beyond_memory(double bytes, const std::string& what, const std::string& flags) {
  const double physical = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
  if (bytes <= 0.5 * physical) return;
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  throw CLI::ValidationError(
      flags, fmt::format("{} would need about {:.1f} GiB of memory, more than half of this "
                         "machine's {:.1f} GiB",
                         what, bytes / kGiB, physical / kGiB));
}

}  // namespace advect::app
