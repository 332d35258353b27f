#include "advect/geometry/GroupVelocity.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "GroupRows.h"
#include "advect/geometry/NeighbourGrid.h"

namespace advect::geometry {

namespace {

// The twist's translation matrix V(a) = [[p, -q], [q, p]] and its derivative [[dp, -dq], [dq, dp]]
// by a, with Taylor series near a = 0 where the closed forms lose their digits.
struct Twist {
  double p, q, dp, dq;
  explicit Twist(double a) {
    if (std::fabs(a) < 1e-4) {
      p = 1.0 - a * a / 6.0;
      q = a / 2.0;
      dp = -a / 3.0;
      dq = 0.5 - a * a / 8.0;
      return;
    }
    const double s = std::sin(a), c = std::cos(a);
    p = s / a;
    q = (1.0 - c) / a;
    dp = (a * c - s) / (a * a);
    dq = (a * s - (1.0 - c)) / (a * a);
  }
};

double yaw_of(const RigidTransform& t) {
  return std::atan2(t.rotation[3], t.rotation[0]);
}

// Correspondence sums of one group over one iteration.
struct Normal {
  Eigen::Matrix4d h = Eigen::Matrix4d::Zero();
  Eigen::Vector4d g = Eigen::Vector4d::Zero();
  std::int64_t pairs = 0, inliers = 0;
  double squared = 0.0;
};

}  // namespace

RigidTransform UprightVelocity::after(double steps) const {
  const double a = steps * yaw_rate, c = std::cos(a), s = std::sin(a);
  const Twist v(a);
  RigidTransform out;
  out.rotation[0] = c;
  out.rotation[1] = -s;
  out.rotation[3] = s;
  out.rotation[4] = c;
  const double x = centre[0], y = centre[1];
  out.translation[0] = x - (c * x - s * y) + steps * (v.p * velocity[0] - v.q * velocity[1]);
  out.translation[1] = y - (s * x + c * y) + steps * (v.q * velocity[0] + v.p * velocity[1]);
  out.translation[2] = steps * velocity[2];
  return out;
}

UprightVelocity UprightVelocity::from_motion(const RigidTransform& motion, double steps,
                                             const std::array<double, 3>& centre) {
  if (steps == 0.0) throw std::invalid_argument("UprightVelocity::from_motion: zero steps");
  UprightVelocity out;
  out.centre = centre;
  const double a = yaw_of(motion);
  out.yaw_rate = a / steps;
  // Where the motion takes the centre; V(a) s u is its horizontal move.
  double moved[3];
  for (int row = 0; row < 3; ++row) {
    moved[row] = motion.translation[row];
    for (int k = 0; k < 3; ++k) moved[row] += motion.rotation[3 * row + k] * centre[std::size_t(k)];
  }
  const Twist v(a);
  const double dx = (moved[0] - centre[0]) / steps, dy = (moved[1] - centre[1]) / steps;
  const double det = v.p * v.p + v.q * v.q;
  out.velocity = {(v.p * dx + v.q * dy) / det, (-v.q * dx + v.p * dy) / det,
                  (moved[2] - centre[2]) / steps};
  return out;
}

std::vector<VelocityFit> fit_group_velocities(std::span<const float> source,
                                              std::span<const std::int32_t> group,
                                              const std::vector<UprightVelocity>& initial,
                                              const std::vector<VelocityTarget>& targets,
                                              const IcpOptions& options,
                                              std::span<const float> gate_scale) {
  const std::size_t n = group.size(), groups = initial.size();
  if (source.size() != 3 * n) throw std::invalid_argument("fit_group_velocities: sizes differ");
  if (targets.empty()) throw std::invalid_argument("fit_group_velocities: no target");
  for (const VelocityTarget& t : targets) {
    if (t.grid == nullptr || t.points.size() != 3 * std::size_t(t.grid->size()))
      throw std::invalid_argument("fit_group_velocities: a target's points are not its grid's");
  }
  const detail::GroupRows rows_of =
      detail::group_rows(group, groups, gate_scale, "fit_group_velocities");
  const auto& members = rows_of.members;
  std::vector<VelocityFit> fits(groups);
  std::vector<std::uint8_t> active(groups, 1);
  for (std::size_t g = 0; g < groups; ++g) {
    fits[g].velocity = initial[g];
    fits[g].points = std::int64_t(members[g].size());
  }
  for (int iteration = 0; iteration <= options.iterations; ++iteration) {
    const bool scoring = iteration == options.iterations;
    const float gate = options.gate(iteration);
    std::vector<Normal> sums(groups);
    for (const VelocityTarget& target : targets) {
      const double s = target.steps;
      std::vector<std::size_t> rows;
      std::vector<float> moved;
      for (std::size_t g = 0; g < groups; ++g) {
        if (!scoring && !active[g]) continue;
        const RigidTransform motion = fits[g].velocity.after(s);
        for (const std::size_t i : members[g]) {
          float out[3];
          motion.apply(&source[3 * i], out);
          moved.insert(moved.end(), out, out + 3);
          rows.push_back(i);
        }
      }
      if (rows.empty()) continue;
      const NeighbourGrid::HostAnswer nearest =
          target.grid->query_host(moved, 1, gate * rows_of.widest);
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const std::size_t i = rows[r], g = std::size_t(group[i]);
        Normal& sum = sums[g];
        ++sum.pairs;
        const std::int32_t match = nearest.indices[r];
        const float reach = gate * rows_of.scale(g);
        if (match < 0 || nearest.squared_distances[r] > reach * reach) continue;
        ++sum.inliers;
        sum.squared += nearest.squared_distances[r];
        if (scoring) continue;
        // The residual x'(u, w) - q and its Jacobian by (u_x, u_y, u_z, w).
        const UprightVelocity& v = fits[g].velocity;
        const double a = s * v.yaw_rate, c = std::cos(a), sn = std::sin(a);
        const Twist tw(a);
        const double dx = double(source[3 * i]) - v.centre[0];
        const double dy = double(source[3 * i + 1]) - v.centre[1];
        const double rdx = c * dx - sn * dy, rdy = sn * dx + c * dy;  // R(a) d
        const float* q = &target.points[3 * std::size_t(match)];
        const Eigen::Vector3d residual(double(moved[3 * r]) - q[0], double(moved[3 * r + 1]) - q[1],
                                       double(moved[3 * r + 2]) - q[2]);
        Eigen::Matrix<double, 3, 4> jacobian = Eigen::Matrix<double, 3, 4>::Zero();
        jacobian(0, 0) = s * tw.p;
        jacobian(0, 1) = -s * tw.q;
        jacobian(1, 0) = s * tw.q;
        jacobian(1, 1) = s * tw.p;
        jacobian(2, 2) = s;
        // d/dw: s (J R(a) d + s V'(a) u), J the quarter turn (x, y) -> (-y, x).
        jacobian(0, 3) = s * (-rdy + s * (tw.dp * v.velocity[0] - tw.dq * v.velocity[1]));
        jacobian(1, 3) = s * (rdx + s * (tw.dq * v.velocity[0] + tw.dp * v.velocity[1]));
        sum.h += jacobian.transpose() * jacobian;
        sum.g += jacobian.transpose() * residual;
      }
    }
    for (std::size_t g = 0; g < groups; ++g) {
      if (!scoring && !active[g]) continue;
      const Normal& sum = sums[g];
      if (scoring) {
        VelocityFit& fit = fits[g];
        fit.inlier_fraction = sum.pairs ? double(sum.inliers) / double(sum.pairs) : 0.0;
        fit.rmse = sum.inliers ? std::sqrt(sum.squared / double(sum.inliers)) : 0.0;
        const double reach = double(gate) * rows_of.scale(g);
        fit.truncated = sum.pairs
                            ? (sum.squared + double(sum.pairs - sum.inliers) * reach * reach) /
                                  double(sum.pairs)
                            : 0.0;
        continue;
      }
      if (sum.inliers < 4) {
        active[g] = 0;
        continue;
      }
      // A tiny ridge keeps the step finite where the points cannot tell a turn (a single line).
      const Eigen::Matrix4d damped = sum.h + 1e-9 * sum.h.trace() * Eigen::Matrix4d::Identity();
      const Eigen::Vector4d step = damped.ldlt().solve(-sum.g);
      if (!step.allFinite()) {
        active[g] = 0;
        continue;
      }
      UprightVelocity& v = fits[g].velocity;
      for (int d = 0; d < 3; ++d) v.velocity[std::size_t(d)] += step[d];
      v.yaw_rate += step[3];
      if (step.cwiseAbs().maxCoeff() < 1e-6) active[g] = 0;
    }
  }
  return fits;
}

}  // namespace advect::geometry
