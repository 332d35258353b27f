// PNG pictures of 2-D fields on a grid of cells (Cairo, headless): a colour map of one scalar per
// cell with optional streamlines drawn over it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "advect/io/ColourMaps.h"

namespace advect::io {

struct CellImage {
  int nx = 0, ny = 0;
  double h = 1.0;                // cell edge, m; the image covers [0, nx h] x [0, ny h]
  std::vector<double> values;    // nx * ny, x fastest
  double low = 0.0, high = 1.0;  // colour range, values outside are clamped
  std::string name;              // of the colour bar, with units
  ColourMap map = viridis;
};

// `lines`: polylines as x0 y0 x1 y1 ... (metres), drawn in white over the map.
void plot_cells(const std::filesystem::path& path, const CellImage& image,
                const std::vector<std::vector<double>>& lines, const std::string& title);

// Fields of one grid side by side, each under its title, in the first image's colour range.
void plot_cell_panels(const std::filesystem::path& path, const std::vector<CellImage>& images,
                      const std::vector<std::string>& titles);

}  // namespace advect::io
