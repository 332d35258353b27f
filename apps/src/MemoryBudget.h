// What a command may ask of the machine's memory, and what it used.
#pragma once

#include <string>

namespace advect::app {

// The process's peak resident memory so far, MiB (getrusage's ru_maxrss).
double peak_memory_mib();

// Throws CLI::ValidationError naming `flags` when `bytes` (what `what` would hold at once) exceed
// half of this machine's physical memory, with both numbers: such a request is refused before
// any work instead of failing in an allocation (or in the kernel's OOM killer) hours later.
void refuse_beyond_memory(double bytes, const std::string& what, const std::string& flags);

}  // namespace advect::app
