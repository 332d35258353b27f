// Writes that leave either the complete new file or nothing: the writer fills a temporary file
// beside the target (same directory, same extension so that format-sniffing writers still
// work), which is renamed over the target only when the writer succeeded.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace advect::io {

// Calls write(temporary_path); on success renames it to `target`, on any exception removes it
// and rethrows. Throws IoError when the target's directory does not exist or the rename fails.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path&)>& write);

// Writes `bytes` to `target` atomically.
void write_file_bytes(const std::filesystem::path& target, const std::string& bytes);

// Reads a whole file; IoError if it is missing, not a regular file or unreadable.
std::string read_file_bytes(const std::filesystem::path& path);

}  // namespace advect::io
