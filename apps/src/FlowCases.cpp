#include "FlowCases.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"

namespace advect::app {

namespace fs = std::filesystem;

FlowCases read_flow_cases(const fs::path& directory, const std::string& field, CaseSplit split,
                          double test_fraction, int max_frames) {
  if (!fs::is_directory(directory)) throw io::IoError(directory, "not a directory");
  std::vector<fs::path> all;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_directory() && fs::exists(entry.path() / "case.json")) all.push_back(entry.path());
  }
  std::sort(all.begin(), all.end());
  if (all.size() < 2) {
    throw io::IoError(directory, "needs 2 or more case folders (caseNNNN/case.json), found " +
                                     std::to_string(all.size()));
  }
  const auto tests = std::clamp<std::size_t>(
      std::size_t(std::lround(test_fraction * double(all.size()))), 1, all.size() - 1);
  const auto first = split == CaseSplit::test ? all.size() - tests : 0;
  const auto last = split == CaseSplit::train ? all.size() - tests : all.size();

  FlowCases cases;
  for (auto i = first; i < last; ++i) {
    const auto& folder = all[i];
    const auto file = folder / (field + ".npy");
    if (!fs::exists(file)) throw io::IoError(file, "missing (no field '" + field + "' here)");
    const auto array = io::read_npy(file);
    if (array.shape.size() != 3) throw io::IoError(file, "expected a (T, H, W) array");
    neural::SequenceShape shape{int(array.shape[0]), int(array.shape[1]), int(array.shape[2]), 1};
    if (max_frames > 0) {
      if (shape.frames < max_frames) {
        throw io::IoError(file, "has " + std::to_string(shape.frames) + " frames, " +
                                    std::to_string(max_frames) + " needed");
      }
      shape.frames = max_frames;
    }
    auto values = array.values<float>();
    values.resize(shape.size());
    if (std::any_of(values.begin(), values.end(), [](float v) { return !std::isfinite(v); })) {
      throw io::IoError(file, "holds NaN or infinite values");
    }
    if (cases.sequences.empty()) {
      cases.shape = shape;
      try {
        const auto json = nlohmann::json::parse(io::read_file_bytes(folder / "case.json"));
        cases.frame_interval = json.value("frame_interval", 1.0);
        cases.periodic = json.value("case", "") == "vorticity";
      } catch (const nlohmann::json::exception& e) {
        throw io::IoError(folder / "case.json", std::string("bad JSON: ") + e.what());
      }
    } else if (shape.frames != cases.shape.frames || shape.height != cases.shape.height ||
               shape.width != cases.shape.width) {
      throw io::IoError(file, "shape differs from the first case's");
    }
    cases.folders.push_back(folder);
    cases.sequences.push_back(std::move(values));
  }
  return cases;
}

}  // namespace advect::app
