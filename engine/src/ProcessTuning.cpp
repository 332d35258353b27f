#include "advect/engine/ProcessTuning.h"

#include <malloc.h>

namespace advect {

void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

}  // namespace advect
