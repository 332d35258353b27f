// Flow datasets in CFDBench's layout (Luo, Chen & Zhang 2023): DIR/caseNNNN/{FIELD.npy,
// case.json}, each field float32 (T, H, W) = (frames, points along y, points along x), row 0 at
// the bottom, and case.json with the case's parameters.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace advect::io {

// Writes one case folder all or nothing: everything goes into a hidden sibling folder first,
// renamed to `folder` when complete, so an interrupted write leaves no caseNNNN behind (and a
// leftover hidden folder is replaced). Each field holds frames x height x width values.
void write_cfdbench_case(const std::filesystem::path& folder,
                         const std::vector<std::pair<std::string, std::vector<float>>>& fields,
                         std::size_t height, std::size_t width, const std::string& case_json);

// A dataset folder carries this file while `advect cfd dataset` is making it (its text says how
// to finish it); read_cfdbench_cases() refuses such a folder.
inline constexpr char kIncompleteDatasetMarker[] = "INCOMPLETE";

enum class CaseSplit { train, test, all };

struct CfdBenchCases {
  std::vector<std::filesystem::path> folders;
  std::vector<std::vector<float>> sequences;  // each frames x height x width floats
  int frames = 0, height = 0, width = 0;
  double frame_interval = 1.0;  // seconds, from case.json
  bool periodic = false;        // a flow on the torus (case.json's case "vorticity"), not in a box
};

// The cases of `field` in a dataset, split by case: the case folders in name order, the last
// `test_fraction` of them (at least one) are the test cases, the rest the training cases, so
// test trajectories start from initial fields (or parameters) no training case had. Keeps the
// first `max_frames` frames of each case (0: all). Throws IoError naming the file (missing
// field, shape differing between cases, NaN or infinite values, fewer than two cases, an
// unfinished dataset).
CfdBenchCases read_cfdbench_cases(const std::filesystem::path& directory, const std::string& field,
                                  CaseSplit split, double test_fraction, int max_frames = 0);

}  // namespace advect::io
