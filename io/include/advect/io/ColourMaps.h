// Colour maps of the pictures io/ writes (FieldPlot.h and the others): x in [0, 1] to RGB in [0,
// 1].
#pragma once

namespace advect::io {

struct Rgb {
  double r, g, b;
};

// matplotlib's viridis colour map (van der Walt and Smith, 2015) at x in [0, 1].
Rgb viridis(double x);
// A diverging map for signed quantities: blue (0), white (1/2), red (1), after Moreland's
// cool-warm (2009).
Rgb cool_warm(double x);
using ColourMap = Rgb (*)(double);

// The optical-flow colour code of the Middlebury benchmark (Baker et al., IJCV 2011): hue from the
// direction of (u, v) (image axes: u right, v down) around a wheel of 55 colours, saturation from
// the length, white at rest; (u, v) normalised so that length 1 is fully saturated, longer
// vectors drawn darker (x 0.75).
Rgb flow_colour(double u, double v);

}  // namespace advect::io
