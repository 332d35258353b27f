// Output folders are all or nothing: nothing of a failed run reaches the target, a committed run
// replaces same-named files and keeps the user's others, and an interrupt removes the staging.
#include <gtest/gtest.h>

#include <stdexcept>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/OutputFolder.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

namespace fs = std::filesystem;

TEST(OutputFolder, AFailedRunLeavesNeitherTheTargetNorItsStaging) {
  TempDir dir;
  try {
    io::OutputFolder folder(dir / "out");
    io::write_file_bytes(folder / "first.txt", "written before the failure");
    EXPECT_FALSE(fs::exists(dir / "out"));
    throw std::runtime_error("the second file failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(dir.entry_count(), 0u) << "neither out/ nor a hidden staging folder may be left";
}

TEST(OutputFolder, CommitMovesEveryFileIntoANewTarget) {
  TempDir dir;
  {
    io::OutputFolder folder(dir / "nested/out/");
    io::write_file_bytes(folder / "a.txt", "A");
    fs::create_directories(folder / "sub");
    io::write_file_bytes(folder / "sub/b.txt", "B");
    folder.commit();
  }
  EXPECT_EQ(io::read_file_bytes(dir / "nested/out/a.txt"), "A");
  EXPECT_EQ(io::read_file_bytes(dir / "nested/out/sub/b.txt"), "B");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "nested"), fs::directory_iterator()), 1);
}

TEST(OutputFolder, CommitIntoAnExistingFolderReplacesSameNamesAndKeepsTheRest) {
  TempDir dir;
  fs::create_directories(dir / "out/sub");
  dir.write("out/mine.txt", "the user's");
  dir.write("out/a.txt", "old");
  dir.write("out/sub/stale.txt", "old run");
  {
    io::OutputFolder folder(dir / "out");
    io::write_file_bytes(folder / "a.txt", "new");
    fs::create_directories(folder / "sub");
    io::write_file_bytes(folder / "sub/b.txt", "B");
    EXPECT_EQ(io::read_file_bytes(dir / "out/a.txt"), "old") << "nothing moves before commit";
    folder.commit();
  }
  EXPECT_EQ(io::read_file_bytes(dir / "out/mine.txt"), "the user's");
  EXPECT_EQ(io::read_file_bytes(dir / "out/a.txt"), "new");
  EXPECT_EQ(io::read_file_bytes(dir / "out/sub/b.txt"), "B");
  EXPECT_FALSE(fs::exists(dir / "out/sub/stale.txt")) << "a folder output is replaced whole";
  EXPECT_EQ(dir.entry_count(), 1u);
}

TEST(OutputFolder, AnInterruptRemovesTheStagingOfUnfinishedOutputs) {
  TempDir dir;
  io::OutputFolder folder(dir / "out");
  io::write_file_bytes(folder / "a.txt", "A");
  ASSERT_TRUE(fs::exists(folder.path()));
  io::remove_unfinished_outputs();
  EXPECT_EQ(dir.entry_count(), 0u);
}

TEST(OutputFolder, RefusesATargetThatIsAFile) {
  TempDir dir;
  dir.write("out", "a file");
  EXPECT_THROW(io::OutputFolder(dir / "out"), io::IoError);
}

}  // namespace
}  // namespace advect::testing
