// The fixture files written by numpy (tests/io/fixtures/make_fixtures.py) and their contents.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::testing {

inline std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(ADVECT_SOURCE_DIR) / "tests/io/fixtures" / name;
}
inline std::string fixture_bytes(const std::string& name) {
  return io::read_file_bytes(fixture(name));
}

// P[i] = (0.5 i - 1, 0.25 i, -2 + i), intensity 10 i, for i < 5.
inline double fixture_point(int i, int d) {
  return d == 0 ? 0.5 * i - 1 : d == 1 ? 0.25 * i : -2.0 + i;
}

// The message of the IoError that `read` throws, or "accepted" if it throws none.
inline std::string io_error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const io::IoError& error) {
    return error.what();
  }
  return "accepted";
}

}  // namespace advect::testing
