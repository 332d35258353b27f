// The DFG benchmark "laminar flow around a cylinder" (Schafer & Turek 1996, Notes on Numerical
// Fluid Mechanics 52:547-566), 2-D cases: a channel 0.41 m high, 2.2 m long, a cylinder of
// diameter 0.1 m centred at (0.2, 0.2) m, nu = 1e-3 m^2/s, density 1, parabolic inflow with peak
// 0.3 m/s (2D-1, Re = 20, steady) or 1.5 m/s (2D-2, Re = 100, periodic shedding).
//
// The MAC grid has `rows` cells across the channel; the length is rounded to a whole number of
// cells that is a multiple of 8 (multigrid coarsens it as far as the height), so the outflow sits
// within 4 cells of x = 2.2 m, 1.9 m downstream of the cylinder.
#pragma once

#include <vector>

#include "advect/fluids/MacFlow.h"

namespace advect::fluids {

enum class DfgCase { steady_re20, periodic_re100 };  // 2D-1, 2D-2

namespace dfg {
inline constexpr double kHeight = 0.41, kLength = 2.2;   // m
inline constexpr double kCentreX = 0.2, kCentreY = 0.2;  // m
inline constexpr double kDiameter = 0.1;                 // m
inline constexpr double kViscosity = 1e-3;               // m^2/s
// Published values for comparison: 2D-1 from the FeatFlow reference computation (also inside the
// 1996 paper's intervals, ../shared/cfd/dfg_2d1_reference.csv), 2D-2 the paper's intervals.
inline constexpr double kDrag2D1 = 5.57953523384, kLift2D1 = 0.010618948146;
inline constexpr double kDeltaP2D1 = 0.11752016697;
inline constexpr double kDragMax2D2[2] = {3.22, 3.24}, kLiftMax2D2[2] = {0.99, 1.01};
inline constexpr double kStrouhal2D2[2] = {0.295, 0.305}, kDeltaP2D2[2] = {2.46, 2.50};
}  // namespace dfg

double dfg_peak_inflow(DfgCase c);  // m/s
double dfg_mean_inflow(DfgCase c);  // 2/3 of the peak, m/s
// The DFG channel (0.41 m x about 2.2 m, `rows` cells across, a multiple of 8, at least 32) with
// a parabolic inflow of peak `inflow_peak` m/s and one cylinder.
FlowDomain cylinder_channel(int rows, double inflow_peak, const Circle& cylinder);
// The channel with the benchmark's cylinder and inflow.
FlowDomain dfg_channel(DfgCase c, int rows);

// C_D and C_L = 2 F / (Umean^2 D) from the force on the cylinder, Delta_p = p(0.15, 0.2) -
// p(0.25, 0.2) (m^2/s^2, kinematic), at a time, s.
struct DfgCoefficients {
  double time = 0.0, drag = 0.0, lift = 0.0, delta_p = 0.0;
};

// Measures the coefficients of a flow built from dfg_channel. The force is the momentum balance
// of a box of cells around the cylinder (MacFlow::momentum_rate), with the change of the box's
// momentum since the previous measurement (none on the first). The pressure at the two surface
// points is extrapolated linearly along the wall normal from the fluid 2 h and 3 h out.
class DfgProbe {
 public:
  DfgProbe(const MacFlow& flow, DfgCase c);
  DfgCoefficients measure(MacFlow& flow);

 private:
  CellBox box_;
  double mean_inflow_ = 0.0;
  bool has_previous_ = false;
  double previous_time_ = 0.0;
  std::array<double, 2> previous_momentum_{};
};

// The periodic state of 2D-2 from a history of measurements: the largest C_D and C_L over the
// last whole lift periods, the Strouhal number D f / Umean from the lift's upward crossings of its
// mean, and Delta_p half a period after the last lift maximum (linear between samples).
struct DfgPeriodic {
  // The last `periods` whole lift periods agree in length (2 %) and swing (5 %).
  bool periodic = false;
  int periods = 0;
  double drag_max = 0.0, lift_max = 0.0, strouhal = 0.0, frequency = 0.0, delta_p = 0.0;
};
DfgPeriodic periodic_state(const std::vector<DfgCoefficients>& history, double mean_inflow,
                           int periods = 3);

}  // namespace advect::fluids
