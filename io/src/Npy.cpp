#include "advect/io/Npy.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <optional>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct DTypeInfo {
  DType dtype;
  char kind;
  std::size_t size;
  std::string_view name;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::float16, 'f', 2, "float16"}, {DType::float32, 'f', 4, "float32"},
    {DType::float64, 'f', 8, "float64"}, {DType::int8, 'i', 1, "int8"},
    {DType::int16, 'i', 2, "int16"},     {DType::int32, 'i', 4, "int32"},
    {DType::int64, 'i', 8, "int64"},     {DType::uint8, 'u', 1, "uint8"},
    {DType::uint16, 'u', 2, "uint16"},   {DType::uint32, 'u', 4, "uint32"},
    {DType::uint64, 'u', 8, "uint64"},   {DType::boolean, 'b', 1, "bool"},
};

const DTypeInfo& info(DType dtype) {
  return *std::find_if(std::begin(kDTypes), std::end(kDTypes),
                       [&](const DTypeInfo& i) { return i.dtype == dtype; });
}

// The value of `key` in the header's Python dict literal, as raw text (quotes kept).
std::optional<std::string_view> dict_value(std::string_view header, std::string_view key) {
  for (const char quote : {'\'', '"'}) {
    const std::string quoted = fmt::format("{0}{1}{0}", quote, key);
    const std::size_t at = header.find(quoted);
    if (at == std::string_view::npos) continue;
    std::size_t pos = header.find(':', at + quoted.size());
    if (pos == std::string_view::npos) return std::nullopt;
    ++pos;
    while (pos < header.size() && header[pos] == ' ') ++pos;
    if (pos >= header.size()) return std::nullopt;
    std::size_t end;
    if (header[pos] == '(') {
      end = header.find(')', pos);
      if (end == std::string_view::npos) return std::nullopt;
      ++end;
    } else if (header[pos] == '\'' || header[pos] == '"') {
      end = header.find(header[pos], pos + 1);
      if (end == std::string_view::npos) return std::nullopt;
      ++end;
    } else {
      end = header.find_first_of(",}", pos);
      if (end == std::string_view::npos) return std::nullopt;
    }
    return header.substr(pos, end - pos);
  }
  return std::nullopt;
}

std::vector<std::size_t> parse_shape(std::string_view text, const std::filesystem::path& source) {
  // "(3, 4)", "(5,)" or "()"
  std::vector<std::size_t> shape;
  std::size_t pos = 1;
  while (pos + 1 < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) ++pos;
    if (pos + 1 >= text.size()) break;
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size() - 1, value);
    if (ec != std::errc()) throw IoError(source, fmt::format("malformed shape {}", text));
    shape.push_back(value);
    pos = std::size_t(end - text.data());
    while (pos < text.size() && text[pos] == 'L') ++pos;  // Python 2 longs
  }
  return shape;
}

std::uint32_t read_little_endian(const unsigned char* p, int bytes) {
  std::uint32_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

float half_to_float(std::uint16_t half) {
  const std::uint32_t sign = std::uint32_t(half & 0x8000u) << 16;
  std::uint32_t exponent = (half >> 10) & 0x1fu;
  std::uint32_t mantissa = half & 0x3ffu;
  std::uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // inf / NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal half: normalise
    exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

template <class S>
S load(const unsigned char* p) {
  S value;
  std::memcpy(&value, p, sizeof(S));
  return value;
}

template <class T>
T element(DType dtype, const unsigned char* p) {
  switch (dtype) {
    case DType::float16:
      return T(half_to_float(load<std::uint16_t>(p)));
    case DType::float32:
      return T(load<float>(p));
    case DType::float64:
      return T(load<double>(p));
    case DType::int8:
      return T(load<std::int8_t>(p));
    case DType::int16:
      return T(load<std::int16_t>(p));
    case DType::int32:
      return T(load<std::int32_t>(p));
    case DType::int64:
      return T(load<std::int64_t>(p));
    case DType::uint8:
      return T(load<std::uint8_t>(p));
    case DType::uint16:
      return T(load<std::uint16_t>(p));
    case DType::uint32:
      return T(load<std::uint32_t>(p));
    case DType::uint64:
      return T(load<std::uint64_t>(p));
    case DType::boolean:
      return T(p[0] != 0 ? 1 : 0);
  }
  return T{};
}

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::float32;
  if constexpr (std::is_same_v<T, double>) return DType::float64;
  if constexpr (std::is_same_v<T, std::int64_t>) return DType::int64;
  if constexpr (std::is_same_v<T, std::int32_t>) return DType::int32;
  if constexpr (std::is_same_v<T, std::uint8_t>) return DType::uint8;
}

}  // namespace

static_assert(std::endian::native == std::endian::little, "advect assumes a little-endian host");

std::size_t item_size(DType dtype) {
  return info(dtype).size;
}
std::string_view dtype_name(DType dtype) {
  return info(dtype).name;
}

std::size_t NpyArray::count() const {
  std::size_t total = 1;
  for (std::size_t extent : shape) total *= extent;
  return total;
}

template <class T>
std::vector<T> NpyArray::values() const {
  const std::size_t size = item_size(dtype);
  std::vector<T> out(count());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = element<T>(dtype, bytes.data() + i * size);
  return out;
}

template <class T>
NpyArray NpyArray::from_values(std::span<const T> values, std::vector<std::size_t> shape) {
  NpyArray array;
  array.dtype = dtype_of<T>();
  array.shape = std::move(shape);
  if (array.count() != values.size()) {
    throw std::invalid_argument(fmt::format("{} values do not fill shape ({})", values.size(),
                                            fmt::join(array.shape, ", ")));
  }
  array.bytes.resize(values.size_bytes());
  // memcpy from an empty span's null pointer is undefined even for zero bytes (UBSan says so).
  if (!values.empty()) std::memcpy(array.bytes.data(), values.data(), values.size_bytes());
  return array;
}

#define ADVECT_NPY_TYPE(T)                             \
  template std::vector<T> NpyArray::values<T>() const; \
  template NpyArray NpyArray::from_values<T>(std::span<const T>, std::vector<std::size_t>);
ADVECT_NPY_TYPE(float)
ADVECT_NPY_TYPE(double)
ADVECT_NPY_TYPE(std::int64_t)
ADVECT_NPY_TYPE(std::int32_t)
ADVECT_NPY_TYPE(std::uint8_t)
#undef ADVECT_NPY_TYPE

NpyArray parse_npy(std::string_view bytes, const std::filesystem::path& source) {
  if (bytes.size() < 10 || bytes.substr(0, kMagic.size()) != kMagic) {
    throw IoError(source, bytes.empty() ? "empty file, not an .npy array"
                                        : "not an .npy array (bad magic bytes)");
  }
  const auto* raw = reinterpret_cast<const unsigned char*>(bytes.data());
  const int major = raw[6];
  if (major < 1 || major > 3)
    throw IoError(source, fmt::format("unsupported .npy format version {}.{}", major, raw[7]));
  const int length_bytes = major == 1 ? 2 : 4;
  const std::size_t header_start = 8 + std::size_t(length_bytes);
  if (bytes.size() < header_start) throw IoError(source, "truncated .npy header");
  const std::size_t header_length = read_little_endian(raw + 8, length_bytes);
  if (bytes.size() < header_start + header_length) throw IoError(source, "truncated .npy header");
  const std::string_view header = bytes.substr(header_start, header_length);

  const auto descr = dict_value(header, "descr");
  const auto fortran = dict_value(header, "fortran_order");
  const auto shape_text = dict_value(header, "shape");
  if (!descr || !fortran || !shape_text || shape_text->front() != '(') {
    throw IoError(source, "malformed .npy header (needs descr, fortran_order and shape)");
  }
  if (*fortran != "False")
    throw IoError(source, "Fortran-ordered arrays are not supported (save C order)");
  if (descr->size() < 5 || (*descr)[0] != (*descr)[descr->size() - 1]) {
    throw IoError(source, fmt::format("unsupported dtype {} (structured or unknown)", *descr));
  }
  const std::string_view type = descr->substr(1, descr->size() - 2);  // e.g. <f4
  const char order = type[0];
  std::size_t size = 0;
  const auto [end, ec] = std::from_chars(type.data() + 2, type.data() + type.size(), size);
  const auto* match = std::find_if(std::begin(kDTypes), std::end(kDTypes), [&](const DTypeInfo& i) {
    return i.kind == type[1] && i.size == size;
  });
  if (ec != std::errc() || end != type.data() + type.size() || match == std::end(kDTypes) ||
      (order != '<' && order != '>' && order != '|' && order != '=')) {
    throw IoError(source, fmt::format("unsupported dtype '{}'", type));
  }

  NpyArray array;
  array.dtype = match->dtype;
  array.shape = parse_shape(*shape_text, source);
  std::size_t count = 1;
  for (std::size_t extent : array.shape) {
    if (extent != 0 && count > std::numeric_limits<std::size_t>::max() / extent / 8) {
      throw IoError(source, "shape too large");
    }
    count *= extent;
  }
  const std::size_t expected = count * match->size;
  const std::size_t available = bytes.size() - header_start - header_length;
  if (available < expected) {
    throw IoError(source,
                  fmt::format("truncated: shape ({}) of {} needs {} data bytes, file has {}",
                              fmt::join(array.shape, ", "), match->name, expected, available));
  }
  if (available > expected) {
    throw IoError(source, fmt::format("{} unexpected bytes after the data of shape ({})",
                                      available - expected, fmt::join(array.shape, ", ")));
  }
  array.bytes.assign(raw + header_start + header_length, raw + bytes.size());
  if (order == '>' && match->size > 1) {
    for (std::size_t i = 0; i < array.bytes.size(); i += match->size) {
      std::reverse(array.bytes.begin() + std::ptrdiff_t(i),
                   array.bytes.begin() + std::ptrdiff_t(i + match->size));
    }
  }
  return array;
}

NpyArray read_npy(const std::filesystem::path& path) {
  return parse_npy(read_file_bytes(path), path);
}

std::string serialize_npy(const NpyArray& array) {
  const DTypeInfo& type = info(array.dtype);
  const std::string shape = array.shape.size() == 1
                                ? fmt::format("({},)", array.shape[0])
                                : fmt::format("({})", fmt::join(array.shape, ", "));
  std::string header = fmt::format("{{'descr': '{}{}{}', 'fortran_order': False, 'shape': {}, }}",
                                   type.size == 1 ? '|' : '<', type.kind, type.size, shape);
  // Pad with spaces so that the data starts on a 64-byte boundary, newline last (numpy's layout).
  const std::size_t unpadded = kMagic.size() + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::string out(kMagic);
  out.push_back('\x01');
  out.push_back('\x00');
  out.push_back(char(header.size() & 0xff));
  out.push_back(char(header.size() >> 8));
  out += header;
  out.append(reinterpret_cast<const char*>(array.bytes.data()), array.bytes.size());
  return out;
}

void write_npy(const std::filesystem::path& path, const NpyArray& array) {
  write_file_bytes(path, serialize_npy(array));
}

}  // namespace advect::io
