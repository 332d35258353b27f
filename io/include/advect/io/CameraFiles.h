// Posed-image datasets in the layouts radiance-field tools share:
//  - NeRF-synthetic / instant-ngp / nerfstudio `transforms.json`: intrinsics "camera_angle_x"
//    (horizontal field of view, radians; focal = W / (2 tan(angle / 2))) or "fl_x"/"fl_y",
//    "cx"/"cy", "w"/"h" at the top or per frame; frames with "file_path" (relative to the file,
//    with or without an extension: ".png" is tried; PNG or JPEG) and a 4 x 4 camera-to-world
//    "transform_matrix" (OpenGL: camera looks along -z, y up); an optional "time" per frame
//    (PosedImages::times; 0 where absent);
//    an optional "depth_file_path" per frame: a .npy of height x width distances along each
//    pixel's ray (world units; values <= 0 or not finite are unknown), as `advect radiance scene`
//    writes.
#pragma once

#include <filesystem>
#include <string>

#include "advect/radiance/PosedImages.h"

namespace advect::io {

// Reads a transforms.json and its pictures. Throws IoError naming the file and the problem (bad
// JSON, missing keys, a matrix that is not 4 x 4 with a rotation part, pictures that are missing,
// unreadable or of different sizes, no frames).
radiance::PosedImages read_transforms_json(const std::filesystem::path& path);

struct PosedImageSet {
  radiance::PosedImages images;
  std::filesystem::path source;  // the camera file read
};

// A scene's images of one split ("train", "test" or "all"): SCENE is a transforms file, or a
// folder holding transforms_{split}.json or transforms.json, or a COLMAP text model (sparse/0/,
// sparse/ or the folder itself holding cameras.txt and images.txt, pictures in images/; the
// split as ColmapSplit). Throws IoError.
PosedImageSet read_posed_images(const std::filesystem::path& scene, const std::string& split);

}  // namespace advect::io
