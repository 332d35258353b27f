// The determinism matrix: every command that computes, run on the CPU with one thread, with two
// threads, and with two threads again, writes the same bytes (summary.json aside: it records
// timings, peak memory and the thread count). A fixed seed is the commands' default.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "CliRun.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

struct DeterminismCase {
  const char* name;
  std::string arguments;  // -o OUT is appended
  bool trains = false;    // gets --data (a small cavity dataset) and --config (a small model)
};

const std::string kPair = std::string(ADVECT_SOURCE_DIR) + "/data/sceneflow/av2/av2_7fab2350.npz";
const std::string kSequence = std::string(ADVECT_SOURCE_DIR) + "/data/lidar/av2_bird";

class CommandDeterminism : public ::testing::TestWithParam<DeterminismCase> {};

std::map<std::string, std::string> outputs_with_threads(const DeterminismCase& c, int threads,
                                                        const TempDir& dir,
                                                        const std::string& run) {
  setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(), 1);
  const auto out = dir / run;
  std::string arguments = c.arguments;
  if (c.trains) {
    arguments +=
        " --data " + (dir / "dataset").string() + " --config " + (dir / "config.json").string();
  }
  const CliRun result = run_advect(arguments + " --device cpu -q -o " + out.string(), dir);
  unsetenv("OMP_NUM_THREADS");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto files = std::filesystem::is_directory(out)
                   ? files_under(out)
                   : std::map<std::string, std::string>{{"the output file", slurp(out)}};
  files.erase("summary.json");
  return files;
}

TEST_P(CommandDeterminism, OneAndTwoThreadsAndRepeatedRunsWriteTheSameBytes) {
  const DeterminismCase& c = GetParam();
  TempDir dir;
  if (c.trains) {
    dir.write("config.json", R"({"latent_dims": 8, "dynamics_width": 16, "max_wave_number": 4})");
    const CliRun made = run_advect(
        "cfd dataset cavity --n 16 --frames 4 --cases 3 -q -o " + (dir / "dataset").string(), dir);
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  const auto one = outputs_with_threads(c, 1, dir, "one");
  ASSERT_FALSE(one.empty());
  const auto two = outputs_with_threads(c, 2, dir, "two");
  const auto again = outputs_with_threads(c, 2, dir, "again");
  for (const auto& [file, bytes] : one) {
    ASSERT_TRUE(two.contains(file)) << file;
    EXPECT_TRUE(two.at(file) == bytes) << file << " differs between 1 and 2 threads";
    EXPECT_TRUE(again.at(file) == two.at(file)) << file << " differs between two runs";
  }
  EXPECT_EQ(one.size(), two.size());
}

INSTANTIATE_TEST_SUITE_P(
    Commands, CommandDeterminism,
    ::testing::Values(
        DeterminismCase{"SceneFlowNsfp", "sceneflow estimate " + kPair +
                                             " --method nsfp --points 1024 --max-iters 60 --png"},
        DeterminismCase{"SceneFlowFast", "sceneflow estimate " + kPair +
                                             " --method fast --points 4096 --max-iters 60"},
        DeterminismCase{"SceneFlowRigid", "sceneflow estimate " + kPair + " --method rigid --png"},
        DeterminismCase{"Accumulate", "accumulate " + kSequence + " --frames 0:2 --world-frame"},
        DeterminismCase{"CfdRunCavity", "cfd run cavity --re 100 --n 32 --t-end 0.2 --frames 2"},
        DeterminismCase{"CfdDatasetVorticity",
                        "cfd dataset vorticity --cases 2 --frames 3 --n 16 --size 16 --spin-up 1"},
        DeterminismCase{"SurrogateTrain",
                        "surrogate train --field u --frames 3 --dynamics-iterations 30", true},
        DeterminismCase{"Integrate",
                        "integrate --field rotation --grid 4 4 4 --t1 1 --format npy"}),
    [](const ::testing::TestParamInfo<DeterminismCase>& instance) { return instance.param.name; });

}  // namespace
}  // namespace advect::testing
