// PSNR and SSIM against closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "advect/radiance/ImageMetrics.h"

namespace advect::testing {
namespace {

using radiance::SsimWindow;

TEST(ImageMetrics, PsnrOfAKnownError) {
  const std::vector<float> a(300, 0.5f), b(300, 0.6f);  // MSE 0.01: 20 dB
  EXPECT_NEAR(radiance::psnr(a, b), 20.0, 1e-5);
  EXPECT_TRUE(std::isinf(radiance::psnr(a, a)));
  EXPECT_THROW(radiance::psnr(a, std::vector<float>(3)), std::invalid_argument);
}

TEST(ImageMetrics, MaskedErrorCountsOnlyMaskedPixelsAndCombinesAcrossViews) {
  // Two RGB pixels: the first off by 0.1 in every channel (masked in), the second by 0.5 (out).
  const std::vector<float> a = {0.5f, 0.5f, 0.5f, 0.0f, 0.0f, 0.0f};
  const std::vector<float> b = {0.6f, 0.6f, 0.6f, 0.5f, 0.5f, 0.5f};
  radiance::ImageError e = radiance::image_error(a, b, {1, 0});
  EXPECT_EQ(e.values, 3);
  EXPECT_NEAR(e.psnr(), 20.0, 1e-5);
  e += radiance::image_error(a, b, {0, 1});  // MSE (3 x 0.01 + 3 x 0.25) / 6 = 0.13
  EXPECT_NEAR(e.psnr(), -10.0 * std::log10(0.13), 1e-5);
  EXPECT_TRUE(std::isnan(radiance::image_error(a, b, {0, 0}).psnr()));
  EXPECT_THROW(radiance::image_error(a, b, {1, 0, 1, 1}), std::invalid_argument);  // 6 / 4
}

TEST(ImageMetrics, DepthErrorCountsOnlyKnownPixels) {
  const std::vector<float> rendered = {1.0f, 2.0f, 3.0f, 4.0f};
  const float truth[] = {1.0f, std::nanf(""), 5.0f, 2.0f};  // errors 0, -, 2, 2
  radiance::DepthError e = radiance::depth_error(rendered, truth);
  EXPECT_EQ(e.pixels, 3);
  EXPECT_DOUBLE_EQ(e.squared, 8.0);
  EXPECT_DOUBLE_EQ(e.rmse(), std::sqrt(8.0 / 3.0));
  e += radiance::depth_error({5.0f}, truth + 2);  // a second view, exact
  EXPECT_DOUBLE_EQ(e.rmse(), std::sqrt(8.0 / 4.0));
  EXPECT_TRUE(std::isnan(radiance::DepthError{}.rmse()));
}

TEST(ImageMetrics, SsimOfConstantImagesIsTheLuminanceTerm) {
  // Constant images have no variance: SSIM = (2 a b + C1) / (a^2 + b^2 + C1), C1 = 0.01^2.
  const int w = 20, h = 16;
  const float a = 0.3f, b = 0.5f;
  const std::vector<float> x(std::size_t(w * h * 3), a), y(std::size_t(w * h * 3), b);
  const double c1 = 1e-4;
  const double expected = (2.0 * a * b + c1) / (double(a) * a + double(b) * b + c1);
  for (const SsimWindow window : {SsimWindow::gaussian11, SsimWindow::uniform7}) {
    EXPECT_NEAR(radiance::ssim(x, y, w, h, 3, window), expected, 1e-6);
    EXPECT_NEAR(radiance::ssim(x, x, w, h, 3, window), 1.0, 1e-9);
  }
}

TEST(ImageMetrics, SsimOfAnImageAndItsNegativeFollowsTheCovarianceTerm) {
  // y = 1 - x with x = 0.5 + 0.25 s (s = +-1 in a checkerboard): in a window of odd size both
  // means are near 0.5 and cov(x, y) = -var(x), so SSIM = (2 m m' + C1)(-2 v + C2) /
  // ((m^2 + m'^2 + C1)(2 v + C2)) with the window's own m, m', v. A 7 x 7 uniform window sees
  // 25 of one sign and 24 of the other.
  const int w = 7, h = 7;
  std::vector<float> x(std::size_t(w * h)), y(std::size_t(w * h));
  for (int j = 0; j < h; ++j) {
    for (int i = 0; i < w; ++i) {
      const float s = (i + j) % 2 == 0 ? 1.0f : -1.0f;
      x[std::size_t(j * w + i)] = 0.5f + 0.25f * s;
      y[std::size_t(j * w + i)] = 1.0f - x[std::size_t(j * w + i)];
    }
  }
  const double m = 0.5 + 0.25 * (25.0 - 24.0) / 49.0, m2 = 1.0 - m;
  double v = 0.0;
  for (float value : x) v += (value - m) * (value - m);
  v /= 48.0;  // sample variance, as skimage
  const double c1 = 1e-4, c2 = 9e-4;
  const double expected =
      (2 * m * m2 + c1) * (-2 * v + c2) / ((m * m + m2 * m2 + c1) * (2 * v + c2));
  EXPECT_NEAR(radiance::ssim(x, y, w, h, 1, SsimWindow::uniform7), expected, 1e-6);
  EXPECT_THROW(radiance::ssim(x, y, w, h, 1, SsimWindow::gaussian11), std::invalid_argument);
}

}  // namespace
}  // namespace advect::testing
