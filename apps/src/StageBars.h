// Terminal progress bars for a library pipeline that reports its stages through a callback
// (lidar::StageProgress): one bar per stage, the previous one finished when the next begins.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "advect/engine/Progress.h"

namespace advect::app {

class StageBars {
 public:
  explicit StageBars(bool enabled) : enabled_(enabled) {}

  // A callback that draws into this object; it must not outlive it.
  auto callback() {
    return [this](std::string_view stage, double done, double total, std::string_view unit) {
      update(stage, done, total, unit);
    };
  }
  void update(std::string_view stage, double done, double total, std::string_view unit) {
    if (!bar_ || stage != stage_) {
      finish();
      stage_ = stage;
      bar_ = std::make_unique<ProgressBar>(stage_, total, std::string(unit), enabled_);
    }
    bar_->update(done);
  }
  void finish() {
    if (bar_) bar_->finish();
    bar_.reset();
  }

 private:
  bool enabled_;
  std::string stage_;
  std::unique_ptr<ProgressBar> bar_;
};

}  // namespace advect::app
