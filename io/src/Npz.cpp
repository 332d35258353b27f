#include "advect/io/Npz.h"

#include <fmt/format.h>
#include <zip.h>

#include <memory>
#include <vector>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {

namespace {

std::string zip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ZipHandle = std::unique_ptr<zip_t, ZipCloser>;

ZipHandle open_for_reading(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError(path, "no such file");
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (archive == nullptr)
    throw IoError(path, "not a readable .npz (zip) archive: " + zip_error_text(code));
  return ZipHandle(archive);
}

// DEFLATE cannot expand more than 1032-fold (a 258-byte match in two bits at best), and a stored
// member is its own size: a central directory claiming more is corrupt, and is refused before
// the buffer for it is allocated.
void check_claimed_size(const zip_stat_t& stat, const std::filesystem::path& path,
                        const std::string& name) {
  constexpr double kDeflateMaxExpansion = 1032.0;
  if ((stat.valid & ZIP_STAT_COMP_SIZE) == 0 || (stat.valid & ZIP_STAT_COMP_METHOD) == 0) return;
  const bool stored = stat.comp_method == ZIP_CM_STORE;
  const double limit =
      stored ? double(stat.comp_size) : kDeflateMaxExpansion * double(stat.comp_size) + 1024.0;
  if (double(stat.size) > limit) {
    throw IoError(path,
                  fmt::format("member {}: claims {} bytes from {} {} bytes (corrupt archive)", name,
                              stat.size, stat.comp_size, stored ? "stored" : "compressed"));
  }
}

NpyArray read_member(zip_t* archive, zip_uint64_t index, const std::filesystem::path& path,
                     const std::string& name) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive, index, 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) {
    throw IoError(path, fmt::format("member {}: cannot read its size", name));
  }
  check_claimed_size(stat, path, name);
  zip_file_t* file = zip_fopen_index(archive, index, 0);
  if (file == nullptr) {
    throw IoError(path, fmt::format("member {}: {}", name, zip_strerror(archive)));
  }
  std::string bytes(stat.size, '\0');
  const zip_int64_t read = zip_fread(file, bytes.data(), stat.size);
  // One byte more must give EOF; libzip checks the CRC when it reaches the end.
  char extra = 0;
  const zip_int64_t tail = read == zip_int64_t(stat.size) ? zip_fread(file, &extra, 1) : 0;
  const std::string problem = read < 0 || tail < 0 ? zip_file_strerror(file) : "";
  zip_fclose(file);
  if (read < 0 || tail < 0) throw IoError(path, fmt::format("member {}: {}", name, problem));
  if (read != zip_int64_t(stat.size) || tail != 0) {
    throw IoError(path,
                  fmt::format("member {}: truncated ({} of {} bytes)", name, read, stat.size));
  }
  return parse_npy(bytes, path.string() + ":" + name);
}

}  // namespace

std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path) {
  const ZipHandle archive = open_for_reading(path);
  std::map<std::string, NpyArray> arrays;
  const zip_int64_t members = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < members; ++i) {
    const char* raw_name = zip_get_name(archive.get(), zip_uint64_t(i), 0);
    if (raw_name == nullptr) throw IoError(path, "unreadable member name");
    std::string name = raw_name;
    if (!name.ends_with(".npy")) continue;
    NpyArray array = read_member(archive.get(), zip_uint64_t(i), path, name);
    arrays.emplace(name.substr(0, name.size() - 4), std::move(array));
  }
  if (arrays.empty()) throw IoError(path, "archive holds no .npy arrays");
  return arrays;
}

NpyArray read_npz_array(const std::filesystem::path& path, const std::string& key) {
  const ZipHandle archive = open_for_reading(path);
  const std::string name = key + ".npy";
  const zip_int64_t index = zip_name_locate(archive.get(), name.c_str(), 0);
  if (index < 0) {
    std::vector<std::string> keys;
    const zip_int64_t members = zip_get_num_entries(archive.get(), 0);
    for (zip_int64_t i = 0; i < members; ++i) {
      const std::string member = zip_get_name(archive.get(), zip_uint64_t(i), 0);
      if (member.ends_with(".npy")) keys.push_back(member.substr(0, member.size() - 4));
    }
    throw IoError(path, fmt::format("no array '{}' (has: {})", key, fmt::join(keys, ", ")));
  }
  return read_member(archive.get(), zip_uint64_t(index), path, name);
}

void write_npz(const std::filesystem::path& path, const std::map<std::string, NpyArray>& arrays,
               bool compress) {
  write_atomically(path, [&](const std::filesystem::path& temporary) {
    int code = 0;
    zip_t* archive = zip_open(temporary.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (archive == nullptr) throw IoError(path, "cannot create archive: " + zip_error_text(code));
    ZipHandle guard(archive);
    std::vector<std::string> members;  // must outlive zip_close
    members.reserve(arrays.size());
    for (const auto& [key, array] : arrays) {
      members.push_back(serialize_npy(array));
      zip_source_t* source =
          zip_source_buffer(archive, members.back().data(), members.back().size(), 0);
      const zip_int64_t index = source == nullptr ? -1
                                                  : zip_file_add(archive, (key + ".npy").c_str(),
                                                                 source, ZIP_FL_ENC_UTF_8);
      if (index < 0) {
        if (source != nullptr) zip_source_free(source);
        throw IoError(path, fmt::format("cannot add {}: {}", key, zip_strerror(archive)));
      }
      zip_set_file_compression(archive, zip_uint64_t(index),
                               compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) != 0)
      throw IoError(path, std::string("cannot write archive: ") + zip_strerror(archive));
    guard.release();
  });
}

}  // namespace advect::io
