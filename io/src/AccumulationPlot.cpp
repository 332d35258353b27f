#include "advect/io/AccumulationPlot.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "PlotCanvas.h"
#include "advect/io/IoError.h"

namespace advect::io {

void plot_accumulations(const std::filesystem::path& path, std::span<const AccumulationView> views,
                        std::span<const int> sweep_of, std::span<const unsigned char> moving,
                        int first_frame, int last_frame) {
  const std::size_t n = sweep_of.size();
  if (views.empty() || n == 0) throw io::IoError(path, "nothing to plot");
  // The window: moving points of every view (or all points), padded.
  double lo[2] = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  double hi[2] = {-lo[0], -lo[1]};
  const bool any_moving = std::find(moving.begin(), moving.end(), 1) != moving.end();
  for (const AccumulationView& view : views) {
    for (std::size_t i = 0; i < n; ++i) {
      if (any_moving && !moving[i]) continue;
      for (int d = 0; d < 2; ++d) {
        lo[d] = std::min(lo[d], double(view.points[3 * i + std::size_t(d)]));
        hi[d] = std::max(hi[d], double(view.points[3 * i + std::size_t(d)]));
      }
    }
  }
  const double pad = any_moving ? 5.0 : 1.0;
  PlotCanvas canvas(lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad, int(views.size()));
  cairo_t* cr = canvas.cairo();
  constexpr std::size_t kMaxDrawn = 400000;
  const std::size_t stride = (n + kMaxDrawn - 1) / kMaxDrawn;
  for (std::size_t v = 0; v < views.size(); ++v) {
    canvas.select_panel(int(v));
    const auto& points = views[v].points;
    cairo_save(cr);
    cairo_rectangle(cr, canvas.px(lo[0] - pad), canvas.py(hi[1] + pad),
                    canvas.px(hi[0] + pad) - canvas.px(lo[0] - pad),
                    canvas.py(lo[1] - pad) - canvas.py(hi[1] + pad));
    cairo_clip(cr);
    // Static points first, small and grey; moving points over them, coloured by frame.
    for (const bool pass_moving : {false, true}) {
      const double size = pass_moving ? 2.0 : 1.2;
      for (std::size_t i = 0; i < n; i += pass_moving ? 1 : stride) {
        if (bool(moving[i]) != pass_moving) continue;
        const int span = last_frame - first_frame;
        const Rgb c = pass_moving
                          ? viridis(span > 0 ? double(sweep_of[i] - first_frame) / span : 0.0)
                          : Rgb{0.78, 0.78, 0.78};
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_rectangle(cr, canvas.px(points[3 * i]) - 0.5 * size,
                        canvas.py(points[3 * i + 1]) - 0.5 * size, size, size);
        cairo_fill(cr);
      }
    }
    cairo_restore(cr);
    canvas.draw_axes("x / m", "y / m");
    canvas.draw_heading(views[v].title);
  }
  canvas.draw_colour_bar("frame", std::to_string(first_frame), std::to_string(last_frame));
  canvas.write_png(path);
}

}  // namespace advect::io
