// A command's output folder, all or nothing: its files are written into a hidden staging folder
// beside the target (".NAME.partial-PID"), and commit() moves them into the target only when
// every one has been written. A run that fails or is interrupted leaves the target as it was.
#pragma once

#include <filesystem>

namespace advect::io {

class OutputFolder {
 public:
  // Creates the staging folder (and the target's parent folders); IoError naming the target if
  // it exists and is not a folder, or cannot be created.
  explicit OutputFolder(std::filesystem::path target);
  // Removes the staging folder unless committed.
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  // Where to write now: the staging folder, and a file in it.
  const std::filesystem::path& path() const { return staging_; }
  std::filesystem::path operator/(const std::filesystem::path& name) const {
    return staging_ / name;
  }
  // The folder the files end up in.
  const std::filesystem::path& target() const { return target_; }

  // Moves the files into the target: one rename of the whole folder when the target does not
  // exist yet; otherwise each file in turn, replacing files of the same name and keeping others.
  void commit();

 private:
  std::filesystem::path target_, staging_;
  bool committed_ = false;
};

// Removes the staging folders of every OutputFolder alive: what an interrupted program calls
// before it exits (from a thread, not from a signal handler: it is not async-signal-safe).
void remove_unfinished_outputs();

}  // namespace advect::io
