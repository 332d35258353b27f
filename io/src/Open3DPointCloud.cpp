// .ply and .pcd through Open3D's legacy point-cloud IO (the only io/ file that includes Open3D).
#include <fmt/format.h>
#include <open3d/geometry/PointCloud.h>
#include <open3d/io/PointCloudIO.h>
#include <open3d/utility/Logging.h>

#include "CapturedStderr.h"
#include "CloudFileChecks.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/PointCloudIO.h"

namespace advect::io {

namespace fs = std::filesystem;

namespace {
// Open3D's own warnings would print a second, differently worded line: we report instead.
void quiet_open3d() {
  open3d::utility::SetVerbosityLevel(open3d::utility::VerbosityLevel::Error);
}
}  // namespace

geometry::PointCloud read_open3d_cloud(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw IoError(path, "no such file");
  if (!fs::is_regular_file(path, ec)) throw IoError(path, "not a regular file");
  detail::check_cloud_file(path);
  quiet_open3d();
  open3d::geometry::PointCloud o3d;
  open3d::io::ReadPointCloudOption option;
  option.print_progress = false;
  detail::CapturedStderr capture;
  const bool ok = open3d::io::ReadPointCloud(path.string(), o3d, option);
  const std::string reason = capture.finish();
  const std::string format = path.extension().string().substr(1);
  if (!ok) {
    if (fs::file_size(path, ec) == 0) throw IoError(path, "empty file");
    throw IoError(path, fmt::format("cannot parse {} file (truncated or malformed){}", format,
                                    reason.empty() ? "" : ": " + reason));
  }
  geometry::PointCloud cloud;
  cloud.positions.resize(3 * o3d.points_.size());
  for (std::size_t i = 0; i < o3d.points_.size(); ++i) {
    for (int d = 0; d < 3; ++d) cloud.positions[3 * i + std::size_t(d)] = float(o3d.points_[i](d));
  }
  validate_cloud(cloud, path);
  return cloud;
}

void write_open3d_cloud(const fs::path& path, const geometry::PointCloud& cloud) {
  quiet_open3d();
  open3d::geometry::PointCloud o3d;
  o3d.points_.resize(cloud.size());
  for (std::size_t i = 0; i < cloud.size(); ++i) {
    o3d.points_[i] = {cloud.positions[3 * i], cloud.positions[3 * i + 1],
                      cloud.positions[3 * i + 2]};
  }
  write_atomically(path, [&](const fs::path& temporary) {
    open3d::io::WritePointCloudOption option(/*write_ascii=*/false, /*compressed=*/false,
                                             /*print_progress=*/false);
    detail::CapturedStderr capture;
    const bool ok = open3d::io::WritePointCloud(temporary.string(), o3d, option);
    const std::string reason = capture.finish();
    if (!ok) throw IoError(path, "write failed" + (reason.empty() ? "" : ": " + reason));
  });
}

}  // namespace advect::io
