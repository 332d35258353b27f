// Counter-based random numbers for kernel bodies: the value for (seed, index) is a pure function,
// so a loop gives the same numbers on any device and thread count. SplitMix64's finaliser
// (Steele, Lea and Flood, OOPSLA 2014) mixes the bits.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

ADVECT_HD inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Uniform in [0, 1) with 24 random bits.
ADVECT_HD inline float uniform01(std::uint64_t seed, std::uint64_t index) {
  return float(mix64(seed ^ mix64(index)) >> 40) * (1.0f / 16777216.0f);
}

}  // namespace ADVECT_BACKEND
}  // namespace advect::radiance
