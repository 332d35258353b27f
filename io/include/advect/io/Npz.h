// NumPy .npz archives (np.savez and np.savez_compressed): a zip of KEY.npy members.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "advect/io/Npy.h"

namespace advect::io {

// Every member of the archive, by key (member name without ".npy"). Checks the zip's
// consistency and each member's CRC; stored and deflated members are both read.
std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path);

// One array; IoError naming the file and the missing key (and the keys present) if absent.
NpyArray read_npz_array(const std::filesystem::path& path, const std::string& key);

// Writes the arrays as KEY.npy members, deflated when `compress` (np.savez_compressed), else
// stored (np.savez). Atomic.
void write_npz(const std::filesystem::path& path, const std::map<std::string, NpyArray>& arrays,
               bool compress = true);

}  // namespace advect::io
