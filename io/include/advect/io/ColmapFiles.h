// COLMAP's text model (https://colmap.github.io/format.html) as posed images:
//  - cameras.txt: "CAMERA_ID MODEL WIDTH HEIGHT PARAMS..." with MODEL PINHOLE (fx fy cx cy) or
//    SIMPLE_PINHOLE (f cx cy); SIMPLE_RADIAL, RADIAL and OPENCV only with all distortion
//    parameters 0 (undistort others first: `colmap image_undistorter`);
//  - images.txt: per image a line "IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME" (world-to-camera,
//    camera looking along +z with y down) and a line of 2-D points (not read).
// Poses become camera-to-world in the OpenGL convention of PinholeCamera (y and z flipped), as
// nerfstudio's and instant-ngp's converters do. Intrinsics scale with pictures smaller or larger
// than the camera's WIDTH x HEIGHT (downscaled image folders). Pictures are PNG or JPEG.
#pragma once

#include <filesystem>

#include "advect/radiance/PosedImages.h"

namespace advect::io {

enum class ColmapSplit {
  all,
  train,  // every image but each 8th in name order (the hold-out of LLFF and mip-NeRF 360)
  test,   // images 0, 8, 16, ... in name order
};

// Reads model_folder/cameras.txt and images.txt, and the pictures named there from image_folder,
// sorted by name. Throws IoError naming the file, line and problem.
radiance::PosedImages read_colmap_text(const std::filesystem::path& model_folder,
                                       const std::filesystem::path& image_folder,
                                       ColmapSplit split = ColmapSplit::all);

}  // namespace advect::io
