#include "TrajectoryPlot.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::app {

namespace {

struct Rgb {
  double r, g, b;
};

// Five samples of matplotlib's viridis colour map (van der Walt and Smith, 2015), interpolated.
Rgb viridis(double x) {
  static constexpr std::array<Rgb, 5> kStops = {{{0.267, 0.005, 0.329},
                                                 {0.229, 0.322, 0.546},
                                                 {0.128, 0.567, 0.551},
                                                 {0.369, 0.789, 0.383},
                                                 {0.993, 0.906, 0.144}}};
  const double position = std::clamp(x, 0.0, 1.0) * double(kStops.size() - 1);
  const auto i = std::min(std::size_t(position), kStops.size() - 2);
  const double f = position - double(i);
  return {kStops[i].r + f * (kStops[i + 1].r - kStops[i].r),
          kStops[i].g + f * (kStops[i + 1].g - kStops[i].g),
          kStops[i].b + f * (kStops[i + 1].b - kStops[i].b)};
}

// A tick spacing of 1, 2 or 5 times a power of ten giving about `target` ticks over `span`.
double nice_step(double span, int target) {
  const double raw = span / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10.0 * power;
}

struct Frame {  // maps metres to pixels, y up
  double x0, y0, scale, left, bottom;
  double px(double x) const { return left + (x - x0) * scale; }
  double py(double y) const { return bottom - (y - y0) * scale; }
};

void draw_text(cairo_t* cr, double x, double y, const std::string& text, double align = 0.0) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  cairo_move_to(cr, x - align * extents.width, y);
  cairo_show_text(cr, text.c_str());
}

}  // namespace

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
  const double span_x = std::max(hi[0] - lo[0], 1e-9), span_y = std::max(hi[1] - lo[1], 1e-9);

  constexpr int kWidth = 1000, kLeft = 70, kRight = 130, kTop = 50, kBottom = 55;
  const double scale = double(kWidth - kLeft - kRight) / span_x;
  const int plot_height = std::clamp(int(span_y * scale), 200, 900);
  const double fitted_scale = std::min(scale, plot_height / span_y);
  const int height = plot_height + kTop + kBottom;
  const Frame frame{lo[0], lo[1], fitted_scale, double(kLeft), double(kTop + plot_height)};

  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, kWidth, height);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

  // Trajectories, segment by segment, coloured by the time at the segment's start.
  cairo_set_line_width(cr, 0.8);
  const double t_first = times.front(), t_span = times.back() - times.front();
  for (std::size_t i = 0; i < n; i += stride) {
    for (std::size_t k = 0; k + 1 < t_count; ++k) {
      const double* a = &states[3 * (k * n + i)];
      const double* b = &states[3 * ((k + 1) * n + i)];
      const Rgb c = viridis((times[k] - t_first) / t_span);
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_move_to(cr, frame.px(a[0]), frame.py(a[1]));
      cairo_line_to(cr, frame.px(b[0]), frame.py(b[1]));
      cairo_stroke(cr);
    }
  }

  // Axes box and ticks in metres.
  const double right = frame.px(hi[0]), top = frame.py(hi[1]);
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  cairo_set_line_width(cr, 1.0);
  cairo_rectangle(cr, frame.left, top, right - frame.left, frame.bottom - top);
  cairo_stroke(cr);
  cairo_set_font_size(cr, 12);
  for (int axis = 0; axis < 2; ++axis) {
    const double step = nice_step(hi[axis] - lo[axis] > 0 ? hi[axis] - lo[axis] : 1.0, 6);
    for (double v = std::ceil(lo[axis] / step) * step; v <= hi[axis] + 1e-9 * step; v += step) {
      const std::string label = fmt::format("{:g}", std::fabs(v) < 1e-12 * step ? 0.0 : v);
      if (axis == 0) {
        cairo_move_to(cr, frame.px(v), frame.bottom);
        cairo_line_to(cr, frame.px(v), frame.bottom + 5);
        cairo_stroke(cr);
        draw_text(cr, frame.px(v), frame.bottom + 19, label, 0.5);
      } else {
        cairo_move_to(cr, frame.left - 5, frame.py(v));
        cairo_line_to(cr, frame.left, frame.py(v));
        cairo_stroke(cr);
        draw_text(cr, frame.left - 8, frame.py(v) + 4, label, 1.0);
      }
    }
  }
  draw_text(cr, 0.5 * (frame.left + right), frame.bottom + 40, "x (m)", 0.5);
  draw_text(cr, 12, top - 10, "y (m)");

  // Colour bar for time.
  const double bar_x = kWidth - kRight + 40, bar_top = top, bar_height = frame.bottom - top;
  for (int p = 0; p < int(bar_height); ++p) {
    const Rgb c = viridis(1.0 - p / bar_height);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_rectangle(cr, bar_x, bar_top + p, 18, 1.5);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  draw_text(cr, bar_x + 24, bar_top + 10, fmt::format("{:g} s", times.back()));
  draw_text(cr, bar_x + 24, bar_top + bar_height, fmt::format("{:g} s", times.front()));
  draw_text(cr, bar_x - 4, bar_top - 10, "time");

  cairo_set_font_size(cr, 14);
  const std::string heading =
      stride > 1 ? fmt::format("{} — every {}th of {} trajectories", title, stride, n)
                 : fmt::format("{} — {} trajectories", title, n);
  draw_text(cr, frame.left, 24, heading);

  cairo_destroy(cr);
  cairo_surface_flush(surface);
  io::write_atomically(path, [&](const std::filesystem::path& temporary) {
    const cairo_status_t status = cairo_surface_write_to_png(surface, temporary.c_str());
    if (status != CAIRO_STATUS_SUCCESS) {
      throw io::IoError(path, std::string("cannot write PNG: ") + cairo_status_to_string(status));
    }
  });
  cairo_surface_destroy(surface);
}

}  // namespace advect::app
