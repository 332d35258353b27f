#include "PlotCanvas.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {

namespace {

constexpr int kLeft = 70, kRight = 130, kTop = 50, kBottom = 55, kPanelGap = 70;
constexpr int kPanelWidth = 800, kNarrowPanelWidth = 640;  // one panel; each of several

// A tick spacing of 1, 2 or 5 times a power of ten giving about `target` ticks over `span`.
double nice_step(double span, int target) {
  const double raw = span / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10.0 * power;
}

// Linear interpolation between evenly spaced colour stops, x in [0, 1].
Rgb between_stops(std::span<const Rgb> stops, double x) {
  const double position = std::clamp(x, 0.0, 1.0) * double(stops.size() - 1);
  const auto i = std::min(std::size_t(position), stops.size() - 2);
  const double f = position - double(i);
  return {stops[i].r + f * (stops[i + 1].r - stops[i].r),
          stops[i].g + f * (stops[i + 1].g - stops[i].g),
          stops[i].b + f * (stops[i + 1].b - stops[i].b)};
}

}  // namespace

Rgb viridis(double x) {
  // Five samples of the map, interpolated linearly.
  static constexpr std::array<Rgb, 5> kStops = {{{0.267, 0.005, 0.329},
                                                 {0.229, 0.322, 0.546},
                                                 {0.128, 0.567, 0.551},
                                                 {0.369, 0.789, 0.383},
                                                 {0.993, 0.906, 0.144}}};
  return between_stops(kStops, x);
}

Rgb cool_warm(double x) {
  // Five samples of Moreland's cool-warm map, interpolated linearly.
  static constexpr std::array<Rgb, 5> kStops = {{{0.230, 0.299, 0.754},
                                                 {0.552, 0.690, 0.996},
                                                 {0.865, 0.865, 0.865},
                                                 {0.958, 0.604, 0.482},
                                                 {0.706, 0.016, 0.150}}};
  return between_stops(kStops, x);
}

PlotCanvas::PlotCanvas(double x_min, double x_max, double y_min, double y_max, int panels)
    : lo_{x_min, y_min}, hi_{x_max, y_max}, panels_(std::max(panels, 1)) {
  const double span_x = std::max(x_max - x_min, 1e-9), span_y = std::max(y_max - y_min, 1e-9);
  const int panel_width = panels_ == 1 ? kPanelWidth : kNarrowPanelWidth;
  const double scale = double(panel_width) / span_x;
  const int plot_height = std::clamp(int(span_y * scale), 200, 900);
  scale_ = std::min(scale, plot_height / span_y);
  left_ = kLeft;
  bottom_ = kTop + plot_height;
  panel_stride_ = panel_width + kPanelGap;
  width_ = kLeft + panels_ * panel_width + (panels_ - 1) * kPanelGap + kRight;
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_, plot_height + kTop + kBottom);
  cr_ = cairo_create(surface_);
  cairo_set_source_rgb(cr_, 1, 1, 1);
  cairo_paint(cr_);
  cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

PlotCanvas::~PlotCanvas() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

void PlotCanvas::select_panel(int panel) {
  left_ = kLeft + std::clamp(panel, 0, panels_ - 1) * panel_stride_;
}

double PlotCanvas::px(double x) const {
  return left_ + (x - lo_[0]) * scale_;
}
double PlotCanvas::py(double y) const {
  return bottom_ - (y - lo_[1]) * scale_;
}

void PlotCanvas::draw_text(double x, double y, const std::string& text, double align) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr_, text.c_str(), &extents);
  cairo_move_to(cr_, x - align * extents.width, y);
  cairo_show_text(cr_, text.c_str());
}

void PlotCanvas::draw_axes(const std::string& x_name, const std::string& y_name) {
  const double right = px(hi_[0]), top = py(hi_[1]);
  cairo_set_source_rgb(cr_, 0.2, 0.2, 0.2);
  cairo_set_line_width(cr_, 1.0);
  cairo_rectangle(cr_, left_, top, right - left_, bottom_ - top);
  cairo_stroke(cr_);
  cairo_set_font_size(cr_, 12);
  for (int axis = 0; axis < 2; ++axis) {
    const double step = nice_step(hi_[axis] - lo_[axis] > 0 ? hi_[axis] - lo_[axis] : 1.0, 6);
    for (double v = std::ceil(lo_[axis] / step) * step; v <= hi_[axis] + 1e-9 * step; v += step) {
      const std::string label = fmt::format("{:g}", std::fabs(v) < 1e-12 * step ? 0.0 : v);
      if (axis == 0) {
        cairo_move_to(cr_, px(v), bottom_);
        cairo_line_to(cr_, px(v), bottom_ + 5);
        cairo_stroke(cr_);
        draw_text(px(v), bottom_ + 19, label, 0.5);
      } else {
        cairo_move_to(cr_, left_ - 5, py(v));
        cairo_line_to(cr_, left_, py(v));
        cairo_stroke(cr_);
        draw_text(left_ - 8, py(v) + 4, label, 1.0);
      }
    }
  }
  draw_text(0.5 * (left_ + right), bottom_ + 40, x_name, 0.5);
  draw_text(left_ - 58, top - 10, y_name);
}

void PlotCanvas::draw_colour_bar(const std::string& name, const std::string& low_label,
                                 const std::string& high_label, ColourMap map) {
  const double bar_x = width_ - kRight + 40, bar_top = py(hi_[1]), bar_height = bottom_ - bar_top;
  for (int p = 0; p < int(bar_height); ++p) {
    const Rgb c = map(1.0 - p / bar_height);
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_rectangle(cr_, bar_x, bar_top + p, 18, 1.5);
    cairo_fill(cr_);
  }
  cairo_set_source_rgb(cr_, 0.2, 0.2, 0.2);
  cairo_set_font_size(cr_, 12);
  draw_text(bar_x + 24, bar_top + 10, high_label);
  draw_text(bar_x + 24, bar_top + bar_height, low_label);
  draw_text(bar_x - 4, bar_top - 10, name);
}

void PlotCanvas::draw_heading(const std::string& text) {
  cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
  cairo_set_font_size(cr_, 14);
  draw_text(left_, 24, text);
}

void PlotCanvas::write_png(const std::filesystem::path& path) {
  cairo_surface_flush(surface_);
  io::write_atomically(path, [&](const std::filesystem::path& temporary) {
    const cairo_status_t status = cairo_surface_write_to_png(surface_, temporary.c_str());
    if (status != CAIRO_STATUS_SUCCESS) {
      throw io::IoError(path, std::string("cannot write PNG: ") + cairo_status_to_string(status));
    }
  });
}

}  // namespace advect::io
