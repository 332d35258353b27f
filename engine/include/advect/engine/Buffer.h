// Buffer<T>: a typed array owned on one Device, with explicit host/device copies.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "advect/engine/Memory.h"

namespace advect {

template <class T>
class Buffer {
  static_assert(std::is_trivially_copyable_v<T>, "Buffer holds trivially copyable values only");

 public:
  Buffer() = default;
  // Uninitialised storage for `size` values on `device`.
  Buffer(std::size_t size, Device device)
      : data_(static_cast<T*>(detail::allocate_bytes(size * sizeof(T), device))),
        size_(size),
        device_(device) {}
  static Buffer from_host(std::span<const T> values, Device device) {
    Buffer buffer(values.size(), device);
    buffer.copy_from_host(values);
    return buffer;
  }

  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept { swap(other); }
  Buffer& operator=(Buffer&& other) noexcept {
    Buffer(std::move(other)).swap(*this);
    return *this;
  }
  ~Buffer() { detail::free_bytes(data_, device_); }

  // Raw pointer in the buffer's memory space: dereference it on the host only for CPU buffers.
  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Device& device() const { return device_; }

  void copy_from_host(std::span<const T> values) {
    check_size(values.size(), "copy_from_host");
    detail::copy_bytes(data_, device_, values.data(), Device::cpu(), size_ * sizeof(T));
  }
  void copy_to_host(std::span<T> values) const {
    check_size(values.size(), "copy_to_host");
    detail::copy_bytes(values.data(), Device::cpu(), data_, device_, size_ * sizeof(T));
  }
  std::vector<T> to_host() const {
    std::vector<T> values(size_);
    copy_to_host(values);
    return values;
  }
  // Copies the values of `other` (same size, any device) into this buffer.
  void copy_from(const Buffer& other) {
    check_size(other.size_, "copy_from");
    detail::copy_bytes(data_, device_, other.data_, other.device_, size_ * sizeof(T));
  }
  // A copy of this buffer on `device`.
  Buffer to(Device device) const {
    Buffer copy(size_, device);
    copy.copy_from(*this);
    return copy;
  }

  void swap(Buffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(device_, other.device_);
  }

 private:
  void check_size(std::size_t size, const char* what) const {
    if (size != size_) {
      throw std::length_error(std::string("Buffer::") + what + ": size " + std::to_string(size) +
                              " does not match buffer size " + std::to_string(size_));
    }
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  Device device_{};
};

}  // namespace advect
