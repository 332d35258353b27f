// A lidar sequence's points carried to one reference time through the chain of scene flows
// between consecutive sweeps, with the shared time integrator: each interval's flow acts as a
// SweepMotionField, sweeps before the reference are integrated forward and sweeps after it
// backward, so moving objects gather into their shape at the reference time.
//
// Layouts: sweep and flow arrays are N x 3 float32, point-major, metres, all in one world frame
// (ego motion already removed); times in seconds, strictly increasing.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/engine/OdeSolver.h"
#include "advect/geometry/SweepMotionField.h"

namespace advect::geometry {

struct CarryOptions {
  SweepMotionOptions field;
  OdeMethod method = OdeMethod::rk4;  // a fixed-step method
  int substeps = 1;                   // integrator steps per sweep interval
  // Flows slower than this (m/s) count as no motion: the flow noise of the static scene then
  // neither blurs it nor costs integration, since points that no moving sample comes near keep
  // their place without being integrated (the field there is exactly zero).
  float still_below = 0.0f;
  // Points whose path is kept, per sweep (indices into that sweep; may be empty or absent).
  std::vector<std::vector<std::int64_t>> traced;
  // Called after each interval is crossed: (intervals done, intervals in all).
  std::function<void(int, int)> on_interval;
};

struct CarriedSweeps {
  // Per sweep j: its points at the reference time, N_j x 3 (sweep `reference` unchanged).
  std::vector<std::vector<float>> at_reference;
  // Per sweep j: for each traced point, its positions at t_j, t_{j +- 1}, ..., t_reference;
  // traced_j x (|j - reference| + 1) x 3, point-major.
  std::vector<std::vector<float>> paths;
  std::int64_t field_evaluations = 0;  // over all intervals, each over that interval's batch
  // Point-intervals integrated, and kept still because no moving sample came near.
  std::int64_t points_integrated = 0, points_kept_still = 0;
};

// flows[k] (N_k x 3): the displacement of sweep k's points to sweep k + 1, for k < sweeps - 1.
// Throws std::invalid_argument for inconsistent sizes, std::runtime_error if an integration
// fails.
CarriedSweeps carry_to_reference(std::span<const std::vector<float>> sweeps,
                                 std::span<const std::vector<float>> flows,
                                 std::span<const double> times, int reference,
                                 const CarryOptions& options, const Device& device);

// The speed (m/s) of every point of every sweep: |flow| / interval for sweeps with a next one;
// the last sweep's from the previous interval's field at its end.
std::vector<std::vector<float>> sweep_speeds(std::span<const std::vector<float>> sweeps,
                                             std::span<const std::vector<float>> flows,
                                             std::span<const double> times,
                                             const SweepMotionOptions& options,
                                             const Device& device);

}  // namespace advect::geometry
