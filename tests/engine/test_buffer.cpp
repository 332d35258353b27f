#include <gtest/gtest.h>

#include <numeric>

#include "advect/engine/Buffer.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

class BufferOnDevice : public PerDevice {};

TEST_P(BufferOnDevice, HostRoundTripAndCopies) {
  std::vector<float> values(1000);
  std::iota(values.begin(), values.end(), -3.5f);
  Buffer<float> buffer = Buffer<float>::from_host(values, device());
  EXPECT_EQ(buffer.size(), values.size());
  EXPECT_EQ(buffer.device(), device());
  EXPECT_EQ(buffer.to_host(), values);

  Buffer<float> other(values.size(), device());
  other.copy_from(buffer);
  EXPECT_EQ(other.to(Device::cpu()).to_host(), values);

  Buffer<float> moved = std::move(other);
  EXPECT_EQ(moved.to_host(), values);
  EXPECT_TRUE(other.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
}

TEST_P(BufferOnDevice, SizeMismatchThrows) {
  Buffer<double> buffer(4, device());
  std::vector<double> three(3);
  EXPECT_THROW(buffer.copy_from_host(three), std::length_error);
  EXPECT_THROW(buffer.copy_to_host(three), std::length_error);
}

TEST_P(BufferOnDevice, EmptyBufferIsFine) {
  Buffer<int> empty(0, device());
  EXPECT_TRUE(empty.to_host().empty());
}

ADVECT_INSTANTIATE_PER_DEVICE(BufferOnDevice);

}  // namespace
}  // namespace advect::testing
