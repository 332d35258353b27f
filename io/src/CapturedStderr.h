// Redirects file descriptor 2 into a temporary file for the lifetime of the object, so that a
// library that reports problems by printing (Open3D's PLY reader, RPly) can be turned into one
// error line of ours. Not thread-safe: stderr is process-wide.
#pragma once

#include <string>

namespace advect::io::detail {

class CapturedStderr {
 public:
  CapturedStderr();
  ~CapturedStderr();
  CapturedStderr(const CapturedStderr&) = delete;
  CapturedStderr& operator=(const CapturedStderr&) = delete;

  // Restores stderr and returns the last non-empty line written meanwhile.
  std::string finish();

 private:
  int saved_ = -1;
  int capture_ = -1;
};

}  // namespace advect::io::detail
