// BufferView<T>: a non-owning window onto values on one Device (a Buffer, or a slice of one), with
// the same explicit host/device copies as Buffer. It lets a component keep its parameters inside a
// buffer that a larger model owns, while callers read and write them as before.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "advect/engine/Memory.h"

namespace advect {

template <class T>
class BufferView {
  using Value = std::remove_const_t<T>;

 public:
  BufferView() = default;
  BufferView(T* data, std::size_t size, Device device)
      : data_(data), size_(size), device_(device) {}
  // A view of mutable values is also a view of constant ones.
  operator BufferView<const Value>() const  // NOLINT(google-explicit-constructor)
      requires(!std::is_const_v<T>) {
    return {data_, size_, device_};
  }

  T* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Device& device() const { return device_; }
  BufferView slice(std::size_t offset, std::size_t count) const {
    if (offset + count > size_) throw std::out_of_range("BufferView::slice beyond the view");
    return {data_ + offset, count, device_};
  }

  void copy_from_host(std::span<const Value> values) const {
    check_size(values.size(), "copy_from_host");
    detail::copy_bytes(data_, device_, values.data(), Device::cpu(), size_ * sizeof(T));
  }
  void copy_to_host(std::span<Value> values) const {
    check_size(values.size(), "copy_to_host");
    detail::copy_bytes(values.data(), Device::cpu(), data_, device_, size_ * sizeof(T));
  }
  std::vector<Value> to_host() const {
    std::vector<Value> values(size_);
    copy_to_host(values);
    return values;
  }
  // Copies the values of `other` (same size, any device) into this view.
  void copy_from(BufferView<const Value> other) const {
    check_size(other.size(), "copy_from");
    detail::copy_bytes(data_, device_, other.data(), other.device(), size_ * sizeof(T));
  }

 private:
  void check_size(std::size_t size, const char* what) const {
    if (size != size_) {
      throw std::length_error(std::string("BufferView::") + what + ": size " +
                              std::to_string(size) + " does not match view size " +
                              std::to_string(size_));
    }
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  Device device_{};
};

}  // namespace advect
