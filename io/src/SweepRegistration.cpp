#include "advect/io/SweepRegistration.h"

#include <open3d/geometry/KDTreeSearchParam.h>
#include <open3d/geometry/PointCloud.h>
#include <open3d/pipelines/registration/GeneralizedICP.h>
#include <open3d/pipelines/registration/Registration.h>
#include <open3d/pipelines/registration/RobustKernel.h>
#include <open3d/pipelines/registration/TransformationEstimation.h>
#include <open3d/utility/Logging.h>

#include <stdexcept>

namespace advect::io {

namespace registration = open3d::pipelines::registration;

struct SweepRegistration::State {
  std::shared_ptr<open3d::geometry::PointCloud> previous;  // downsampled, with normals
  Eigen::Matrix4d pose = Eigen::Matrix4d::Identity();      // of the previous sweep
  Eigen::Matrix4d step = Eigen::Matrix4d::Identity();      // its motion from the one before
};

SweepRegistration::SweepRegistration(const RegistrationOptions& options)
    : options_(options), state_(std::make_unique<State>()) {}

SweepRegistration::~SweepRegistration() = default;

geometry::RegistrationStep SweepRegistration::add(const std::vector<float>& points) {
  open3d::utility::SetVerbosityLevel(open3d::utility::VerbosityLevel::Error);
  open3d::geometry::PointCloud cloud;
  cloud.points_.reserve(points.size() / 3);
  for (std::size_t i = 0; i + 2 < points.size(); i += 3) {
    cloud.points_.emplace_back(points[i], points[i + 1], points[i + 2]);
  }
  auto current = cloud.VoxelDownSample(options_.voxel);
  if (current->points_.size() < 10) {
    throw std::runtime_error("too few points to register the sweep (fewer than 10 voxels)");
  }
  // Normals from neighbourhoods a few voxels wide; they are needed on the target side only, and
  // each sweep is the target of the next one.
  current->EstimateNormals(open3d::geometry::KDTreeSearchParamHybrid(4.0 * options_.voxel, 30));

  geometry::RegistrationStep out;
  if (state_->previous) {
    Eigen::Matrix4d step = state_->step;  // constant-velocity guess
    for (const double distance : {options_.coarse_distance, options_.fine_distance}) {
      const auto kernel = std::make_shared<registration::TukeyLoss>(distance);
      const registration::ICPConvergenceCriteria criteria(1e-7, 1e-7, options_.iterations);
      const registration::RegistrationResult result =
          options_.generalized
              ? registration::RegistrationGeneralizedICP(
                    *current, *state_->previous, distance, step,
                    registration::TransformationEstimationForGeneralizedICP(1e-3, kernel), criteria)
              : registration::RegistrationICP(
                    *current, *state_->previous, distance, step,
                    registration::TransformationEstimationPointToPlane(kernel), criteria);
      step = result.transformation_;
      out.fitness = result.fitness_;
      out.rmse = result.inlier_rmse_;
    }
    state_->step = step;
    state_->pose = state_->pose * step;
  }
  state_->previous = std::move(current);
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) out.pose.rotation[3 * r + c] = state_->pose(r, c);
    out.pose.translation[r] = state_->pose(r, 3);
  }
  return out;
}

}  // namespace advect::io
