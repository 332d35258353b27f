#include "NumberLines.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {

std::vector<NumberLine> read_number_lines(const std::filesystem::path& path) {
  std::istringstream text(read_file_bytes(path));
  std::vector<NumberLine> lines;
  std::string line;
  for (int number = 1; std::getline(text, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    NumberLine parsed{number, {}};
    const char* p = line.data();
    const char* end = line.data() + line.size();
    while (true) {
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
      if (p == end) break;
      double value = 0.0;
      const auto [next, error] = std::from_chars(p, end, value);
      if (error != std::errc() || !std::isfinite(value)) {
        throw IoError(path, fmt::format("line {}: '{}' is not a finite number", number,
                                        std::string(p, std::find(p, end, ' '))));
      }
      parsed.values.push_back(value);
      p = next;
    }
    lines.push_back(std::move(parsed));
  }
  return lines;
}

}  // namespace advect::io
