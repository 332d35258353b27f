#include "advect/io/SceneFlowData.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "advect/io/IoError.h"
#include "advect/io/Npz.h"
#include "advect/io/PointCloudIO.h"

namespace advect::io {

namespace fs = std::filesystem;

namespace {

using Archive = std::map<std::string, NpyArray>;

// The array stored under the first of `keys` present, or nullptr.
const NpyArray* find(const Archive& archive, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (const auto it = archive.find(key); it != archive.end()) return &it->second;
  }
  return nullptr;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  return fmt::format("({})", fmt::join(shape, ", "));
}

void check_shape(const fs::path& path, const char* key, const NpyArray& array,
                 const std::vector<std::size_t>& expected) {
  if (array.shape != expected) {
    throw IoError(path, fmt::format("'{}' has shape {}, expected {}", key, shape_text(array.shape),
                                    shape_text(expected)));
  }
}

geometry::PointCloud cloud_from(const fs::path& path, const Archive& archive,
                                std::initializer_list<const char*> keys) {
  const NpyArray* array = find(archive, keys);
  const char* key = *keys.begin();
  if (!array) {
    std::vector<std::string> present;
    for (const auto& [name, value] : archive) present.push_back(name);
    throw IoError(path,
                  fmt::format("no '{}' array (keys present: {})", key, fmt::join(present, ", ")));
  }
  if (array->shape.size() != 2 || array->shape[1] != 3) {
    throw IoError(path,
                  fmt::format("'{}' has shape {}, expected (N, 3)", key, shape_text(array->shape)));
  }
  geometry::PointCloud cloud;
  cloud.positions = array->values<float>();
  validate_cloud(cloud, path / key);
  return cloud;
}

void check_flow(const fs::path& source, const std::vector<float>& flow, std::size_t points) {
  if (flow.size() != 3 * points) {
    throw IoError(source,
                  fmt::format("the flow has {} vectors for {} points", flow.size() / 3, points));
  }
  const std::ptrdiff_t bad = geometry::first_non_finite_point(flow);
  if (bad >= 0) throw IoError(source, fmt::format("flow vector {} is not finite", bad));
}

}  // namespace

SceneFlowPair read_scene_flow_npz(const fs::path& path) {
  const Archive archive = read_npz(path);
  SceneFlowPair pair;
  pair.name = path.stem().string();
  pair.source = cloud_from(path, archive, {"pc1", "pos1"});
  pair.target = cloud_from(path, archive, {"pc2", "pos2"});
  const std::size_t n = pair.source.size();
  if (const NpyArray* flow = find(archive, {"flow", "gt"})) {
    check_shape(path, "flow", *flow, {n, 3});
    pair.flow = flow->values<float>();
    check_flow(path / "flow", pair.flow, n);
  }
  if (const NpyArray* mask = find(archive, {"mask"})) {
    check_shape(path, "mask", *mask, {n});
    for (const float value : mask->values<float>()) pair.mask.push_back(value != 0.0f);
  }
  if (const NpyArray* classes = find(archive, {"classes"})) {
    check_shape(path, "classes", *classes, {n});
    pair.classes = classes->values<std::uint8_t>();
  } else if (const NpyArray* semseg = find(archive, {"semseg"})) {
    check_shape(path, "semseg", *semseg, {n});
    pair.classes = semseg->values<std::uint8_t>();
    pair.taxonomy = geometry::ClassTaxonomy::pandaset;
  }
  if (const NpyArray* ego = find(archive, {"ego_motion"})) {
    check_shape(path, "ego_motion", *ego, {4, 4});
    const std::vector<double> values = ego->values<double>();
    if (!std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }))
      throw IoError(path, "'ego_motion' is not finite");
    std::array<double, 16> matrix;
    std::copy(values.begin(), values.end(), matrix.begin());
    pair.ego_motion = geometry::RigidTransform::from_matrix(matrix);
  }
  return pair;
}

SceneFlowPair read_scene_flow_files(const fs::path& source, const fs::path& target,
                                    const std::optional<fs::path>& flow) {
  SceneFlowPair pair;
  pair.name = source.stem().string();
  pair.source = read_point_cloud(source);
  pair.target = read_point_cloud(target);
  if (flow) pair.flow = read_flow_file(*flow, pair.source.size());
  return pair;
}

std::vector<float> read_flow_file(const fs::path& path, std::size_t points) {
  std::vector<float> flow = read_point_cloud(path).positions;
  check_flow(path, flow, points);
  return flow;
}

std::vector<fs::path> list_scene_flow_pairs(const fs::path& dataset) {
  std::error_code error;
  if (fs::is_regular_file(dataset, error)) {
    if (dataset.extension() != ".npz")
      throw IoError(dataset, "a scene-flow dataset is a directory of .npz pairs or one .npz file");
    return {dataset};
  }
  if (!fs::is_directory(dataset, error)) throw IoError(dataset, "no such file or directory");
  std::vector<fs::path> pairs;
  for (const auto& entry : fs::directory_iterator(dataset)) {
    if (entry.is_regular_file() && entry.path().extension() == ".npz")
      pairs.push_back(entry.path());
  }
  if (pairs.empty()) throw IoError(dataset, "the directory holds no .npz scene-flow pair");
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

ScoredPairs read_scored_pairs(const fs::path& dataset) {
  ScoredPairs out;
  out.files = list_scene_flow_pairs(dataset);
  for (const fs::path& file : out.files) {
    out.pairs.push_back(read_scene_flow_npz(file));
    if (!out.pairs.back().has_truth()) throw IoError(file, "no ground-truth 'flow' to score");
  }
  return out;
}

}  // namespace advect::io
