// Text files of numbers, one record per line (poses, timestamps): shared parsing with errors
// that name the file and the line.
#pragma once

#include <filesystem>
#include <vector>

namespace advect::io {

struct NumberLine {
  int number = 0;  // 1-based line number in the file
  std::vector<double> values;
};

// The finite numbers of every non-blank line, separated by spaces or tabs. IoError for anything
// else on a line; an empty vector for a file of blank lines.
std::vector<NumberLine> read_number_lines(const std::filesystem::path& path);

}  // namespace advect::io
