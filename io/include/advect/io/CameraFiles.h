// Posed-image datasets in the layouts radiance-field tools share:
//  - NeRF-synthetic / instant-ngp / nerfstudio `transforms.json`: intrinsics "camera_angle_x"
//    (horizontal field of view, radians; focal = W / (2 tan(angle / 2))) or "fl_x"/"fl_y",
//    "cx"/"cy", "w"/"h" at the top or per frame; frames with "file_path" (relative to the file,
//    with or without an extension: ".png" is tried) and a 4 x 4 camera-to-world
//    "transform_matrix" (OpenGL: camera looks along -z, y up); an optional "time" per frame.
#pragma once

#include <filesystem>

#include "advect/radiance/PosedImages.h"

namespace advect::io {

// Reads a transforms.json and its pictures. Throws IoError naming the file and the problem (bad
// JSON, missing keys, a matrix that is not 4 x 4 with a rotation part, pictures that are missing,
// unreadable or of different sizes, no frames).
radiance::PosedImages read_transforms_json(const std::filesystem::path& path);

}  // namespace advect::io
