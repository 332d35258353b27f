// The program interrupted: Ctrl-C and SIGTERM end it with one line and no partial output, and a
// dataset killed at random moments (SIGKILL: no chance to clean up) and rerun is byte for byte
// the dataset of an uninterrupted run.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "CliRun.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Starts the program without waiting for it; its pid is the program's (the shell execs it).
pid_t spawn_advect(const std::string& arguments, const TempDir& dir) {
  const std::string command = "exec " + std::string(ADVECT_CLI) + " " + arguments + " > " +
                              (dir / "stdout.txt").string() + " 2> " +
                              (dir / "stderr.txt").string() + " < /dev/null";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// True once `parent` holds a hidden staging folder (the run has begun to write).
bool wait_for_staging(const fs::path& parent, pid_t pid) {
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    for (const auto& entry : fs::directory_iterator(parent)) {
      if (entry.path().filename().string().find(".partial-" + std::to_string(pid)) !=
          std::string::npos)
        return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST(CliInterrupts, CtrlCAndSigtermStopWithOneLineAndNoOutput) {
  for (const int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(strsignal(signal));
    TempDir dir;
    fs::create_directories(dir / "runs");
    // A steady cavity run that takes far longer than the test waits.
    const pid_t pid = spawn_advect(
        "cfd run cavity --re 1000 --n 64 --t-max 1000 -o " + (dir / "runs/out").string(), dir);
    ASSERT_TRUE(wait_for_staging(dir / "runs", pid)) << slurp(dir / "stderr.txt");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // some snapshots written
    kill(pid, signal);
    const int status = wait_status(pid);
    ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of handling it";
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal);
    const std::string err = slurp(dir / "stderr.txt");
    EXPECT_NE(err.find("advect: interrupted"), std::string::npos) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
    EXPECT_EQ(std::distance(fs::directory_iterator(dir / "runs"), fs::directory_iterator()), 0)
        << "no output folder and no staging folder may be left";
  }
}

TEST(CliInterrupts, DatasetKilledAtRandomMomentsAndRerunIsByteIdentical) {
  TempDir dir;
  // About a second on two cores: long enough for kills to land while cases are being made.
  const std::string command = "cfd dataset cavity --n 32 --frames 6 --interval 1 --cases 8 -q -o ";
  const auto start = Clock::now();
  CliRun run = run_advect(command + (dir / "whole").string(), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const double whole_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto expected = files_under(dir / "whole");
  ASSERT_EQ(expected.size(), 24u);  // u.npy, v.npy and case.json of 8 cases
  std::mt19937 random(20261204);
  std::uniform_real_distribution<double> moment(0.05 * whole_seconds, 0.95 * whole_seconds);
  for (int trial = 0; trial < 4; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const fs::path out = dir / ("killed" + std::to_string(trial));
    const pid_t pid = spawn_advect(command + out.string(), dir);
    std::this_thread::sleep_for(std::chrono::duration<double>(moment(random)));
    kill(pid, SIGKILL);
    wait_status(pid);
    if (fs::exists(out / "case0000/case.json") && fs::exists(out / "INCOMPLETE")) {
      // What a reader sees of an unfinished dataset: a refusal, not fewer cases.
      run = run_advect("surrogate train --data " + out.string() + " -o " +
                           (dir / "model.bin").string() + " -q",
                       dir);
      expect_one_line_error(run, "unfinished");
    }
    run = run_advect(command + out.string(), dir);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    std::cout << "trial " << trial << ": " << run.out;  // how many cases the kills left
    EXPECT_EQ(files_under(out), expected) << "the resumed dataset differs from the whole one";
  }
}

}  // namespace
}  // namespace advect::testing
