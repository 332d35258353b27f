#include "advect/io/ColmapFiles.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/Jpeg.h"

namespace advect::io {
namespace {

struct ColmapCamera {
  int width = 0, height = 0;
  double fx = 0, fy = 0, cx = 0, cy = 0;
};

struct ColmapImage {
  std::string name;
  int camera = 0;
  double q[4] = {};  // w, x, y, z
  double t[3] = {};
};

// The data lines of a COLMAP text file with their line numbers (comments and blank lines out).
std::vector<std::pair<int, std::string>> data_lines(const std::filesystem::path& path,
                                                    bool keep_blank) {
  std::istringstream text(read_file_bytes(path));
  std::vector<std::pair<int, std::string>> lines;
  std::string line;
  for (int number = 1; std::getline(text, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() == '#') continue;
    if (line.find_first_not_of(" \t") == std::string::npos && !keep_blank) continue;
    lines.emplace_back(number, line);
  }
  return lines;
}

std::map<int, ColmapCamera> read_cameras(const std::filesystem::path& path) {
  std::map<int, ColmapCamera> cameras;
  for (const auto& [number, line] : data_lines(path, false)) {
    const auto fail = [&, n = number](const std::string& problem) {
      throw IoError(path, "line " + std::to_string(n) + ": " + problem);
    };
    std::istringstream fields(line);
    int id = 0;
    std::string model;
    ColmapCamera camera;
    if (!(fields >> id >> model >> camera.width >> camera.height)) {
      fail("expected CAMERA_ID MODEL WIDTH HEIGHT PARAMS...");
    }
    std::vector<double> p;
    for (double value; fields >> value;) p.push_back(value);
    if (!fields.eof()) fail("a parameter is not a number");
    const auto needs = [&](std::size_t count) {
      if (p.size() != count) {
        fail(model + " has " + std::to_string(count) + " parameters, not " +
             std::to_string(p.size()));
      }
    };
    const auto undistorted = [&](std::size_t first) {
      for (std::size_t i = first; i < p.size(); ++i) {
        if (p[i] != 0.0) {
          fail("camera " + std::to_string(id) + " (" + model +
               ") has lens distortion; undistort the images first (colmap image_undistorter)");
        }
      }
    };
    if (model == "PINHOLE") {
      needs(4);
      camera = {camera.width, camera.height, p[0], p[1], p[2], p[3]};
    } else if (model == "SIMPLE_PINHOLE" || model == "SIMPLE_RADIAL" || model == "RADIAL") {
      needs(model == "SIMPLE_PINHOLE" ? 3 : model == "SIMPLE_RADIAL" ? 4 : 5);
      undistorted(3);
      camera = {camera.width, camera.height, p[0], p[0], p[1], p[2]};
    } else if (model == "OPENCV") {
      needs(8);
      undistorted(4);
      camera = {camera.width, camera.height, p[0], p[1], p[2], p[3]};
    } else {
      fail("camera model " + model +
           " is not read (PINHOLE, SIMPLE_PINHOLE, or SIMPLE_RADIAL / RADIAL / OPENCV without "
           "distortion)");
    }
    if (camera.width <= 0 || camera.height <= 0 || !(camera.fx > 0) || !(camera.fy > 0) ||
        !std::isfinite(camera.cx) || !std::isfinite(camera.cy)) {
      fail("camera " + std::to_string(id) + " has a non-positive size or focal length");
    }
    if (!cameras.emplace(id, camera).second) fail("camera " + std::to_string(id) + " twice");
  }
  if (cameras.empty()) throw IoError(path, "no cameras");
  return cameras;
}

std::vector<ColmapImage> read_images(const std::filesystem::path& path,
                                     const std::map<int, ColmapCamera>& cameras) {
  // Blank lines count here: an image without 2-D points has an empty second line.
  const auto lines = data_lines(path, true);
  std::vector<ColmapImage> images;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& [number, line] = lines[i];
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const auto fail = [&, n = number](const std::string& problem) {
      throw IoError(path, "line " + std::to_string(n) + ": " + problem);
    };
    std::istringstream fields(line);
    int id = 0;
    ColmapImage image;
    if (!(fields >> id >> image.q[0] >> image.q[1] >> image.q[2] >> image.q[3] >> image.t[0] >>
          image.t[1] >> image.t[2] >> image.camera >> image.name)) {
      fail("expected IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME");
    }
    const double norm = std::sqrt(image.q[0] * image.q[0] + image.q[1] * image.q[1] +
                                  image.q[2] * image.q[2] + image.q[3] * image.q[3]);
    if (!(norm > 1e-6) || !std::isfinite(norm) || !std::isfinite(image.t[0]) ||
        !std::isfinite(image.t[1]) || !std::isfinite(image.t[2])) {
      fail("image " + std::to_string(id) + " has no valid pose");
    }
    for (double& q : image.q) q /= norm;
    if (!cameras.count(image.camera)) {
      fail("image " + std::to_string(id) + " uses camera " + std::to_string(image.camera) +
           ", which cameras.txt does not define");
    }
    images.push_back(image);
    ++i;  // the 2-D points line
  }
  if (images.empty()) throw IoError(path, "no images");
  std::sort(images.begin(), images.end(),
            [](const ColmapImage& a, const ColmapImage& b) { return a.name < b.name; });
  return images;
}

// World-to-camera (q, t), OpenCV axes, to camera-to-world with OpenGL axes.
void set_pose(const ColmapImage& image, radiance::PinholeCamera& camera) {
  const double w = image.q[0], x = image.q[1], y = image.q[2], z = image.q[3];
  const double r[3][3] = {{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                          {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                          {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
  for (int row = 0; row < 3; ++row) {
    // Rotation R^T with its y and z columns negated; centre -R^T t.
    double centre = 0.0;
    for (int k = 0; k < 3; ++k) centre -= r[k][row] * image.t[k];
    camera.camera_to_world[4 * row + 0] = float(r[0][row]);
    camera.camera_to_world[4 * row + 1] = float(-r[1][row]);
    camera.camera_to_world[4 * row + 2] = float(-r[2][row]);
    camera.camera_to_world[4 * row + 3] = float(centre);
  }
}

}  // namespace

radiance::PosedImages read_colmap_text(const std::filesystem::path& model_folder,
                                       const std::filesystem::path& image_folder,
                                       ColmapSplit split) {
  const auto cameras = read_cameras(model_folder / "cameras.txt");
  const std::filesystem::path images_file = model_folder / "images.txt";
  const auto images = read_images(images_file, cameras);
  radiance::PosedImages posed;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const bool held_out = i % 8 == 0;
    if ((split == ColmapSplit::train && held_out) || (split == ColmapSplit::test && !held_out)) {
      continue;
    }
    const ColmapImage& image = images[i];
    const ColmapCamera& intrinsics = cameras.at(image.camera);
    const RgbaImage picture = read_picture(image_folder / image.name);
    if (posed.size() == 0) {
      posed.width = picture.width;
      posed.height = picture.height;
    } else if (picture.width != posed.width || picture.height != posed.height) {
      throw IoError(image_folder / image.name, "picture size differs from the first image's");
    }
    const double sx = double(picture.width) / intrinsics.width;
    const double sy = double(picture.height) / intrinsics.height;
    if (std::abs(sx - sy) > 0.02 * sx) {
      throw IoError(image_folder / image.name,
                    "picture is " + std::to_string(picture.width) + " x " +
                        std::to_string(picture.height) + ", not a scaled " +
                        std::to_string(intrinsics.width) + " x " +
                        std::to_string(intrinsics.height) + " of its camera");
    }
    radiance::PinholeCamera camera;
    camera.width = picture.width;
    camera.height = picture.height;
    camera.fx = float(intrinsics.fx * sx);
    camera.fy = float(intrinsics.fy * sy);
    camera.cx = float(intrinsics.cx * sx);
    camera.cy = float(intrinsics.cy * sy);
    set_pose(image, camera);
    posed.cameras.push_back(camera);
    posed.names.push_back(image.name);
    posed.rgba.insert(posed.rgba.end(), picture.rgba.begin(), picture.rgba.end());
  }
  if (posed.size() == 0) throw IoError(images_file, "no images in this split");
  return posed;
}

}  // namespace advect::io
