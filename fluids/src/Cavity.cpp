#include "advect/fluids/Cavity.h"

#include <algorithm>
#include <cmath>

namespace advect::fluids {

namespace {

// Linear interpolation along a centre line sampled at (k + 1/2) h, with the wall values at 0, 1.
double along_line(const std::vector<double>& samples, double low, double high, double s) {
  const int n = int(samples.size());
  const double position = s * n - 0.5;
  if (position <= 0.0) return low + (samples.front() - low) * (s * n / 0.5);
  if (position >= n - 1) {
    return samples.back() + (high - samples.back()) * ((s * n - (n - 0.5)) / 0.5);
  }
  const int k = int(position);
  return samples[std::size_t(k)] +
         (position - k) * (samples[std::size_t(k + 1)] - samples[std::size_t(k)]);
}

}  // namespace

CentreLines centre_lines(const MacFlow& flow) {
  const MacGeometry& g = flow.geometry();
  const std::vector<double> u = flow.u(), v = flow.v();
  CentreLines lines;
  const auto half_x = std::size_t(g.nx / 2), half_y = std::size_t(g.ny / 2);
  for (int j = 0; j < g.ny; ++j) {
    const std::size_t row = std::size_t(j) * std::size_t(g.nux);
    lines.u.push_back(g.nx % 2 == 0 ? u[row + half_x]
                                    : 0.5 * (u[row + half_x] + u[row + half_x + 1]));
  }
  for (int i = 0; i < g.nx; ++i) {
    const std::size_t at = half_y * std::size_t(g.nx) + std::size_t(i);
    lines.v.push_back(g.ny % 2 == 0 ? v[at] : 0.5 * (v[at] + v[at + std::size_t(g.nx)]));
  }
  return lines;
}

GhiaComparison compare_with_ghia(const MacFlow& flow, const ghia1982::Table& table) {
  const CentreLines lines = centre_lines(flow);
  const double lid = flow.geometry().top;
  GhiaComparison out;
  for (std::size_t s = 0; s < 15; ++s) {
    out.u[s] = along_line(lines.u, 0.0, lid, ghia1982::kY[s]);
    out.v[s] = along_line(lines.v, 0.0, 0.0, ghia1982::kX[s]);
    out.max_u_error = std::max(out.max_u_error, std::abs(out.u[s] - table.u[s]));
    out.max_v_error = std::max(out.max_v_error, std::abs(out.v[s] - table.v[s]));
  }
  return out;
}

}  // namespace advect::fluids
