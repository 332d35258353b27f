// JPEG pictures through libjpeg-turbo (against what libjpeg itself encoded) and COLMAP text
// models (against the same cameras read from the lego's transforms.json, converted to COLMAP's
// convention here with a quaternion formula independent of the reader's).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

// jpeglib.h needs FILE and size_t declared before it.
#include <jpeglib.h>

#include "advect/io/CameraFiles.h"
#include "advect/io/ColmapFiles.h"
#include "advect/io/IoError.h"
#include "advect/io/Jpeg.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

const std::filesystem::path kLego =
    std::filesystem::path(ADVECT_SOURCE_DIR) / "data/radiance/lego_nerf_synthetic_100";

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// width x height RGB bytes to a quality-100 JPEG without chroma subsampling.
void write_jpeg(const std::filesystem::path& path, const std::vector<unsigned char>& rgb, int width,
                int height) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  jpeg_stdio_dest(&info, file);
  info.image_width = JDIMENSION(width);
  info.image_height = JDIMENSION(height);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 100, TRUE);
  for (int c = 0; c < 3; ++c) info.comp_info[c].h_samp_factor = info.comp_info[c].v_samp_factor = 1;
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row =
        const_cast<unsigned char*>(rgb.data()) + std::size_t(info.next_scanline) * 3 * width;
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(file);
}

TEST(Jpeg, DecodesWhatLibjpegEncoded) {
  TempDir dir;
  const int w = 24, h = 16;
  std::vector<unsigned char> rgb(std::size_t(w * h * 3));
  for (int j = 0; j < h; ++j) {
    for (int i = 0; i < w; ++i) {
      unsigned char* p = rgb.data() + 3 * (j * w + i);
      p[0] = (unsigned char)(10 * i);
      p[1] = (unsigned char)(15 * j);
      p[2] = (unsigned char)(200 - 4 * (i + j));
    }
  }
  write_jpeg(dir / "a.JPG", rgb, w, h);
  const io::RgbaImage image = io::read_picture(dir / "a.JPG");
  ASSERT_EQ(image.width, w);
  ASSERT_EQ(image.height, h);
  double worst = 0;
  for (int p = 0; p < w * h; ++p) {
    for (int c = 0; c < 3; ++c) {
      worst = std::max(worst, std::abs(double(image.rgba[std::size_t(4 * p + c)]) -
                                       rgb[std::size_t(3 * p + c)] / 255.0));
    }
    EXPECT_EQ(image.rgba[std::size_t(4 * p + 3)], 1.0f);
  }
  EXPECT_LT(worst, 3.0 / 255.0);  // quality 100, no subsampling: within a few levels
}

TEST(Jpeg, RefusesMissingTruncatedAndForeignFiles) {
  TempDir dir;
  write_jpeg(dir / "a.jpg", std::vector<unsigned char>(64 * 64 * 3, 90), 64, 64);
  std::ifstream in(dir / "a.jpg", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  write_text(dir / "cut.jpg", bytes.substr(0, bytes.size() / 2));
  write_text(dir / "text.jpg", "not a picture");
  write_text(dir / "empty.jpg", "");
  for (const char* name : {"missing.jpg", "cut.jpg", "text.jpg", "empty.jpg"}) {
    try {
      io::read_jpeg(dir / name);
      ADD_FAILURE() << name << " was read";
    } catch (const io::IoError& error) {
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  }
}

// Rotation matrix (row-major 3 x 3) to a unit quaternion w, x, y, z (Shepperd's method).
std::array<double, 4> quaternion(const double r[3][3]) {
  const double trace = r[0][0] + r[1][1] + r[2][2];
  if (trace > 0) {
    const double s = 2 * std::sqrt(1 + trace);
    return {0.25 * s, (r[2][1] - r[1][2]) / s, (r[0][2] - r[2][0]) / s, (r[1][0] - r[0][1]) / s};
  }
  if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
    const double s = 2 * std::sqrt(1 + r[0][0] - r[1][1] - r[2][2]);
    return {(r[2][1] - r[1][2]) / s, 0.25 * s, (r[0][1] + r[1][0]) / s, (r[0][2] + r[2][0]) / s};
  }
  if (r[1][1] > r[2][2]) {
    const double s = 2 * std::sqrt(1 + r[1][1] - r[0][0] - r[2][2]);
    return {(r[0][2] - r[2][0]) / s, (r[0][1] + r[1][0]) / s, 0.25 * s, (r[1][2] + r[2][1]) / s};
  }
  const double s = 2 * std::sqrt(1 + r[2][2] - r[0][0] - r[1][1]);
  return {(r[1][0] - r[0][1]) / s, (r[0][2] + r[2][0]) / s, (r[1][2] + r[2][1]) / s, 0.25 * s};
}

// The lego's test cameras as COLMAP text (camera WIDTH x HEIGHT scaled by `scale`).
void write_colmap(const std::filesystem::path& folder, const radiance::PosedImages& lego,
                  double scale) {
  const radiance::PinholeCamera& c = lego.cameras[0];
  std::ostringstream cameras;
  cameras.precision(17);
  cameras << "# Camera list with one line of data per camera:\n1 PINHOLE " << int(c.width * scale)
          << " " << int(c.height * scale) << " " << c.fx * scale << " " << c.fy * scale << " "
          << c.cx * scale << " " << c.cy * scale << "\n";
  write_text(folder / "cameras.txt", cameras.str());
  std::ostringstream images;
  images.precision(17);
  images << "# Image list with two lines of data per image:\n";
  for (std::size_t k = 0; k < lego.size(); ++k) {
    const float* m = lego.cameras[k].camera_to_world;
    // OpenGL -> OpenCV camera axes (negate y and z columns), then invert the pose.
    double w2c[3][3], t[3];
    for (int r = 0; r < 3; ++r) {
      for (int col = 0; col < 3; ++col) w2c[col][r] = (col == 0 ? 1 : -1) * m[4 * r + col];
    }
    for (int r = 0; r < 3; ++r) {
      t[r] = 0;
      for (int col = 0; col < 3; ++col) t[r] -= w2c[r][col] * m[4 * col + 3];
    }
    const auto q = quaternion(w2c);
    images << k + 1 << " " << q[0] << " " << q[1] << " " << q[2] << " " << q[3] << " " << t[0]
           << " " << t[1] << " " << t[2] << " 1 " << lego.names[k] << ".png\n"
           << (k % 2 ? "" : "10.5 20.5 -1 30 40 7") << "\n";
  }
  write_text(folder / "images.txt", images.str());
}

TEST(ColmapFiles, ReadsTheSameCamerasAsTheTransformsOfTheLego) {
  const radiance::PosedImages lego = io::read_transforms_json(kLego / "transforms_test.json");
  TempDir dir;
  write_colmap(dir.path(), lego, 1.0);
  const radiance::PosedImages colmap = io::read_colmap_text(dir.path(), kLego);
  ASSERT_EQ(colmap.size(), lego.size());
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < lego.size(); ++k) index[lego.names[k] + ".png"] = k;
  for (std::size_t k = 0; k < colmap.size(); ++k) {
    if (k > 0) {
      EXPECT_LT(colmap.names[k - 1], colmap.names[k]);  // sorted by name
    }
    const std::size_t j = index.at(colmap.names[k]);
    const radiance::PinholeCamera &a = colmap.cameras[k], &b = lego.cameras[j];
    EXPECT_FLOAT_EQ(a.fx, b.fx);
    EXPECT_FLOAT_EQ(a.cy, b.cy);
    for (int e = 0; e < 12; ++e) {
      EXPECT_NEAR(a.camera_to_world[e], b.camera_to_world[e], 2e-6) << colmap.names[k] << " " << e;
    }
    EXPECT_EQ(colmap.image(k)[4 * 5050 + 1], lego.image(j)[4 * 5050 + 1]);
  }
  // The hold-out split: images 0, 8, 16, 24 in name order for test, the rest for training.
  const auto test = io::read_colmap_text(dir.path(), kLego, io::ColmapSplit::test);
  const auto train = io::read_colmap_text(dir.path(), kLego, io::ColmapSplit::train);
  ASSERT_EQ(test.size(), 4u);
  EXPECT_EQ(train.size(), lego.size() - 4);
  EXPECT_EQ(test.names[1], colmap.names[8]);
}

TEST(ColmapFiles, ScalesIntrinsicsToDownscaledPictures) {
  const radiance::PosedImages lego = io::read_transforms_json(kLego / "transforms_test.json");
  TempDir dir;
  write_colmap(dir.path(), lego, 4.0);  // the model was made on 400 x 400 pictures
  const radiance::PosedImages colmap = io::read_colmap_text(dir.path(), kLego);
  EXPECT_EQ(colmap.width, 100);
  EXPECT_NEAR(colmap.cameras[0].fx, lego.cameras[0].fx, 1e-3);
  EXPECT_NEAR(colmap.cameras[0].cx, lego.cameras[0].cx, 1e-4);
}

TEST(ColmapFiles, ASceneFolderFindsItsModelInSparse0) {
  const radiance::PosedImages lego = io::read_transforms_json(kLego / "transforms_test.json");
  TempDir dir;
  std::filesystem::create_directories(dir / "sparse/0");
  write_colmap(dir / "sparse/0", lego, 1.0);
  std::filesystem::create_directory_symlink(kLego, dir / "images");
  const io::PosedImageSet test = io::read_posed_images(dir.path(), "test");
  EXPECT_EQ(test.images.size(), 4u);
  EXPECT_EQ(test.source, dir / "sparse/0/images.txt");
  EXPECT_EQ(io::read_posed_images(dir.path(), "train").images.size(), lego.size() - 4);
  TempDir empty;
  EXPECT_THROW(io::read_posed_images(empty.path(), "train"), io::IoError);
}

TEST(ColmapFiles, RefusesBrokenModelsNamingFileLineAndProblem) {
  TempDir dir;
  const std::string image = "1 1 0 0 0 0 0 0 1 test/r_0.png\n\n";
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"1 OPENCV 100 100 50 50 50 50 0.1 0 0 0\n", image,
       "cameras.txt: line 1: camera 1 (OPENCV) has lens distortion"},
      {"1 FISHEYE 100 100 50 50 50\n", image, "camera model FISHEYE"},
      {"1 PINHOLE 100 100 50 50\n", image, "PINHOLE has 4 parameters, not 2"},
      {"1 PINHOLE 100 100 -5 50 50 50\n", image, "non-positive"},
      {"1 PINHOLE 100 100 50 50 50 50\n", "1 1 0 0 0 0 0 0 2 test/r_0.png\n\n", "uses camera 2"},
      {"1 PINHOLE 100 100 50 50 50 50\n", "1 0 0 0 0 0 0 0 1 test/r_0.png\n\n", "no valid pose"},
      {"1 PINHOLE 100 100 50 50 50 50\n", "1 1 0 0 0 0 0\n", "images.txt: line 1: expected"},
      {"1 PINHOLE 100 100 50 50 50 50\n", "1 1 0 0 0 0 0 0 1 nothere.png\n\n", "nothere.png"},
      {"1 PINHOLE 300 100 50 50 50 50\n", image, "not a scaled 300 x 100"},
      {"# nothing\n", image, "no cameras"},
  };
  for (const auto& [cameras, images, problem] : cases) {
    write_text(dir / "cameras.txt", cameras);
    write_text(dir / "images.txt", images);
    try {
      io::read_colmap_text(dir.path(), kLego);
      ADD_FAILURE() << "accepted: " << cameras << images;
    } catch (const io::IoError& error) {
      EXPECT_NE(std::string(error.what()).find(problem), std::string::npos)
          << error.what() << " (expected " << problem << ")";
    }
  }
  // SIMPLE_RADIAL without distortion is a pinhole.
  write_text(dir / "cameras.txt", "1 SIMPLE_RADIAL 100 100 60 50 50 0\n");
  write_text(dir / "images.txt", image);
  EXPECT_EQ(io::read_colmap_text(dir.path(), kLego).cameras[0].fy, 60.0f);
}

}  // namespace
}  // namespace advect::testing
