#include "advect/io/FlowPlot.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "PlotCanvas.h"
#include "advect/geometry/PointCloud.h"
#include "advect/io/IoError.h"

namespace advect::io {

void plot_flow_top_view(const std::filesystem::path& path, std::span<const float> source,
                        std::span<const float> flow, std::span<const float> target,
                        const std::string& title) {
  const std::size_t n = source.size() / 3, m = target.size() / 3;
  if (n == 0 || flow.size() != source.size()) throw io::IoError(path, "nothing to plot");
  const geometry::Bounds a = geometry::compute_bounds(source), b = geometry::compute_bounds(target);
  float lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    lo[d] = std::min(a.min[d], m ? b.min[d] : a.min[d]);
    hi[d] = std::max(a.max[d], m ? b.max[d] : a.max[d]);
  }
  // The two axes of largest extent, in their natural order.
  int dropped = 0;
  for (int d = 1; d < 3; ++d) {
    if (hi[d] - lo[d] < hi[dropped] - lo[dropped]) dropped = d;
  }
  const int u = dropped == 0 ? 1 : 0, v = dropped == 2 ? 1 : 2;

  std::vector<float> speed(n);
  for (std::size_t i = 0; i < n; ++i) {
    speed[i] = std::hypot(flow[3 * i], flow[3 * i + 1], flow[3 * i + 2]);
  }
  std::vector<float> sorted = speed;
  const auto top = sorted.begin() + std::ptrdiff_t(0.99 * double(n - 1));
  std::nth_element(sorted.begin(), top, sorted.end());
  const double scale_max = std::max(double(*top), 1e-6);

  PlotCanvas canvas(lo[u], hi[u], lo[v], hi[v]);
  cairo_t* cr = canvas.cairo();
  constexpr std::size_t kMaxDrawn = 20000;
  const std::size_t target_stride = (m + kMaxDrawn - 1) / kMaxDrawn;
  const std::size_t stride = (n + kMaxDrawn - 1) / kMaxDrawn;
  cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
  for (std::size_t j = 0; j < m; j += target_stride) {
    cairo_rectangle(cr, canvas.px(target[3 * j + u]) - 0.75, canvas.py(target[3 * j + v]) - 0.75,
                    1.5, 1.5);
  }
  cairo_fill(cr);
  cairo_set_line_width(cr, 0.7);
  for (std::size_t i = 0; i < n; i += stride) {
    const Rgb c = viridis(speed[i] / scale_max);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    const double x = canvas.px(source[3 * i + u]), y = canvas.py(source[3 * i + v]);
    cairo_rectangle(cr, x - 1, y - 1, 2, 2);
    cairo_fill(cr);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, canvas.px(source[3 * i + u] + flow[3 * i + u]),
                  canvas.py(source[3 * i + v] + flow[3 * i + v]));
    cairo_stroke(cr);
  }
  const char* names[3] = {"x (m)", "y (m)", "z (m)"};
  canvas.draw_axes(names[u], names[v]);
  canvas.draw_colour_bar("|flow|", "0 m", fmt::format("{:.2g} m", scale_max));
  canvas.draw_heading(stride > 1 ? fmt::format("{} — 1 in {} of {} points", title, stride, n)
                                 : fmt::format("{} — {} points, target in grey", title, n));
  canvas.write_png(path);
}

}  // namespace advect::io
