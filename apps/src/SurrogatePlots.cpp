#include "SurrogatePlots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "advect/io/FieldPlot.h"
#include "advect/io/OutputFolder.h"

namespace advect::app {

std::vector<std::filesystem::path> plot_evaluation(const std::filesystem::path& directory,
                                                   const neural::Evaluation& evaluation,
                                                   const io::CfdBenchCases& cases,
                                                   const neural::ObservationProtocol& protocol,
                                                   const std::string& field) {
  io::OutputFolder folder(directory);
  const int height = cases.height, width = cases.width;
  const std::size_t frame_size = std::size_t(height) * std::size_t(width);
  int unobserved = evaluation.horizon - 1;
  while (protocol.frame_stride > 1 && unobserved > 0 && unobserved % protocol.frame_stride == 0) {
    --unobserved;
  }
  std::vector<int> frames = {unobserved};
  if (evaluation.frames > evaluation.horizon) frames.push_back(evaluation.frames - 1);
  std::vector<std::filesystem::path> written;
  for (const int frame : frames) {
    auto slice = [&](const std::vector<float>& values) {
      return std::vector<double>(
          values.begin() + std::ptrdiff_t(std::size_t(frame) * frame_size),
          values.begin() + std::ptrdiff_t(std::size_t(frame + 1) * frame_size));
    };
    auto largest = [](const std::vector<double>& values) {
      double m = 0.0;
      for (const double v : values) m = std::max(m, std::abs(v));
      return m > 0 ? m : 1.0;
    };
    const auto truth = slice(evaluation.example_truth);
    const double high = largest(truth);
    std::vector<io::CellImage> fields = {
        {width, height, 1.0 / width, truth, -high, high, field, io::cool_warm}};
    std::vector<std::string> titles = {fmt::format("truth, frame {}", frame)};
    std::vector<io::CellImage> errors;
    std::vector<std::string> error_titles;
    for (std::size_t m = 0; m < evaluation.scores.size(); ++m) {
      fields.push_back(fields.front());
      fields.back().values = slice(evaluation.example_predictions[m]);
      titles.push_back(evaluation.scores[m].name);
      errors.push_back(fields.back());
      for (std::size_t i = 0; i < truth.size(); ++i) errors.back().values[i] -= truth[i];
      error_titles.push_back(evaluation.scores[m].name + " - truth");
    }
    // The errors in the range of the largest one's (identity's, as a rule).
    double error_high = 0.0;
    for (const auto& e : errors) error_high = std::max(error_high, largest(e.values));
    for (auto& e : errors) {
      e.low = -error_high;
      e.high = error_high;
      e.name = "error";
    }
    for (const auto& [name, images, image_titles] :
         {std::tuple(fmt::format("eval_frame_{:02d}.png", frame), &fields, &titles),
          std::tuple(fmt::format("eval_frame_{:02d}_error.png", frame), &errors, &error_titles)}) {
      io::plot_cell_panels(folder / name, *images, *image_titles);
      written.push_back(directory / name);
    }
  }
  folder.commit();
  return written;
}

}  // namespace advect::app
