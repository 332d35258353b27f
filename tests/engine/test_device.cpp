#include <gtest/gtest.h>

#include "advect/engine/Device.h"

namespace advect {
namespace {

TEST(DeviceParsing, NamesAndErrors) {
  EXPECT_EQ(parse_device("cpu"), Device::cpu());
  EXPECT_EQ(parse_device("auto"), cuda_device_count() > 0 ? Device::cuda(0) : Device::cpu());
  EXPECT_THROW(parse_device("gpu"), std::invalid_argument);
  EXPECT_THROW(parse_device("cuda:x"), std::invalid_argument);
  EXPECT_EQ(Device::cuda(1).name(), "cuda:1");
  if (cuda_device_count() == 0) {
    EXPECT_THROW(parse_device("cuda"), std::runtime_error);
  } else {
    EXPECT_EQ(parse_device("cuda:0"), Device::cuda(0));
    EXPECT_THROW(parse_device("cuda:" + std::to_string(cuda_device_count())), std::runtime_error);
  }
}

TEST(DeviceInfo, CpuThreadsAndCompiledBackends) {
  EXPECT_GE(cpu_thread_count(), 1);
#ifdef ADVECT_WITH_CUDA
  EXPECT_TRUE(cuda_compiled());
#else
  EXPECT_FALSE(cuda_compiled());
  EXPECT_EQ(cuda_device_count(), 0);
#endif
}

}  // namespace
}  // namespace advect
