#include "advect/io/OutputFolder.h"

#include <unistd.h>

#include <mutex>
#include <set>
#include <string>

#include "advect/io/IoError.h"

namespace advect::io {

namespace fs = std::filesystem;

namespace {

// The staging folders alive, for remove_unfinished_outputs().
struct Registry {
  std::mutex mutex;
  std::set<fs::path> staging;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

fs::path staging_for(const fs::path& target) {
  fs::path absolute = fs::absolute(target).lexically_normal();
  if (!absolute.has_filename()) absolute = absolute.parent_path();  // "out/" names "out"
  std::string hidden = absolute.filename().string();
  hidden.insert(0, 1, '.');  // not "." + name: GCC 12 warns falsely (-Wrestrict) about that
  return absolute.parent_path() / (hidden + ".partial-" + std::to_string(getpid()));
}

}  // namespace

OutputFolder::OutputFolder(fs::path target)
    : target_(std::move(target)), staging_(staging_for(target_)) {
  std::error_code ec;
  if (fs::exists(target_, ec) && !fs::is_directory(target_, ec))
    throw IoError(target_, "exists and is not a folder");
  fs::remove_all(staging_, ec);  // left by an earlier process of the same id
  if (!fs::create_directories(staging_, ec) || ec)
    throw IoError(target_, "cannot create the output folder: " + ec.message());
  const std::lock_guard lock(registry().mutex);
  registry().staging.insert(staging_);
}

OutputFolder::~OutputFolder() {
  {
    const std::lock_guard lock(registry().mutex);
    registry().staging.erase(staging_);
  }
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

void OutputFolder::commit() {
  // Under the registry's lock: an interrupt waits for a commit that has begun to finish.
  const std::lock_guard lock(registry().mutex);
  std::error_code ec;
  if (!fs::exists(target_, ec)) {
    fs::rename(staging_, target_, ec);
    if (ec) throw IoError(target_, "cannot move the finished output into place: " + ec.message());
  } else {
    for (const auto& entry : fs::directory_iterator(staging_)) {
      const fs::path destination = target_ / entry.path().filename();
      // rename() replaces a file but not a folder with content.
      if (entry.is_directory() || fs::is_directory(destination, ec))
        fs::remove_all(destination, ec);
      fs::rename(entry.path(), destination, ec);
      if (ec)
        throw IoError(destination, "cannot move the finished file into place: " + ec.message());
    }
    fs::remove_all(staging_, ec);
  }
  committed_ = true;
}

void remove_unfinished_outputs() {
  const std::lock_guard lock(registry().mutex);
  for (const fs::path& staging : registry().staging) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
  }
}

}  // namespace advect::io
