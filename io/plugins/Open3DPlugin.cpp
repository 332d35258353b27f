// libadvect_open3d.so: io/'s calls into Open3D (src/Open3DBackend.h), kept out of the program's
// start-up (src/Plugins.h).
#include <open3d/geometry/KDTreeSearchParam.h>
#include <open3d/geometry/PointCloud.h>
#include <open3d/io/PointCloudIO.h>
#include <open3d/pipelines/registration/GeneralizedICP.h>
#include <open3d/pipelines/registration/Registration.h>
#include <open3d/pipelines/registration/RobustKernel.h>
#include <open3d/pipelines/registration/TransformationEstimation.h>
#include <open3d/utility/Logging.h>

#include <stdexcept>

#include "Open3DBackend.h"

namespace advect::io::detail {

namespace {

namespace registration = open3d::pipelines::registration;

// Open3D's own warnings would print a second, differently worded line: io/ reports instead.
void quiet_open3d() {
  open3d::utility::SetVerbosityLevel(open3d::utility::VerbosityLevel::Error);
}

open3d::geometry::PointCloud to_open3d(const std::vector<float>& positions) {
  open3d::geometry::PointCloud cloud;
  cloud.points_.reserve(positions.size() / 3);
  for (std::size_t i = 0; i + 2 < positions.size(); i += 3) {
    cloud.points_.emplace_back(positions[i], positions[i + 1], positions[i + 2]);
  }
  return cloud;
}

bool read_cloud(const std::string& file, std::vector<float>& positions) {
  quiet_open3d();
  open3d::geometry::PointCloud cloud;
  open3d::io::ReadPointCloudOption option;
  option.print_progress = false;
  if (!open3d::io::ReadPointCloud(file, cloud, option)) return false;
  positions.resize(3 * cloud.points_.size());
  for (std::size_t i = 0; i < cloud.points_.size(); ++i) {
    for (int d = 0; d < 3; ++d) positions[3 * i + std::size_t(d)] = float(cloud.points_[i](d));
  }
  return true;
}

bool write_cloud(const std::string& file, const std::vector<float>& positions,
                 const std::vector<float>& colours) {
  quiet_open3d();
  const open3d::io::WritePointCloudOption option(/*write_ascii=*/false, /*compressed=*/false,
                                                 /*print_progress=*/false);
  open3d::geometry::PointCloud cloud = to_open3d(positions);
  cloud.colors_.reserve(colours.size() / 3);
  for (std::size_t i = 0; i + 2 < colours.size(); i += 3) {
    cloud.colors_.emplace_back(colours[i], colours[i + 1], colours[i + 2]);
  }
  return open3d::io::WritePointCloud(file, cloud, option);
}

class Open3DRegistrar final : public SweepRegistrar {
 public:
  explicit Open3DRegistrar(const RegistrationOptions& options) : options_(options) {}

  geometry::RegistrationStep add(const std::vector<float>& points) override {
    quiet_open3d();
    auto current = to_open3d(points).VoxelDownSample(options_.voxel);
    if (current->points_.size() < 10) {
      throw std::runtime_error("too few points to register the sweep (fewer than 10 voxels)");
    }
    // Normals from neighbourhoods a few voxels wide; they are needed on the target side only,
    // and each sweep is the target of the next one.
    current->EstimateNormals(open3d::geometry::KDTreeSearchParamHybrid(4.0 * options_.voxel, 30));

    geometry::RegistrationStep out;
    if (previous_) {
      Eigen::Matrix4d step = step_;  // constant-velocity guess
      for (const double distance : {options_.coarse_distance, options_.fine_distance}) {
        const auto kernel = std::make_shared<registration::TukeyLoss>(distance);
        const registration::ICPConvergenceCriteria criteria(1e-7, 1e-7, options_.iterations);
        const registration::RegistrationResult result =
            options_.generalized
                ? registration::RegistrationGeneralizedICP(
                      *current, *previous_, distance, step,
                      registration::TransformationEstimationForGeneralizedICP(1e-3, kernel),
                      criteria)
                : registration::RegistrationICP(
                      *current, *previous_, distance, step,
                      registration::TransformationEstimationPointToPlane(kernel), criteria);
        step = result.transformation_;
        out.fitness = result.fitness_;
        out.rmse = result.inlier_rmse_;
      }
      step_ = step;
      pose_ = pose_ * step;
    }
    previous_ = std::move(current);
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 3; ++c) out.pose.rotation[3 * r + c] = pose_(r, c);
      out.pose.translation[r] = pose_(r, 3);
    }
    return out;
  }

 private:
  RegistrationOptions options_;
  std::shared_ptr<open3d::geometry::PointCloud> previous_;  // downsampled, with normals
  Eigen::Matrix4d pose_ = Eigen::Matrix4d::Identity();      // of the previous sweep
  Eigen::Matrix4d step_ = Eigen::Matrix4d::Identity();      // its motion from the one before
};

std::unique_ptr<SweepRegistrar> make_registrar(const RegistrationOptions& options) {
  return std::make_unique<Open3DRegistrar>(options);
}

}  // namespace

}  // namespace advect::io::detail

extern "C" __attribute__((visibility("default"))) const advect::io::detail::Open3DBackend*
advect_open3d_backend() {
  using namespace advect::io::detail;
  static const Open3DBackend backend{&read_cloud, &write_cloud, &make_registrar};
  return &backend;
}
