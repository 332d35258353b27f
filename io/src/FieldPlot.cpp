#include "advect/io/FieldPlot.h"

#include <cairo.h>
#include <fmt/format.h>

#include "PlotCanvas.h"
#include "advect/io/IoError.h"

namespace advect::io {

namespace {

void check_image(const std::filesystem::path& path, const CellImage& image) {
  if (image.nx < 1 || image.ny < 1 ||
      image.values.size() != std::size_t(image.nx) * std::size_t(image.ny)) {
    throw io::IoError(path, "nothing to plot");
  }
}

// One rectangle per cell into the canvas' selected panel, a hair larger so that no seams show.
void draw_cells(PlotCanvas& canvas, const CellImage& image) {
  cairo_t* cr = canvas.cairo();
  const double span = image.high > image.low ? image.high - image.low : 1.0;
  const double pixel = canvas.px(image.h) - canvas.px(0.0);
  for (int j = 0; j < image.ny; ++j) {
    for (int i = 0; i < image.nx; ++i) {
      const double value = image.values[std::size_t(j) * std::size_t(image.nx) + std::size_t(i)];
      const Rgb c = image.map((value - image.low) / span);
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_rectangle(cr, canvas.px(i * image.h), canvas.py((j + 1) * image.h), pixel + 0.6,
                      pixel + 0.6);
      cairo_fill(cr);
    }
  }
}

}  // namespace

void plot_cells(const std::filesystem::path& path, const CellImage& image,
                const std::vector<std::vector<double>>& lines, const std::string& title) {
  check_image(path, image);
  PlotCanvas canvas(0.0, image.nx * image.h, 0.0, image.ny * image.h);
  draw_cells(canvas, image);
  cairo_t* cr = canvas.cairo();
  cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.85);
  cairo_set_line_width(cr, 0.9);
  for (const std::vector<double>& line : lines) {
    if (line.size() < 4) continue;
    cairo_move_to(cr, canvas.px(line[0]), canvas.py(line[1]));
    for (std::size_t k = 2; k + 1 < line.size(); k += 2) {
      cairo_line_to(cr, canvas.px(line[k]), canvas.py(line[k + 1]));
    }
    cairo_stroke(cr);
  }
  canvas.draw_axes("x / m", "y / m");
  canvas.draw_colour_bar(image.name, fmt::format("{:.3g}", image.low),
                         fmt::format("{:.3g}", image.high), image.map);
  canvas.draw_heading(title);
  canvas.write_png(path);
}

void plot_cell_panels(const std::filesystem::path& path, const std::vector<CellImage>& images,
                      const std::vector<std::string>& titles) {
  if (images.empty() || titles.size() != images.size()) throw io::IoError(path, "nothing to plot");
  const CellImage& first = images.front();
  PlotCanvas canvas(0.0, first.nx * first.h, 0.0, first.ny * first.h, int(images.size()));
  for (std::size_t p = 0; p < images.size(); ++p) {
    check_image(path, images[p]);
    canvas.select_panel(int(p));
    draw_cells(canvas, images[p]);
    canvas.draw_axes("x / m", "y / m");
    canvas.draw_heading(titles[p]);
  }
  canvas.draw_colour_bar(first.name, fmt::format("{:.3g}", first.low),
                         fmt::format("{:.3g}", first.high), first.map);
  canvas.write_png(path);
}

}  // namespace advect::io
