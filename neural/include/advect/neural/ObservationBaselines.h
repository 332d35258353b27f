// The baselines a flow surrogate is measured against (issue 6), built from the observations
// alone (SparseObservations.h): every observed frame is interpolated in space by a thin-plate
// spline through the observed points (exact there, linear fields reproduced everywhere, no shape
// parameter), then frames between observations are filled in time:
//   linear   - linear between the observed frames before and after (the last one held after it),
//   identity - the last observed frame held (the first one before it).
// Grid points sit at ((column + 1/2) / W, (row + 1/2) / H) of a unit square; layout as in
// SparseObservations.h.
#pragma once

#include <vector>

#include "advect/neural/SparseObservations.h"

namespace advect::neural {

enum class TimeFill { linear, identity };

// `truth` is read only at the observed points of the observed frames. Needs 3 or more observed
// points not all on one line.
std::vector<float> observation_baseline(const SequenceShape& shape, const std::vector<float>& truth,
                                        const Observations& observed, TimeFill fill);

}  // namespace advect::neural
