// Per-device test fixture: every TEST_P runs once on the CPU and once on CUDA device 0. The CUDA
// case skips, saying why, when the binary has no CUDA backend or no device is visible.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "advect/engine/Device.h"

namespace advect {
// Readable parameter values in test names and failure messages.
inline void PrintTo(DeviceType type, std::ostream* out) {
  *out << (type == DeviceType::cuda ? "cuda" : "cpu");
}
}  // namespace advect

namespace advect::testing {

class PerDevice : public ::testing::TestWithParam<DeviceType> {
 protected:
  void SetUp() override {
    if (GetParam() == DeviceType::cuda) {
      if (!cuda_compiled()) GTEST_SKIP() << "CUDA case skipped: this build has no CUDA backend";
      if (cuda_device_count() == 0) GTEST_SKIP() << "CUDA case skipped: no CUDA device visible";
    }
  }
  Device device() const { return GetParam() == DeviceType::cuda ? Device::cuda(0) : Device::cpu(); }
};

inline std::string device_name(const ::testing::TestParamInfo<DeviceType>& info) {
  return info.param == DeviceType::cuda ? "cuda" : "cpu";
}

// Skips a plain TEST that compares CUDA against CPU when no device can run it.
#define ADVECT_REQUIRE_CUDA_DEVICE()                                                           \
  do {                                                                                         \
    if (!::advect::cuda_compiled()) GTEST_SKIP() << "skipped: this build has no CUDA backend"; \
    if (::advect::cuda_device_count() == 0) GTEST_SKIP() << "skipped: no CUDA device visible"; \
  } while (0)

}  // namespace advect::testing

#define ADVECT_INSTANTIATE_PER_DEVICE(Suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(                                                                     \
      Devices, Suite, ::testing::Values(::advect::DeviceType::cpu, ::advect::DeviceType::cuda), \
      ::advect::testing::device_name)
