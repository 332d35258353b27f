// A one-line progress bar with rate and ETA on stderr, drawn only when stderr is a terminal.
#pragma once

#include <chrono>
#include <string>
#include <utility>

namespace advect {

class ProgressBar {
 public:
  // `total` units of work called `unit` (e.g. "s" of simulated time, "pairs"). Disabled bars
  // cost a comparison per update. enabled = show_progress(quiet) is the usual choice.
  ProgressBar(std::string label, double total, std::string unit, bool enabled);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  // Work done so far (absolute, not an increment); redraws at most ten times a second.
  void update(double done);
  // Text shown after the ETA from the next redraw on (e.g. "residual 3.2e-05").
  void set_detail(std::string detail) { detail_ = std::move(detail); }
  // Draws the final state and ends the line; called by the destructor if not before.
  void finish();

 private:
  void draw(bool final_draw);

  std::string label_, unit_, detail_;
  double total_, done_ = 0.0;
  bool enabled_, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// True when progress should be drawn: not quiet and stderr is a terminal.
bool show_progress(bool quiet);

}  // namespace advect
