#include "advect/geometry/GroupAlignment.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "GroupRows.h"
#include "advect/geometry/NeighbourGrid.h"
#include "advect/geometry/RigidFit.h"

namespace advect::geometry {

namespace {

// Every `stride`-th point of a cloud, at most `samples` of them.
std::vector<float> thin(std::span<const float> cloud, int samples) {
  const std::size_t n = cloud.size() / 3;
  const std::size_t stride = std::max<std::size_t>(1, (n + std::size_t(samples) - 1) / samples);
  std::vector<float> out;
  for (std::size_t i = 0; i < n; i += stride)
    out.insert(out.end(), &cloud[3 * i], &cloud[3 * i + 3]);
  return out;
}

double change(const RigidTransform& a, const RigidTransform& b) {
  double sum = 0.0;
  for (int k = 0; k < 9; ++k) sum = std::max(sum, std::fabs(a.rotation[k] - b.rotation[k]));
  for (int k = 0; k < 3; ++k) sum = std::max(sum, std::fabs(a.translation[k] - b.translation[k]));
  return sum;
}

}  // namespace

std::array<double, 3> vote_translation(std::span<const float> source, std::span<const float> target,
                                       float max_shift, float bin, int samples) {
  if (!(max_shift > 0.0f) || !(bin > 0.0f) || samples < 1)
    throw std::invalid_argument("vote_translation: max_shift, bin and samples must be positive");
  const std::vector<float> s = thin(source, samples), t = thin(target, samples);
  if (s.empty() || t.empty()) return {0, 0, 0};
  const int cells = int(std::ceil(2 * max_shift / bin));
  const auto cell_of = [&](double d) { return int(std::floor((d + max_shift) / bin)); };
  std::vector<std::int32_t> votes(std::size_t(cells) * std::size_t(cells), 0);
  const auto each_pair = [&](auto&& visit) {
    for (std::size_t i = 0; i < s.size(); i += 3) {
      for (std::size_t j = 0; j < t.size(); j += 3) {
        const double dx = double(t[j]) - s[i], dy = double(t[j + 1]) - s[i + 1];
        const int cx = cell_of(dx), cy = cell_of(dy);
        if (cx < 0 || cy < 0 || cx >= cells || cy >= cells) continue;
        visit(cx, cy, dx, dy, double(t[j + 2]) - s[i + 2]);
      }
    }
  };
  each_pair([&](int cx, int cy, double, double, double) {
    ++votes[std::size_t(cy) * std::size_t(cells) + std::size_t(cx)];
  });
  // The 2 x 2 window of cells with the most votes: a peak that straddles a cell edge counts whole.
  const auto at = [&](int x, int y) {
    return x < cells && y < cells ? votes[std::size_t(y) * std::size_t(cells) + std::size_t(x)] : 0;
  };
  int best = -1, best_x = 0, best_y = 0;
  for (int y = 0; y < cells; ++y) {
    for (int x = 0; x < cells; ++x) {
      const int sum = at(x, y) + at(x + 1, y) + at(x, y + 1) + at(x + 1, y + 1);
      if (sum > best) {
        best = sum;
        best_x = x;
        best_y = y;
      }
    }
  }
  if (best <= 0) return {0, 0, 0};
  double sum_x = 0.0, sum_y = 0.0;
  std::vector<double> dz;
  each_pair([&](int cx, int cy, double dx, double dy, double z) {
    if (cx < best_x || cx > best_x + 1 || cy < best_y || cy > best_y + 1) return;
    sum_x += dx;
    sum_y += dy;
    dz.push_back(z);
  });
  std::nth_element(dz.begin(), dz.begin() + std::ptrdiff_t(dz.size() / 2), dz.end());
  const double count = double(dz.size());
  return {sum_x / count, sum_y / count, dz[dz.size() / 2]};
}

float IcpOptions::gate(int iteration) const {
  if (iteration >= iterations || iterations <= 1) return final_distance;
  return start_distance +
         (final_distance - start_distance) * float(iteration) / float(iterations - 1);
}

std::vector<GroupFit> align_groups(std::span<const float> source,
                                   std::span<const std::int32_t> group,
                                   const std::vector<RigidTransform>& initial,
                                   const NeighbourGrid& target,
                                   std::span<const float> target_points, const IcpOptions& options,
                                   std::span<const float> gate_scale) {
  const std::size_t n = group.size(), groups = initial.size();
  if (source.size() != 3 * n) throw std::invalid_argument("align_groups: sizes differ");
  if (target_points.size() != 3 * std::size_t(target.size()))
    throw std::invalid_argument("align_groups: the target points are not the grid's cloud");
  const detail::GroupRows rows_of = detail::group_rows(group, groups, gate_scale, "align_groups");
  const auto& members = rows_of.members;
  std::vector<GroupFit> fits(groups);
  std::vector<std::uint8_t> active(groups, 1);
  for (std::size_t g = 0; g < groups; ++g) {
    fits[g].transform = initial[g];
    fits[g].points = std::int64_t(members[g].size());
  }
  for (int iteration = 0; iteration <= options.iterations; ++iteration) {
    const bool scoring = iteration == options.iterations;
    const float gate = options.gate(iteration);
    // The points of the groups still moving, each by its group's current transform.
    std::vector<std::size_t> rows;
    std::vector<float> moved;
    for (std::size_t g = 0; g < groups; ++g) {
      if (!scoring && !active[g]) continue;
      for (const std::size_t i : members[g]) {
        float out[3];
        fits[g].transform.apply(&source[3 * i], out);
        moved.insert(moved.end(), out, out + 3);
        rows.push_back(i);
      }
    }
    if (rows.empty()) continue;
    const NeighbourGrid::HostAnswer nearest = target.query_host(moved, 1, gate * rows_of.widest);
    const std::vector<std::int32_t>& match = nearest.indices;
    const std::vector<float>& distance2 = nearest.squared_distances;

    // Correspondences per group, in the order the groups were laid out.
    std::vector<std::vector<float>> from(groups), to(groups);
    std::vector<double> squared_sum(groups, 0.0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::size_t i = rows[r], g = std::size_t(group[i]);
      const float reach = gate * rows_of.scale(g);
      if (match[r] < 0 || distance2[r] > reach * reach) continue;
      from[g].insert(from[g].end(), &source[3 * i], &source[3 * i + 3]);
      const float* t = &target_points[3 * std::size_t(match[r])];
      to[g].insert(to[g].end(), t, t + 3);
      squared_sum[g] += distance2[r];
    }
    for (std::size_t g = 0; g < groups; ++g) {
      if (!scoring && !active[g]) continue;
      const std::size_t inliers = from[g].size() / 3;
      if (scoring) {
        fits[g].inlier_fraction = members[g].empty() ? 0.0 : double(inliers) / members[g].size();
        fits[g].rmse = inliers ? std::sqrt(squared_sum[g] / double(inliers)) : 0.0;
        const double outliers = double(members[g].size() - inliers);
        const double reach = double(gate) * rows_of.scale(g);
        fits[g].truncated = members[g].empty() ? 0.0
                                               : (squared_sum[g] + outliers * reach * reach) /
                                                     double(members[g].size());
        continue;
      }
      if (inliers < 3) {
        active[g] = 0;
        continue;
      }
      const RigidTransform next =
          options.upright ? fit_upright(from[g], to[g]) : fit_rigid(from[g], to[g]);
      if (change(next, fits[g].transform) < 1e-5) active[g] = 0;
      fits[g].transform = next;
    }
  }
  return fits;
}

}  // namespace advect::geometry
