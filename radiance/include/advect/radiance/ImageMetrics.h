// Image quality against a reference, as radiance-field papers report it. Images are
// height x width x channels float arrays in [0, 1] (data range 1); depths are height x width
// distances along the pixels' rays (world units).
#pragma once

#include <cstdint>
#include <vector>

namespace advect::radiance {

// 10 log10(1 / MSE) over all pixels and channels (dB); +inf for identical images.
double psnr(const std::vector<float>& image, const std::vector<float>& reference);

// Squared error summed over the pixels where mask != 0 (mask: height x width, or empty for all),
// all channels, and the count of values: sums over views combine into one PSNR (NaN when empty).
struct ImageError {
  double squared = 0.0;
  std::int64_t values = 0;
  double psnr() const;
  ImageError& operator+=(const ImageError& other);
};
ImageError image_error(const std::vector<float>& image, const std::vector<float>& reference,
                       const std::vector<std::uint8_t>& mask);

// Squared depth error summed over the pixels whose true depth is known (finite), and their count:
// sums over views combine into one RMSE = sqrt(squared / pixels).
struct DepthError {
  double squared = 0.0;
  std::int64_t pixels = 0;
  double rmse() const;  // NaN without known pixels
  DepthError& operator+=(const DepthError& other);
};
DepthError depth_error(const std::vector<float>& depth, const float* truth);

enum class SsimWindow {
  // 11 x 11 Gaussian, sigma 1.5 (Wang et al. 2004; the NeRF, mip-NeRF and instant-ngp code)
  gaussian11,
  // 7 x 7 uniform with sample covariances (skimage.metrics.structural_similarity's defaults)
  uniform7,
};

// Mean SSIM (K1 = 0.01, K2 = 0.03) over the pixels where the window fits entirely ('valid')
// and over the channels. Throws std::invalid_argument if the image is smaller than the window.
double ssim(const std::vector<float>& image, const std::vector<float>& reference, int width,
            int height, int channels, SsimWindow window);

}  // namespace advect::radiance
