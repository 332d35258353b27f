#include "CapturedStderr.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace advect::io::detail {

CapturedStderr::CapturedStderr() {
  std::fflush(stderr);
  FILE* file = std::tmpfile();
  if (file == nullptr) return;  // capture unavailable: messages simply pass through
  capture_ = dup(fileno(file));
  std::fclose(file);
  saved_ = dup(STDERR_FILENO);
  if (capture_ < 0 || saved_ < 0 || dup2(capture_, STDERR_FILENO) < 0) finish();
}

CapturedStderr::~CapturedStderr() {
  finish();
}

std::string CapturedStderr::finish() {
  std::string text;
  if (saved_ >= 0) {
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
  }
  if (capture_ >= 0) {
    char buffer[4096];
    lseek(capture_, 0, SEEK_SET);
    ssize_t got;
    while ((got = read(capture_, buffer, sizeof buffer)) > 0) text.append(buffer, std::size_t(got));
    close(capture_);
    capture_ = -1;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::size_t newline = text.find_last_of('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

}  // namespace advect::io::detail
