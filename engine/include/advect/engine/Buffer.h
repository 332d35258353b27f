// Buffer<T>: a typed array owned on one Device, with explicit host/device copies.
#pragma once

#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "advect/engine/BufferView.h"
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

  void copy_from_host(std::span<const T> values) { view().copy_from_host(values); }
  void copy_to_host(std::span<T> values) const { view().copy_to_host(values); }
  std::vector<T> to_host() const { return view().to_host(); }
  // Copies the values of `other` (same size, any device) into this buffer.
  void copy_from(BufferView<const T> other) { view().copy_from(other); }
  BufferView<T> view() { return {data_, size_, device_}; }
  BufferView<const T> view() const { return {data_, size_, device_}; }
  operator BufferView<T>() { return view(); }              // NOLINT(google-explicit-constructor)
  operator BufferView<const T>() const { return view(); }  // NOLINT(google-explicit-constructor)
  // A copy of this buffer on `device`.
  Buffer to(Device device) const {
    Buffer copy(size_, device);
    copy.copy_from(view());
    return copy;
  }

  void swap(Buffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(device_, other.device_);
  }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  Device device_{};
};

}  // namespace advect
