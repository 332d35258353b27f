// PNG pictures through libpng and transforms.json camera files: the bundled NeRF-synthetic lego
// against its published camera conventions, a nerfstudio-style file, and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "advect/io/CameraFiles.h"
#include "advect/io/IoError.h"
#include "advect/io/Png.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

const std::filesystem::path kLego =
    std::filesystem::path(ADVECT_SOURCE_DIR) / "data/radiance/lego_nerf_synthetic_100";

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(Png, RoundTripsEightBitValues) {
  TempDir dir;
  std::vector<float> rgba;
  for (int k = 0; k < 5 * 3 * 4; ++k) rgba.push_back(float(k * 4) / 255.0f);
  io::write_png(dir / "a.png", rgba, 5, 3, 4);
  const io::RgbaImage image = io::read_png(dir / "a.png");
  ASSERT_EQ(image.width, 5);
  ASSERT_EQ(image.height, 3);
  for (std::size_t k = 0; k < rgba.size(); ++k) EXPECT_FLOAT_EQ(image.rgba[k], rgba[k]);
  // RGB files read with alpha 1.
  io::write_png(dir / "b.png", std::vector<float>(2 * 2 * 3, 0.5f), 2, 2, 3);
  EXPECT_FLOAT_EQ(io::read_png(dir / "b.png").rgba[3], 1.0f);
}

TEST(Png, RefusesMissingTruncatedAndForeignFiles) {
  TempDir dir;
  io::write_png(dir / "a.png", std::vector<float>(64 * 64 * 3, 0.25f), 64, 64, 3);
  std::ifstream in(dir / "a.png", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  write_text(dir / "cut.png", bytes.substr(0, bytes.size() / 2));
  write_text(dir / "text.png", "not a picture");
  for (const char* name : {"missing.png", "cut.png", "text.png"}) {
    try {
      io::read_png(dir / name);
      ADD_FAILURE() << name << " was read";
    } catch (const io::IoError& error) {
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  }
}

TEST(CameraFiles, ReadsTheNerfSyntheticLego) {
  const radiance::PosedImages train = io::read_transforms_json(kLego / "transforms_train.json");
  ASSERT_EQ(train.size(), 100u);
  EXPECT_EQ(train.width, 100);
  EXPECT_EQ(train.height, 100);
  // focal = W / (2 tan(camera_angle_x / 2)) with camera_angle_x = 0.6911112070083618.
  EXPECT_NEAR(train.cameras[0].fx, 50.0 / std::tan(0.5 * 0.6911112070083618), 1e-3);
  EXPECT_FLOAT_EQ(train.cameras[0].cx, 50.0f);
  // r_0's camera sits at (-0.0538, 3.8455, 1.2081) (its matrix's last column) and, with the
  // OpenGL convention, looks at the origin: the centre ray passes within 0.1 of it.
  float o[3], d[3];
  train.cameras[0].ray(50.0f, 50.0f, o, d);
  EXPECT_NEAR(o[1], 3.845470428466797, 1e-6);
  const float along = -(o[0] * d[0] + o[1] * d[1] + o[2] * d[2]);
  float miss = 0;
  for (int a = 0; a < 3; ++a) miss += std::pow(o[a] + along * d[a], 2.0f);
  EXPECT_LT(std::sqrt(miss), 0.1f);
  EXPECT_GT(along, 3.5f);
  // The background is transparent: the top-left pixel of r_0 has alpha 0.
  EXPECT_EQ(train.image(0)[3], 0.0f);
}

TEST(CameraFiles, ReadsNerfstudioIntrinsicsPerFrame) {
  TempDir dir;
  io::write_png(dir / "f0.png", std::vector<float>(8 * 6 * 3, 0.5f), 8, 6, 3);
  write_text(dir / "transforms.json", R"({"fl_x": 10, "fl_y": 11, "cx": 4.5, "cy": 2.5,
    "w": 8, "h": 6, "frames": [{"file_path": "f0.png", "fl_x": 12, "time": 0.5,
    "transform_matrix": [[1,0,0,1],[0,1,0,2],[0,0,1,3],[0,0,0,1]]}]})");
  const radiance::PosedImages images = io::read_transforms_json(dir / "transforms.json");
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images.cameras[0].fx, 12.0f);
  EXPECT_EQ(images.cameras[0].fy, 11.0f);
  EXPECT_EQ(images.cameras[0].cx, 4.5f);
  EXPECT_EQ(images.cameras[0].camera_to_world[7], 2.0f);
}

TEST(CameraFiles, RefusesBrokenFilesNamingTheProblem) {
  TempDir dir;
  io::write_png(dir / "f0.png", std::vector<float>(8 * 6 * 3, 0.5f), 8, 6, 3);
  io::write_png(dir / "f1.png", std::vector<float>(4 * 4 * 3, 0.5f), 4, 4, 3);
  const std::string eye = R"("transform_matrix": [[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]])";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"frames\": [", "not valid JSON"},
      {R"({"camera_angle_x": 0.7})", "no \"frames\" array"},
      {R"({"camera_angle_x": 0.7, "frames": []})", "no frames"},
      {R"({"frames": [{"file_path": "f0.png", )" + eye + "}]}", "no focal length"},
      {R"({"camera_angle_x": 0.7, "frames": [{"file_path": "nothere.png", )" + eye + "}]}",
       "nothere.png"},
      {R"({"camera_angle_x": 0.7, "frames": [{"file_path": "f0.png", "transform_matrix": [[1,0,0]]}]})",
       "not 4 x 4"},
      {R"({"camera_angle_x": 0.7, "frames": [{"file_path": "f0.png", "transform_matrix": [[2,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}]})",
       "no rotation part"},
      {R"({"camera_angle_x": 0.7, "frames": [{"file_path": "f0.png", )" + eye +
           R"(}, {"file_path": "f1.png", )" + eye + "}]}",
       "frame 1: picture size differs"},
  };
  for (const auto& [text, problem] : cases) {
    write_text(dir / "transforms.json", text);
    try {
      io::read_transforms_json(dir / "transforms.json");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const io::IoError& error) {
      EXPECT_NE(std::string(error.what()).find(problem), std::string::npos)
          << error.what() << " (expected " << problem << ")";
    }
  }
}

}  // namespace
}  // namespace advect::testing
