// What every fuzz target shares: a private scratch folder for the files a reader opens by path,
// and the rule that a reader may only refuse an input with its documented error type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "advect/io/IoError.h"

namespace advect::fuzz {

// A folder of its own per process (libFuzzer's -jobs run several side by side), created once
// and removed when the process exits normally.
inline const std::filesystem::path& scratch() {
  struct Folder {
    std::filesystem::path path;
    Folder() {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "advect-fuzz-XXXXXX").string();
      if (!mkdtemp(pattern.data())) std::abort();
      path = pattern;
    }
    ~Folder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Folder folder;
  return folder.path;
}

// Writes `bytes` to `path` (replacing it); aborts if it cannot: a broken harness is no finding.
inline void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) std::abort();
}

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input written to scratch()/NAME.
inline std::filesystem::path input_file(std::string_view bytes, const std::string& name) {
  const auto path = scratch() / name;
  write_bytes(path, bytes);
  return path;
}

// Writes the input to scratch()/NAME and calls read(path): refusing it with an `Error` is the
// reader's documented behaviour; any other exception escapes and libFuzzer reports it.
template <class Error = io::IoError, class Read>
int read_input(const std::uint8_t* data, std::size_t size, const std::string& name, Read read) {
  const auto path = input_file(as_view(data, size), name);
  try {
    read(path);
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace advect::fuzz
