// Runs the advect program in tests: its exit code, stdout and stderr.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "support/TempDir.h"

namespace advect::testing {

struct CliRun {
  int exit_code;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// `environment`: "NAME=value ..." set for the program alone.
inline CliRun run_advect_with(const std::string& environment, const std::string& arguments,
                              const TempDir& dir) {
  const std::string command = environment + " " + std::string(ADVECT_CLI) + " " + arguments +
                              " > " + (dir / "stdout.txt").string() + " 2> " +
                              (dir / "stderr.txt").string() + " < /dev/null";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout.txt"),
          slurp(dir / "stderr.txt")};
}

inline CliRun run_advect(const std::string& arguments, const TempDir& dir) {
  return run_advect_with("", arguments, dir);
}

// Every regular file under `root` by relative path, with its bytes.
inline std::map<std::string, std::string> files_under(const std::filesystem::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file())
      files[std::filesystem::relative(entry.path(), root).string()] = slurp(entry.path());
  }
  return files;
}

// Exactly one line on stderr, containing `needle`, and a failing exit code.
inline void expect_one_line_error(const CliRun& run, const std::string& needle) {
  EXPECT_NE(run.exit_code, 0);
  ASSERT_FALSE(run.err.empty());
  EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << run.err;
  EXPECT_NE(run.err.find(needle), std::string::npos) << run.err;
}

}  // namespace advect::testing
