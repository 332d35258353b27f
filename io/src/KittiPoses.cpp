#include "advect/io/KittiPoses.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {

std::vector<Pose> read_kitti_poses(const std::filesystem::path& path) {
  std::istringstream text(read_file_bytes(path));
  std::vector<Pose> poses;
  std::string line;
  for (int number = 1; std::getline(text, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    Pose pose{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const char* p = line.data();
    const char* end = line.data() + line.size();
    int count = 0;
    while (true) {
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
      if (p == end) break;
      double value = 0.0;
      const auto [next, error] = std::from_chars(p, end, value);
      if (error != std::errc() || !std::isfinite(value)) {
        throw IoError(path, fmt::format("line {}: '{}' is not a finite number", number,
                                        std::string(p, std::find(p, end, ' '))));
      }
      if (count < 12) pose[std::size_t(count)] = value;
      ++count;
      p = next;
    }
    if (count != 12) {
      throw IoError(path, fmt::format("line {}: {} numbers, a KITTI pose has 12 (3 x 4 row-major)",
                                      number, count));
    }
    poses.push_back(pose);
  }
  if (poses.empty()) throw IoError(path, "no poses in the file");
  return poses;
}

void write_kitti_poses(const std::filesystem::path& path, const std::vector<Pose>& poses) {
  std::string text;
  for (const Pose& pose : poses) {
    for (std::size_t i = 0; i < 12; ++i) {
      if (i > 0) text += ' ';
      text += fmt::format("{}", pose[i]);  // shortest form that reads back to the same double
    }
    text += '\n';
  }
  write_file_bytes(path, text);
}

}  // namespace advect::io
