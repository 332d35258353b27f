// The advect program end to end: JSON info, an integration checked against the exact rotation,
// and bad input answered with one line naming the file, a non-zero exit and no output files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>

#include "advect/io/Npy.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

struct CliRun {
  int exit_code;
  std::string out, err;
};

std::string slurp(const std::filesystem::path& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

CliRun run_advect(const std::string& arguments, const TempDir& dir) {
  const std::string command = std::string(ADVECT_CLI) + " " + arguments + " > " +
                              (dir / "stdout.txt").string() + " 2> " +
                              (dir / "stderr.txt").string() + " < /dev/null";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout.txt"),
          slurp(dir / "stderr.txt")};
}

// Exactly one line on stderr, containing `needle`, and a failing exit code.
void expect_one_line_error(const CliRun& run, const std::string& needle) {
  EXPECT_NE(run.exit_code, 0);
  ASSERT_FALSE(run.err.empty());
  EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << run.err;
  EXPECT_NE(run.err.find(needle), std::string::npos) << run.err;
}

TEST(Cli, InfoJsonHasTheDocumentedKeys) {
  TempDir dir;
  const CliRun run = run_advect("info --json", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto info = nlohmann::json::parse(run.out);
  EXPECT_TRUE(info["version"].is_string());
  EXPECT_TRUE(info["build_type"].is_string());
  EXPECT_EQ(info["backends"][0], "cpu");
  EXPECT_TRUE(info["cuda_devices"].is_number_integer());
  EXPECT_GE(info["threads"].get<int>(), 1);
}

TEST(Cli, QuarterTurnOfARotationLandsOnTheExactPoints) {
  TempDir dir;
  const std::string t1 = std::to_string(std::numbers::pi / 4);  // omega 2 rad/s: a quarter turn
  const CliRun run = run_advect(
      "integrate --field rotation --omega 2 --grid 3 2 2 --box -1 1 0.5 2 -1 1 --t1 " + t1 +
          " --rtol 1e-10 --atol 1e-12 --format npy --device cpu -o " + (dir / "out").string(),
      dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("integrated 12 points"), std::string::npos) << run.out;
  const std::vector<double> final_points = io::read_npy(dir / "out/final.npy").values<double>();
  ASSERT_EQ(final_points.size(), 36u);
  std::size_t i = 0;
  for (double z : {-1.0, 1.0}) {
    for (double y : {0.5, 2.0}) {
      for (double x : {-1.0, 0.0, 1.0}) {  // (x, y, z) -> (-y, x, z)
        EXPECT_NEAR(final_points[i++], -y, 1e-6);
        EXPECT_NEAR(final_points[i++], x, 1e-6);
        EXPECT_NEAR(final_points[i++], z, 1e-6);
      }
    }
  }
  for (const char* name : {"trajectories.vtp", "trajectories.png", "summary.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / name)) << name;
  }
  const auto summary = nlohmann::json::parse(slurp(dir / "out/summary.json"));
  EXPECT_EQ(summary["points"], 12);
  EXPECT_GT(summary["accepted_steps"].get<int>(), 0);
}

TEST(Cli, BackwardInTimeUndoesTheTurn) {
  TempDir dir;
  const std::string seeds = dir.write("seeds.xyz", "1 0 0\n0 2 0.5\n").string();
  const std::string t1 = std::to_string(-std::numbers::pi / 2);  // omega 1: a quarter turn back
  const CliRun run =
      run_advect("integrate " + seeds + " --field rotation --t1 " + t1 +
                     " --method rk4 --step 0.001 --format npy -q -o " + (dir / "out").string(),
                 dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << run.err;  // --quiet
  const std::vector<double> p = io::read_npy(dir / "out/final.npy").values<double>();
  const std::vector<double> expected = {0, -1, 0, 2, 0, 0.5};  // (x, y, z) -> (y, -x, z)
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(p[i], expected[i], 1e-6) << i;
}

TEST(Cli, BadInputGivesOneLineAndNoOutput) {
  TempDir dir;
  const std::string out = " -o " + (dir / "out").string();
  expect_one_line_error(run_advect("integrate " + (dir / "missing.ply").string() + out, dir),
                        "missing.ply");

  const auto truncated = dir.write("sweep.bin", std::string(20, '\0'));
  expect_one_line_error(run_advect("integrate " + truncated.string() + out, dir),
                        "sweep.bin: size 20 bytes");
  const auto nan_cloud = dir.write("nan.xyz", "0 0 0\n1 nan 2\n");
  expect_one_line_error(run_advect("integrate " + nan_cloud.string() + out, dir),
                        "nan.xyz: point 1 has a non-finite");
  const auto empty = dir.write("empty.ply", "");
  expect_one_line_error(run_advect("integrate " + empty.string() + out, dir),
                        "empty.ply: empty file");

  expect_one_line_error(run_advect("integrate --method rk9" + out, dir), "rk9");
  expect_one_line_error(run_advect("integrate --grid 2 2" + out, dir), "--grid");
  expect_one_line_error(run_advect("integrate --device gpu" + out, dir), "unknown device 'gpu'");
  expect_one_line_error(run_advect("frobnicate", dir), "frobnicate");
  expect_one_line_error(run_advect("integrate --max-steps 2 --rtol 1e-12" + out, dir), "max_steps");
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "failed runs must not leave output";
}

}  // namespace
}  // namespace advect::testing
