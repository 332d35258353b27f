#include "advect/io/TrajectoryPlot.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "PlotCanvas.h"
#include "advect/io/IoError.h"

namespace advect::io {

void plot_trajectories_top_view(const std::filesystem::path& path, std::span<const double> states,
                                std::span<const double> times, const std::string& title) {
  const std::size_t t_count = times.size();
  const std::size_t n = t_count == 0 ? 0 : states.size() / (3 * t_count);
  if (n == 0 || t_count < 2) throw io::IoError(path, "nothing to plot");
  constexpr std::size_t kMaxDrawn = 4000;
  const std::size_t stride = (n + kMaxDrawn - 1) / kMaxDrawn;

  double lo[2] = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
  double hi[2] = {std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  for (std::size_t v = 0; v < t_count * n; ++v) {
    for (int d = 0; d < 2; ++d) {
      lo[d] = std::min(lo[d], states[3 * v + std::size_t(d)]);
      hi[d] = std::max(hi[d], states[3 * v + std::size_t(d)]);
    }
  }
  PlotCanvas canvas(lo[0], hi[0], lo[1], hi[1]);
  cairo_t* cr = canvas.cairo();

  // Trajectories, segment by segment, coloured by the time at the segment's start.
  cairo_set_line_width(cr, 0.8);
  const double t_first = times.front(), t_span = times.back() - times.front();
  for (std::size_t i = 0; i < n; i += stride) {
    for (std::size_t k = 0; k + 1 < t_count; ++k) {
      const double* a = &states[3 * (k * n + i)];
      const double* b = &states[3 * ((k + 1) * n + i)];
      const Rgb c = viridis((times[k] - t_first) / t_span);
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_move_to(cr, canvas.px(a[0]), canvas.py(a[1]));
      cairo_line_to(cr, canvas.px(b[0]), canvas.py(b[1]));
      cairo_stroke(cr);
    }
  }
  canvas.draw_axes("x (m)", "y (m)");
  canvas.draw_colour_bar("time", fmt::format("{:g} s", times.front()),
                         fmt::format("{:g} s", times.back()));
  canvas.draw_heading(stride > 1
                          ? fmt::format("{} — 1 in {} of {} trajectories", title, stride, n)
                          : fmt::format("{} — {} trajectories", title, n));
  canvas.write_png(path);
}

}  // namespace advect::io
