// A Cairo canvas for map-like pictures: a plot area with equal x and y scales in metres, axes with
// ticks, a vertical viridis colour bar and a heading, written to PNG atomically. Headless: Cairo's
// image surface needs no display.
#pragma once

#include <filesystem>
#include <string>

#include "advect/io/ColourMaps.h"

struct _cairo;
struct _cairo_surface;

namespace advect::io {

class PlotCanvas {
 public:
  // The plot area shows [x_min, x_max] x [y_min, y_max] (metres), y up, at one scale; with
  // panels > 1, that many such areas side by side share the colour bar on the right.
  PlotCanvas(double x_min, double x_max, double y_min, double y_max, int panels = 1);
  PlotCanvas(const PlotCanvas&) = delete;
  PlotCanvas& operator=(const PlotCanvas&) = delete;
  ~PlotCanvas();

  // Pixel coordinates of a point in metres.
  double px(double x) const;
  double py(double y) const;
  _cairo* cairo() { return cr_; }
  // Where px() and the draw_ calls below go from now on (0 = the leftmost panel).
  void select_panel(int panel);

  // Frame, ticks and axis names; a colour bar from `low_label` (bottom) to `high_label` (top);
  // the heading above the (selected) plot. Call after drawing the data.
  void draw_axes(const std::string& x_name, const std::string& y_name);
  void draw_colour_bar(const std::string& name, const std::string& low_label,
                       const std::string& high_label, ColourMap map = viridis);
  void draw_heading(const std::string& text);

  void write_png(const std::filesystem::path& path);

 private:
  void draw_text(double x, double y, const std::string& text, double align = 0.0);

  double lo_[2], hi_[2];
  double scale_ = 1, left_ = 0, bottom_ = 0, panel_stride_ = 0;
  int width_ = 0, panels_ = 1;
  _cairo_surface* surface_ = nullptr;
  _cairo* cr_ = nullptr;
};

}  // namespace advect::io
