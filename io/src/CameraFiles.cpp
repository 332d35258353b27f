#include "advect/io/CameraFiles.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "advect/io/AtomicWrite.h"
#include "advect/io/ColmapFiles.h"
#include "advect/io/IoError.h"
#include "advect/io/Jpeg.h"
#include "advect/io/Npy.h"

namespace advect::io {
namespace {

using nlohmann::json;

// A number from the frame, else from the file's top level; NaN when neither has it.
double setting(const json& frame, const json& top, const char* key) {
  for (const json* where : {&frame, &top}) {
    if (where->contains(key)) {
      if (!(*where)[key].is_number())
        throw std::invalid_argument(std::string(key) + " is not a number");
      return (*where)[key].get<double>();
    }
  }
  return std::nan("");
}

std::filesystem::path picture_of(const std::filesystem::path& folder, const std::string& name) {
  std::filesystem::path picture = folder / name;
  if (!picture.has_extension() && !std::filesystem::exists(picture)) picture += ".png";
  return picture;
}

void read_matrix(const json& matrix, radiance::PinholeCamera& camera) {
  if (!matrix.is_array() || matrix.size() != 4)
    throw std::invalid_argument("transform_matrix is not 4 x 4");
  for (std::size_t r = 0; r < 4; ++r) {
    if (!matrix[r].is_array() || matrix[r].size() != 4) {
      throw std::invalid_argument("transform_matrix is not 4 x 4");
    }
    for (std::size_t c = 0; c < 4; ++c) {
      const double value = matrix[r][c].get<double>();
      if (!std::isfinite(value)) throw std::invalid_argument("transform_matrix is not finite");
      if (r < 3) camera.camera_to_world[4 * r + c] = float(value);
    }
  }
  // The rotation's columns must be unit vectors (scale would distort the rays' step lengths).
  for (int c = 0; c < 3; ++c) {
    double norm = 0.0;
    for (int r = 0; r < 3; ++r) norm += std::pow(camera.camera_to_world[4 * r + c], 2.0);
    if (std::abs(std::sqrt(norm) - 1.0) > 1e-3) {
      throw std::invalid_argument("transform_matrix has no rotation part (column norm " +
                                  std::to_string(std::sqrt(norm)) + ")");
    }
  }
}

// A frame's depth file: height x width distances, unknown (<= 0 or not finite) as NaN.
std::vector<float> read_depth(const std::filesystem::path& folder, const json& name, int width,
                              int height) {
  if (!name.is_string()) throw std::invalid_argument("depth_file_path is not a string");
  const NpyArray array = read_npy(folder / name.get<std::string>());
  if (array.shape != std::vector<std::size_t>{std::size_t(height), std::size_t(width)}) {
    throw std::invalid_argument("depth file " + name.get<std::string>() +
                                " is not height x width like its picture");
  }
  std::vector<float> depth = array.values<float>();
  for (float& d : depth) {
    if (!(d > 0.0f) || !std::isfinite(d)) d = std::nanf("");
  }
  return depth;
}

}  // namespace

radiance::PosedImages read_transforms_json(const std::filesystem::path& path) {
  json top;
  try {
    top = json::parse(read_file_bytes(path));
  } catch (const json::exception& error) {
    throw IoError(path, std::string("not valid JSON (") + error.what() + ")");
  }
  if (!top.is_object() || !top.contains("frames") || !top["frames"].is_array()) {
    throw IoError(path, "no \"frames\" array");
  }
  if (top["frames"].empty()) throw IoError(path, "no frames");
  radiance::PosedImages images;
  const std::filesystem::path folder = path.parent_path();
  for (std::size_t i = 0; i < top["frames"].size(); ++i) {
    const json& frame = top["frames"][i];
    const std::string where = "frame " + std::to_string(i) + ": ";
    radiance::PinholeCamera camera;
    RgbaImage picture;
    try {
      if (!frame.is_object() || !frame.contains("file_path") || !frame["file_path"].is_string() ||
          !frame.contains("transform_matrix")) {
        throw std::invalid_argument("needs \"file_path\" and \"transform_matrix\"");
      }
      read_matrix(frame["transform_matrix"], camera);
      picture = read_picture(picture_of(folder, frame["file_path"].get<std::string>()));
      camera.width = picture.width;
      camera.height = picture.height;
      const double w = setting(frame, top, "w"), h = setting(frame, top, "h");
      if ((!std::isnan(w) && int(w) != picture.width) ||
          (!std::isnan(h) && int(h) != picture.height)) {
        throw std::invalid_argument("picture is " + std::to_string(picture.width) + " x " +
                                    std::to_string(picture.height) + ", not w x h");
      }
      double fx = setting(frame, top, "fl_x"), fy = setting(frame, top, "fl_y");
      const double angle_x = setting(frame, top, "camera_angle_x");
      if (std::isnan(fx) && !std::isnan(angle_x))
        fx = 0.5 * picture.width / std::tan(0.5 * angle_x);
      if (std::isnan(fx)) throw std::invalid_argument("no focal length (fl_x or camera_angle_x)");
      if (std::isnan(fy)) fy = fx;
      const double cx = setting(frame, top, "cx"), cy = setting(frame, top, "cy");
      camera.fx = float(fx);
      camera.fy = float(fy);
      camera.cx = float(std::isnan(cx) ? 0.5 * picture.width : cx);
      camera.cy = float(std::isnan(cy) ? 0.5 * picture.height : cy);
      if (!(camera.fx > 0.0f) || !(camera.fy > 0.0f))
        throw std::invalid_argument("focal length not positive");
    } catch (const IoError&) {
      throw;
    } catch (const std::exception& error) {
      throw IoError(path, where + error.what());
    }
    if (images.size() == 0) {
      images.width = picture.width;
      images.height = picture.height;
    } else if (picture.width != images.width || picture.height != images.height) {
      throw IoError(path, where + "picture size differs from the first frame's");
    }
    float time = 0.0f;
    if (frame.contains("time")) {
      if (!frame["time"].is_number() || !std::isfinite(frame["time"].get<double>())) {
        throw IoError(path, where + "\"time\" is not a finite number");
      }
      time = frame["time"].get<float>();
    }
    images.cameras.push_back(camera);
    images.times.push_back(time);
    images.names.push_back(frame["file_path"].get<std::string>());
    images.rgba.insert(images.rgba.end(), picture.rgba.begin(), picture.rgba.end());
    if (frame.contains("depth_file_path")) {
      std::vector<float> depth;
      try {
        depth = read_depth(folder, frame["depth_file_path"], images.width, images.height);
      } catch (const std::invalid_argument& error) {
        throw IoError(path, where + error.what());
      }
      // Frames before the first with depth have none: NaN.
      images.depth.resize((images.size() - 1) * std::size_t(images.width * images.height),
                          std::nanf(""));
      images.depth.insert(images.depth.end(), depth.begin(), depth.end());
    } else if (!images.depth.empty()) {
      images.depth.resize(images.size() * std::size_t(images.width * images.height), std::nanf(""));
    }
  }
  return images;
}

PosedImageSet read_posed_images(const std::filesystem::path& scene, const std::string& split) {
  if (!std::filesystem::is_directory(scene)) return {read_transforms_json(scene), scene};
  for (const std::filesystem::path& transforms :
       {scene / ("transforms_" + split + ".json"), scene / "transforms.json"}) {
    if (std::filesystem::exists(transforms)) return {read_transforms_json(transforms), transforms};
  }
  for (const std::filesystem::path& model : {scene / "sparse" / "0", scene / "sparse", scene}) {
    if (std::filesystem::exists(model / "cameras.txt")) {
      const auto which = split == "train"  ? ColmapSplit::train
                         : split == "test" ? ColmapSplit::test
                                           : ColmapSplit::all;
      return {read_colmap_text(model, scene / "images", which), model / "images.txt"};
    }
  }
  throw IoError(scene, "no transforms_" + split +
                           ".json, transforms.json or COLMAP text model (cameras.txt) here");
}

}  // namespace advect::io
