#include "advect/engine/Progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace advect {

namespace {

std::string format_duration(double seconds) {
  if (!(seconds >= 0.0) || seconds > 360000.0) return "--:--";
  const auto s = static_cast<long>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{:02}:{:02}", s / 60, s % 60);
}

}  // namespace

bool show_progress(bool quiet) {
  return !quiet && isatty(STDERR_FILENO) == 1;
}

ProgressBar::ProgressBar(std::string label, double total, std::string unit, bool enabled)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      enabled_(enabled && total > 0.0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(double done) {
  done_ = done;
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(false);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  draw(true);
}

void ProgressBar::draw(bool final_draw) {
  constexpr int kWidth = 30;
  const double fraction = std::clamp(done_ / total_, 0.0, 1.0);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0.0 ? done_ / elapsed : 0.0;
  const double eta = rate > 0.0 ? (total_ - done_) / rate : -1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  const std::string bar =
      std::string(std::size_t(filled), '#') + std::string(std::size_t(kWidth - filled), '.');
  const std::string line =
      fmt::format("\r{} [{}] {:5.1f}%  {:.4g}/{:.4g} {}  {:.3g} {}/s  elapsed {}  ETA {}", label_,
                  bar, 100.0 * fraction, done_, total_, unit_, rate, unit_,
                  format_duration(elapsed), final_draw ? "00:00" : format_duration(eta)) +
      (detail_.empty() ? "" : "  " + detail_) + "\x1b[K";  // clear what a longer line left
  std::fputs(line.c_str(), stderr);
  if (final_draw) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace advect
