// The one error type of io/: its message is a single line "PATH: PROBLEM".
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace advect::io {

class IoError : public std::runtime_error {
 public:
  IoError(const std::filesystem::path& path, const std::string& problem)
      : std::runtime_error(path.string() + ": " + problem), path_(path) {}
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace advect::io
