// NumPy .npy arrays (format versions 1-3): reading with strict checks, writing version 1.0.
//
// Our own reader rather than xtensor's xnpy.hpp: that one neither detects truncated data nor
// converts dtypes (float16, bool, other integer widths), both of which users' files need.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace advect::io {

enum class DType {
  float16,
  float32,
  float64,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  boolean
};

std::size_t item_size(DType dtype);
std::string_view dtype_name(DType dtype);  // numpy's names: "float32", "bool", ...

struct NpyArray {
  DType dtype = DType::float32;
  std::vector<std::size_t> shape;    // C order (row-major)
  std::vector<unsigned char> bytes;  // count() * item_size(dtype), little-endian

  std::size_t count() const;
  // All values converted to T (float, double, std::int64_t, std::int32_t, std::uint8_t).
  // bool gives 0/1; conversions follow C++ rules (float64 -> float32 rounds).
  template <class T>
  std::vector<T> values() const;
  // An array of T (the types above) with the given shape; count must match.
  template <class T>
  static NpyArray from_values(std::span<const T> values, std::vector<std::size_t> shape);
};

// Parses .npy bytes; `source` names the file (or archive member) in errors.
NpyArray parse_npy(std::string_view bytes, const std::filesystem::path& source);
NpyArray read_npy(const std::filesystem::path& path);

std::string serialize_npy(const NpyArray& array);
void write_npy(const std::filesystem::path& path, const NpyArray& array);  // atomic

}  // namespace advect::io
