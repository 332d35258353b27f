#include "advect/io/AtomicWrite.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <system_error>

#include "advect/io/IoError.h"

namespace advect::io {

namespace fs = std::filesystem;

void write_atomically(const fs::path& target, const std::function<void(const fs::path&)>& write) {
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) throw IoError(target, "directory does not exist");
  const fs::path temporary = directory / fmt::format(".{}.partial-{}{}", target.stem().string(),
                                                     getpid(), target.extension().string());
  try {
    write(temporary);
    if (!fs::is_regular_file(temporary, ec)) throw IoError(target, "writer produced no file");
    fs::rename(temporary, target, ec);
    if (ec) throw IoError(target, "cannot move the finished file into place: " + ec.message());
  } catch (...) {
    fs::remove(temporary, ec);
    throw;
  }
}

void write_file_bytes(const fs::path& target, const std::string& bytes) {
  write_atomically(target, [&](const fs::path& temporary) {
    std::ofstream out(temporary, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out) throw IoError(target, "write failed (disk full?)");
  });
}

std::string read_file_bytes(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw IoError(path, "no such file");
  if (!fs::is_regular_file(path, ec)) throw IoError(path, "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, "cannot open for reading");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(path, "read error");
  return bytes;
}

}  // namespace advect::io
