#include "advect/radiance/ImageMetrics.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace advect::radiance {

double psnr(const std::vector<float>& image, const std::vector<float>& reference) {
  return image_error(image, reference, {}).psnr();
}

ImageError image_error(const std::vector<float>& image, const std::vector<float>& reference,
                       const std::vector<std::uint8_t>& mask) {
  if (image.size() != reference.size() || image.empty()) {
    throw std::invalid_argument("psnr: the images differ in size or are empty");
  }
  const std::size_t channels = mask.empty() ? 1 : image.size() / mask.size();
  if (!mask.empty() && channels * mask.size() != image.size()) {
    throw std::invalid_argument("psnr: the mask's pixels do not match the image's");
  }
  ImageError error;
  for (std::size_t i = 0; i < image.size(); ++i) {
    if (!mask.empty() && mask[i / channels] == 0) continue;
    const double e = double(image[i]) - double(reference[i]);
    error.squared += e * e;
    error.values += 1;
  }
  return error;
}

double ImageError::psnr() const {
  if (values == 0) return std::numeric_limits<double>::quiet_NaN();
  const double mse = squared / double(values);
  return mse == 0.0 ? std::numeric_limits<double>::infinity() : -10.0 * std::log10(mse);
}

ImageError& ImageError::operator+=(const ImageError& other) {
  squared += other.squared;
  values += other.values;
  return *this;
}

double DepthError::rmse() const {
  return pixels > 0 ? std::sqrt(squared / double(pixels))
                    : std::numeric_limits<double>::quiet_NaN();
}

DepthError& DepthError::operator+=(const DepthError& other) {
  squared += other.squared;
  pixels += other.pixels;
  return *this;
}

DepthError depth_error(const std::vector<float>& depth, const float* truth) {
  DepthError error;
  for (std::size_t i = 0; i < depth.size(); ++i) {
    if (!std::isfinite(truth[i])) continue;
    const double e = double(depth[i]) - double(truth[i]);
    error.squared += e * e;
    error.pixels += 1;
  }
  return error;
}

namespace {

// Window weights (size x size, summing to 1) and the covariance factor.
struct Window {
  int size;
  std::vector<double> weights;
  double covariance_factor;  // N / (N - 1) for sample covariances, else 1
};

Window make_window(SsimWindow kind) {
  if (kind == SsimWindow::uniform7) {
    return {7, std::vector<double>(49, 1.0 / 49.0), 49.0 / 48.0};
  }
  Window window{11, std::vector<double>(121), 1.0};
  double total = 0.0;
  for (int y = 0; y < 11; ++y) {
    for (int x = 0; x < 11; ++x) {
      const double dx = x - 5, dy = y - 5;
      total += window.weights[std::size_t(11 * y + x)] =
          std::exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
    }
  }
  for (double& w : window.weights) w /= total;
  return window;
}

}  // namespace

double ssim(const std::vector<float>& image, const std::vector<float>& reference, int width,
            int height, int channels, SsimWindow kind) {
  const Window window = make_window(kind);
  if (image.size() != reference.size() ||
      image.size() != std::size_t(width) * std::size_t(height) * std::size_t(channels)) {
    throw std::invalid_argument("ssim: the images do not have the stated size");
  }
  if (width < window.size || height < window.size) {
    throw std::invalid_argument("ssim: the image is smaller than the window");
  }
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  double total = 0.0;
  std::int64_t count = 0;
  for (int c = 0; c < channels; ++c) {
    for (int y0 = 0; y0 + window.size <= height; ++y0) {
      for (int x0 = 0; x0 + window.size <= width; ++x0) {
        double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
        for (int v = 0; v < window.size; ++v) {
          for (int u = 0; u < window.size; ++u) {
            const std::size_t p = (std::size_t(y0 + v) * std::size_t(width) + std::size_t(x0 + u)) *
                                      std::size_t(channels) +
                                  std::size_t(c);
            const double w = window.weights[std::size_t(v * window.size + u)];
            const double a = image[p], b = reference[p];
            mx += w * a;
            my += w * b;
            xx += w * a * a;
            yy += w * b * b;
            xy += w * a * b;
          }
        }
        const double vx = window.covariance_factor * (xx - mx * mx);
        const double vy = window.covariance_factor * (yy - my * my);
        const double cxy = window.covariance_factor * (xy - mx * my);
        total +=
            ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        ++count;
      }
    }
  }
  return total / double(count);
}

}  // namespace advect::radiance
