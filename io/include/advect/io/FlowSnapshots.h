// What `advect cfd run` writes of a MAC flow: ParaView snapshots (.vti, cell centres: velocity,
// pressure, vorticity, divergence) and the pictures (speed with streamlines; vorticity).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "advect/fluids/DfgCylinder.h"
#include "advect/fluids/MacFlow.h"
#include "advect/io/VtkFiles.h"

namespace advect::io {

// DIR/fields_NNNN.vti. The pressure is NaN in cells whose centre lies inside a body: what the
// immersed boundary leaves there is not a pressure of the fluid.
TimeStepFile write_flow_snapshot(const fluids::MacFlow& flow, const std::filesystem::path& dir,
                                 int index);

// DIR/speed.png (with streamlines integrated for `streamline_seconds`) and DIR/vorticity.png
// (colour range clipped at the 99th percentile of |vorticity|), titled "<title>: ...".
void plot_flow(const fluids::MacFlow& flow, const std::filesystem::path& dir,
               const std::string& title, double streamline_seconds);

// A cavity's centre lines on the grid's own points, walls included (fluids::centre_lines):
// DIR/centerline_u.csv ("y,u", m and m/s) and DIR/centerline_v.csv ("x,v"); atomic.
void write_centre_lines(const std::filesystem::path& dir, const fluids::MacFlow& flow);

// The DFG probe's coefficient history as CSV: time,cd,cl,delta_p (s, -, -, m^2/s^2); atomic.
void write_force_history(const std::filesystem::path& path,
                         const std::vector<fluids::DfgCoefficients>& history);

}  // namespace advect::io
