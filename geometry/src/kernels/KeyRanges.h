// Functors shared by the geometry kernels that group items by a sorted integer key.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

struct Iota {
  std::int32_t* values;
  ADVECT_HD void operator()(std::int64_t i) const { values[i] = std::int32_t(i); }
};

// For keys sorted ascending (n of them, each in [0, key_count)): first[c] = the first position
// whose key is >= c, for c in [0, key_count]. Run over i in [0, n]: each position writes the keys
// between its predecessor's and its own, so writes never overlap.
struct KeyRanges {
  const std::int32_t* keys;
  std::int64_t n;
  std::int64_t key_count;
  std::int32_t* first;
  ADVECT_HD void operator()(std::int64_t i) const {
    const std::int64_t from = i == 0 ? 0 : std::int64_t(keys[i - 1]) + 1;
    const std::int64_t to = i == n ? key_count : std::int64_t(keys[i]);
    for (std::int64_t c = from; c <= to; ++c) first[c] = std::int32_t(i);
  }
};

}  // namespace ADVECT_BACKEND
}  // namespace advect::geometry
