// What the group fits (align_groups, fit_group_velocities) share: the rows of each group of a
// per-point labelling, and each group's gate factor, checked.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace advect::geometry::detail {

struct GroupRows {
  std::vector<std::vector<std::size_t>> members;  // per group: its rows
  std::span<const float> gate_scale;              // empty, or one factor per group
  float widest = 1.0f;                            // the largest factor

  float scale(std::size_t g) const { return gate_scale.empty() ? 1.0f : gate_scale[g]; }
};

// group[i] in 0 .. groups - 1, or -1 for rows left out. Throws std::invalid_argument, naming
// `who`, for a group id out of range or a gate_scale of another length.
inline GroupRows group_rows(std::span<const std::int32_t> group, std::size_t groups,
                            std::span<const float> gate_scale, const std::string& who) {
  GroupRows out{std::vector<std::vector<std::size_t>>(groups), gate_scale, 1.0f};
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (group[i] < 0) continue;
    if (std::size_t(group[i]) >= groups) throw std::invalid_argument(who + ": bad group");
    out.members[std::size_t(group[i])].push_back(i);
  }
  if (!gate_scale.empty() && gate_scale.size() != groups)
    throw std::invalid_argument(who + ": one gate scale per group");
  for (const float factor : gate_scale) out.widest = std::max(out.widest, factor);
  return out;
}

}  // namespace advect::geometry::detail
