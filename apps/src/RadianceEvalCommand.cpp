// `advect radiance eval`: PSNR and SSIM of a model's renders against held-out posed images, as
// a table, JSON and render | truth | error pictures.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "Command.h"
#include "RadianceDynamicEval.h"
#include "RadianceFiles.h"
#include "advect/engine/Progress.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/CameraFiles.h"
#include "advect/io/OutputFolder.h"
#include "advect/io/Png.h"
#include "advect/radiance/ImageMetrics.h"
#include "advect/radiance/RadianceTraining.h"

namespace advect::app {

namespace fs = std::filesystem;

namespace {

class RadianceEvalCommand final : public Command {
 public:
  explicit RadianceEvalCommand(CLI::App& parent) {
    app_ = parent.add_subcommand("eval", "PSNR and SSIM of a model against held-out posed images");
    app_->add_option("model", model_, "Model file of `advect radiance train`")->required();
    app_->add_option("scene", scene_,
                     "transforms.json, or a folder with transforms_test.json / transforms.json or "
                     "a COLMAP text model")
        ->required();
    app_->add_option("--json", json_, "Also write the table as JSON");
    app_->add_option("-o,--output", pictures_,
                     "Folder for pictures: render | truth | error per view");
    app_->add_option("--split", split_, "Which views: test (held out) or train (reconstruction)")
        ->check(CLI::IsMember({"test", "train"}))
        ->capture_default_str();
    app_->add_option("--background", background_, "RGB in [0, 1] behind the scene")
        ->expected(3)
        ->capture_default_str();
    add_common_options(*app_, common_);
  }

  int run() override {
    apply_log_level(common_);
    const Device device = parse_device(common_.device);
    const std::vector<float> background = background_option(background_);
    const auto model = load_model(model_, device);
    if (model.dynamic) {
      return evaluate_dynamic(
          *model.dynamic, {model_, scene_, split_, background, json_, pictures_, common_.quiet});
    }
    const io::PosedImageSet scene = io::read_posed_images(scene_, split_);
    const radiance::PosedImages& images = scene.images;
    const fs::path& transforms = scene.source;
    std::optional<io::OutputFolder> folder;
    if (!pictures_.empty()) folder.emplace(pictures_);
    nlohmann::json views = nlohmann::json::array();
    double psnr_sum = 0, ssim11_sum = 0, ssim7_sum = 0;
    radiance::DepthError depth_sum;
    ProgressBar bar("eval", double(images.size()), "views", show_progress(common_.quiet));
    for (std::size_t i = 0; i < images.size(); ++i) {
      const radiance::RenderedImage rendered =
          radiance::render(*model.field, images.cameras[i], background.data());
      const std::vector<float> truth = radiance::composite_over(images, i, background.data());
      const double p = radiance::psnr(rendered.rgb, truth);
      const double s11 = radiance::ssim(rendered.rgb, truth, images.width, images.height, 3,
                                        radiance::SsimWindow::gaussian11);
      const double s7 = radiance::ssim(rendered.rgb, truth, images.width, images.height, 3,
                                       radiance::SsimWindow::uniform7);
      psnr_sum += p;
      ssim11_sum += s11;
      ssim7_sum += s7;
      views.push_back({{"view", images.names[i]},
                       {"psnr", p},
                       {"ssim_gaussian11", s11},
                       {"ssim_uniform7", s7}});
      if (const float* depth = images.depth_of(i)) {
        const radiance::DepthError e = radiance::depth_error(rendered.depth, depth);
        views.back()["depth_rmse"] = e.rmse();
        depth_sum += e;
      }
      if (folder) write_comparison(*folder / fmt::format("view_{:03d}.png", i), rendered, truth);
      bar.update(double(i + 1));
    }
    bar.finish();
    const double n = double(images.size());
    nlohmann::json table = {{"model", model_.string()},
                            {"scene", transforms.string()},
                            {"views", views},
                            {"mean",
                             {{"psnr", psnr_sum / n},
                              {"ssim_gaussian11", ssim11_sum / n},
                              {"ssim_uniform7", ssim7_sum / n}}}};
    if (depth_sum.pixels > 0) {
      // One RMSE over all known pixels of all views (not a mean of per-view RMSEs).
      table["depth"] = {{"rmse", depth_sum.rmse()}, {"pixels", depth_sum.pixels}};
    }
    std::cout << fmt::format("{} views of {} ({} x {}), background ({:g}, {:g}, {:g})\n",
                             images.size(), transforms.string(), images.width, images.height,
                             background[0], background[1], background[2]);
    std::cout << fmt::format(
        "  PSNR {:.2f} dB   SSIM {:.4f} (11x11 Gaussian)   {:.4f} (7x7 "
        "uniform, skimage)\n",
        psnr_sum / n, ssim11_sum / n, ssim7_sum / n);
    if (depth_sum.pixels > 0) {
      std::cout << fmt::format("  depth RMSE {:.4f} world units over {} pixels of known depth\n",
                               depth_sum.rmse(), depth_sum.pixels);
    }
    if (!json_.empty()) io::write_file_bytes(json_, table.dump(2) + "\n");
    if (folder) {
      folder->commit();
      std::cout << fmt::format("pictures (render | truth | |error| x 4): {}\n",
                               folder->target().string());
    }
    return 0;
  }

 private:
  // One picture: the render, the truth and the absolute error (grey, scaled by 4) side by side.
  static void write_comparison(const fs::path& path, const radiance::RenderedImage& rendered,
                               const std::vector<float>& truth) {
    const int w = rendered.width, h = rendered.height;
    std::vector<float> picture(std::size_t(3 * w) * std::size_t(h) * 3);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const std::size_t p = std::size_t(y) * std::size_t(w) + std::size_t(x);
        float error = 0.0f;
        for (int c = 0; c < 3; ++c)
          error +=
              std::abs(rendered.rgb[3 * p + std::size_t(c)] - truth[3 * p + std::size_t(c)]) / 3.0f;
        for (int c = 0; c < 3; ++c) {
          const std::size_t row = std::size_t(y) * std::size_t(3 * w);
          picture[3 * (row + std::size_t(x)) + std::size_t(c)] =
              rendered.rgb[3 * p + std::size_t(c)];
          picture[3 * (row + std::size_t(w + x)) + std::size_t(c)] = truth[3 * p + std::size_t(c)];
          picture[3 * (row + std::size_t(2 * w + x)) + std::size_t(c)] = 4.0f * error;
        }
      }
    }
    io::write_png(path, picture, 3 * w, h, 3);
  }

  CommonOptions common_;
  fs::path model_, scene_, json_, pictures_;
  std::string split_ = "test";
  std::vector<float> background_ = {1.0f, 1.0f, 1.0f};
};

}  // namespace

std::unique_ptr<Command> make_radiance_eval_command(CLI::App& radiance) {
  return std::make_unique<RadianceEvalCommand>(radiance);
}

}  // namespace advect::app
