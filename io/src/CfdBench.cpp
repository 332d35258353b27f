#include "advect/io/CfdBench.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"

namespace advect::io {

namespace fs = std::filesystem;

void write_cfdbench_case(const fs::path& folder,
                         const std::vector<std::pair<std::string, std::vector<float>>>& fields,
                         std::size_t height, std::size_t width, const std::string& case_json) {
  std::string hidden = folder.filename().string();
  hidden.insert(0, 1, '.');  // not "." + name: GCC 12 warns falsely (-Wrestrict) about that
  const fs::path partial = folder.parent_path() / (hidden + ".partial");
  fs::remove_all(partial);
  fs::create_directories(partial);
  for (const auto& [name, values] : fields) {
    const std::size_t frames = values.size() / (height * width);
    write_npy(partial / (name + ".npy"),
              NpyArray::from_values<float>(values, {frames, height, width}));
  }
  write_file_bytes(partial / "case.json", case_json);
  fs::rename(partial, folder);
}

CfdBenchCases read_cfdbench_cases(const fs::path& directory, const std::string& field,
                                  CaseSplit split, double test_fraction, int max_frames) {
  if (!fs::is_directory(directory)) throw IoError(directory, "not a directory");
  if (fs::exists(directory / kIncompleteDatasetMarker)) {
    throw IoError(directory / kIncompleteDatasetMarker,
                  "the dataset is unfinished (its making was interrupted): rerun the command that "
                  "made it to finish it");
  }
  std::vector<fs::path> all;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_directory() && fs::exists(entry.path() / "case.json")) all.push_back(entry.path());
  }
  std::sort(all.begin(), all.end());
  if (all.size() < 2) {
    throw IoError(directory, "needs 2 or more case folders (caseNNNN/case.json), found " +
                                 std::to_string(all.size()));
  }
  const auto tests = std::clamp<std::size_t>(
      std::size_t(std::lround(test_fraction * double(all.size()))), 1, all.size() - 1);
  const auto first = split == CaseSplit::test ? all.size() - tests : 0;
  const auto last = split == CaseSplit::train ? all.size() - tests : all.size();

  CfdBenchCases cases;
  for (auto i = first; i < last; ++i) {
    const auto& folder = all[i];
    const auto file = folder / (field + ".npy");
    if (!fs::exists(file)) throw IoError(file, "missing (no field '" + field + "' here)");
    const auto array = read_npy(file);
    if (array.shape.size() != 3) throw IoError(file, "expected a (T, H, W) array");
    int frames = int(array.shape[0]);
    const int height = int(array.shape[1]), width = int(array.shape[2]);
    if (max_frames > 0) {
      if (frames < max_frames) {
        throw IoError(file, "has " + std::to_string(frames) + " frames, " +
                                std::to_string(max_frames) + " needed");
      }
      frames = max_frames;
    }
    auto values = array.values<float>();
    values.resize(std::size_t(frames) * std::size_t(height) * std::size_t(width));
    if (std::any_of(values.begin(), values.end(), [](float v) { return !std::isfinite(v); })) {
      throw IoError(file, "holds NaN or infinite values");
    }
    if (cases.sequences.empty()) {
      cases.frames = frames;
      cases.height = height;
      cases.width = width;
      try {
        const auto json = nlohmann::json::parse(read_file_bytes(folder / "case.json"));
        cases.frame_interval = json.value("frame_interval", 1.0);
        cases.periodic = json.value("case", "") == "vorticity";
      } catch (const nlohmann::json::exception& e) {
        throw IoError(folder / "case.json", std::string("bad JSON: ") + e.what());
      }
    } else if (frames != cases.frames || height != cases.height || width != cases.width) {
      throw IoError(file, "shape differs from the first case's");
    }
    cases.folders.push_back(folder);
    cases.sequences.push_back(std::move(values));
  }
  return cases;
}

}  // namespace advect::io
