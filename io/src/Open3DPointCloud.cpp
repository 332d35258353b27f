// .ply and .pcd through Open3D's legacy point-cloud IO, called by the plugin (Open3DBackend.h):
// our checks before it, its complaints turned into one line after it.
#include <fmt/format.h>

#include "CapturedStderr.h"
#include "CloudFileChecks.h"
#include "Open3DBackend.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/PointCloudIO.h"

namespace advect::io {

namespace fs = std::filesystem;

geometry::PointCloud read_open3d_cloud(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw IoError(path, "no such file");
  if (!fs::is_regular_file(path, ec)) throw IoError(path, "not a regular file");
  detail::check_cloud_file(path);
  const detail::Open3DBackend& open3d = detail::open3d_backend();
  geometry::PointCloud cloud;
  detail::CapturedStderr capture;
  const bool ok = open3d.read_cloud(path.string(), cloud.positions);
  const std::string reason = capture.finish();
  const std::string format = path.extension().string().substr(1);
  if (!ok) {
    if (fs::file_size(path, ec) == 0) throw IoError(path, "empty file");
    throw IoError(path, fmt::format("cannot parse {} file (truncated or malformed){}", format,
                                    reason.empty() ? "" : ": " + reason));
  }
  validate_cloud(cloud, path);
  return cloud;
}

namespace {

// The cloud's "red", "green" and "blue" scalars (values in [0, 1]) interleaved, or nothing unless
// all three are there.
std::vector<float> colours_of(const geometry::PointCloud& cloud) {
  const auto r = cloud.scalars.find("red"), g = cloud.scalars.find("green"),
             b = cloud.scalars.find("blue");
  const auto end = cloud.scalars.end();
  if (r == end || g == end || b == end) return {};
  std::vector<float> colours(3 * cloud.size());
  for (std::size_t i = 0; i < cloud.size(); ++i) {
    colours[3 * i] = r->second[i], colours[3 * i + 1] = g->second[i];
    colours[3 * i + 2] = b->second[i];
  }
  return colours;
}

}  // namespace

void write_open3d_cloud(const fs::path& path, const geometry::PointCloud& cloud) {
  const detail::Open3DBackend& open3d = detail::open3d_backend();
  write_atomically(path, [&](const fs::path& temporary) {
    detail::CapturedStderr capture;
    const bool ok = open3d.write_cloud(temporary.string(), cloud.positions, colours_of(cloud));
    const std::string reason = capture.finish();
    if (!ok) throw IoError(path, "write failed" + (reason.empty() ? "" : ": " + reason));
  });
}

}  // namespace advect::io
