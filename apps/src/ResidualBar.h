// A progress bar fed by fluids::advance's reports: the time reached, with max |du/dt| beside it.
#pragma once

#include <fmt/format.h>

#include "advect/engine/Progress.h"
#include "advect/fluids/FlowAdvance.h"

namespace advect::app {

inline fluids::AdvanceProgress residual_bar(ProgressBar& bar) {
  return [&bar](double time, double residual) {
    bar.set_detail(fmt::format("max |du/dt| {:.2e} m/s^2", residual));
    bar.update(time);
  };
}

}  // namespace advect::app
