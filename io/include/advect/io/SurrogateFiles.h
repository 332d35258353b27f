// The files of `advect surrogate predict`: observations and query points in, predictions out.
//
//   observations CSV  header "t,x,y,value": time (s), position in the unit square, the field;
//                     rows with the same t form one observed frame
//   points CSV        header "x,y"
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "advect/neural/FlowSurrogate.h"

namespace advect::io {

// Throws IoError naming the file and line (missing, bad header, non-numeric or non-finite
// value, position outside [0, 1], no rows).
std::vector<neural::ObservedFrame> read_observations_csv(const std::filesystem::path& path);
std::vector<double> read_points_csv(const std::filesystem::path& path);  // Q x 2

// Writes prediction.npy ((T, N, N) float32), prediction_KKKK.vti + prediction.pvd and
// prediction_KKKK.png per time, into `directory`, all or nothing (io::OutputFolder); returns
// the files written.
std::vector<std::filesystem::path> write_grid_prediction(const std::filesystem::path& directory,
                                                         const std::vector<float>& values, int n,
                                                         const std::vector<double>& times,
                                                         const std::string& field);
// Writes prediction.npy ((T, Q) float32) and prediction.csv (t, x, y, value), all or nothing.
std::vector<std::filesystem::path> write_point_prediction(const std::filesystem::path& directory,
                                                          const std::vector<float>& values,
                                                          const std::vector<double>& points,
                                                          const std::vector<double>& times,
                                                          const std::string& field);

}  // namespace advect::io
