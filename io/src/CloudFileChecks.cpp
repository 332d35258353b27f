#include "CloudFileChecks.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "advect/io/IoError.h"

namespace advect::io::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeaderBytes = 1 << 16;  // the most header we read
// LZF encodes at most 264 bytes in 3 (a back reference with its longest length): no valid
// stream unpacks to more than 88 times its size.
constexpr double kLzfMaxExpansion = 88.0;

struct Header {
  std::vector<std::string> lines;
  std::size_t size = 0;  // bytes up to and with the last header line
};

// Header lines (without "\r\n"/"\n") up to and with the first whose first word is `last`.
Header read_header(std::ifstream& in, const fs::path& path, const char* last) {
  Header header;
  std::string line;
  while (header.size < kHeaderBytes && std::getline(in, line)) {
    header.size += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    header.lines.push_back(line);
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == last) return header;
  }
  throw IoError(path, fmt::format("no {} line in the first {} bytes (truncated or not a {} file)",
                                  last, kHeaderBytes, path.extension().string().substr(1)));
}

bool parse_count(const std::string& word, std::uint64_t& count) {
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), count);
  return ec == std::errc() && end == word.data() + word.size();
}

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

void check_claim(const fs::path& path, double points, double least_bytes, double data_bytes,
                 const char* what) {
  if (least_bytes > data_bytes) {
    throw IoError(path, fmt::format("the header claims {:.0f} {} but the file holds only {:.0f} "
                                    "bytes of data (truncated, or a corrupt header)",
                                    points, what, std::max(data_bytes, 0.0)));
  }
}

// PLY's scalar types and their sizes (Paul Bourke's and the sized names rply accepts).
std::size_t ply_type_size(const std::string& type) {
  static const std::array<std::pair<const char*, std::size_t>, 16> kTypes{{{"char", 1},
                                                                           {"uchar", 1},
                                                                           {"int8", 1},
                                                                           {"uint8", 1},
                                                                           {"short", 2},
                                                                           {"ushort", 2},
                                                                           {"int16", 2},
                                                                           {"uint16", 2},
                                                                           {"int", 4},
                                                                           {"uint", 4},
                                                                           {"int32", 4},
                                                                           {"uint32", 4},
                                                                           {"float", 4},
                                                                           {"float32", 4},
                                                                           {"double", 8},
                                                                           {"float64", 8}}};
  for (const auto& [name, size] : kTypes)
    if (type == name) return size;
  return 0;
}

void check_ply(std::ifstream& in, const fs::path& path, double file_size) {
  const Header header = read_header(in, path, "end_header");
  if (header.lines.front() != "ply") throw IoError(path, "not a PLY file (no 'ply' first line)");
  std::string format;
  double least_bytes = 0, vertices = -1, elements = 0, record_binary = 0, record_ascii = 0;
  std::string element;
  std::vector<std::string> vertex_scalars;
  const auto close_element = [&] {
    least_bytes += elements * (format == "ascii" ? record_ascii : record_binary);
  };
  for (std::size_t k = 1; k < header.lines.size(); ++k) {
    const auto words = words_of(header.lines[k]);
    const auto bad = [&](const std::string& problem) {
      return IoError(path, fmt::format("header line {}: {}", k + 1, problem));
    };
    if (words.empty() || words[0] == "comment" || words[0] == "obj_info") continue;
    if (words[0] == "format") {
      if (words.size() != 3 || (words[1] != "ascii" && words[1] != "binary_little_endian" &&
                                words[1] != "binary_big_endian"))
        throw bad("expected 'format ascii|binary_little_endian|binary_big_endian 1.0'");
      format = words[1];
    } else if (words[0] == "element") {
      std::uint64_t count = 0;
      if (words.size() != 3 || !parse_count(words[2], count))
        throw bad("expected 'element NAME COUNT'");
      close_element();
      element = words[1];
      elements = double(count);
      record_binary = record_ascii = 0;
      if (element == "vertex") vertices = elements;
    } else if (words[0] == "property") {
      if (element.empty()) throw bad("a property before any element");
      const bool list = words.size() == 5 && words[1] == "list";
      if (list ? ply_type_size(words[2]) == 0 || ply_type_size(words[3]) == 0
               : words.size() != 3 || ply_type_size(words[1]) == 0)
        throw bad("expected 'property TYPE NAME' or 'property list TYPE TYPE NAME' of known types");
      record_binary += double(ply_type_size(words[list ? 2 : 1]));  // a list holds its count
      record_ascii += 2;
      if (element == "vertex" && !list) vertex_scalars.push_back(words[2]);
    } else if (words[0] == "end_header") {
      close_element();
    } else {
      throw bad("unknown keyword '" + words[0] + "'");
    }
  }
  if (format.empty()) throw IoError(path, "the PLY header has no format line");
  for (const char* axis : {"x", "y", "z"}) {
    if (std::find(vertex_scalars.begin(), vertex_scalars.end(), axis) == vertex_scalars.end())
      throw IoError(path, std::string("the PLY header has no vertex property ") + axis);
  }
  check_claim(path, vertices, least_bytes, file_size - double(header.size), "vertices");
}

struct PcdLayout {
  std::vector<std::string> fields;
  std::vector<std::uint64_t> sizes, counts;
  std::vector<std::string> types;
  std::uint64_t width = 0, height = 0, points = 0;
  bool has_width = false, has_height = false, has_points = false;
  std::string data;
};

PcdLayout parse_pcd_header(const Header& header, const fs::path& path) {
  PcdLayout pcd;
  for (std::size_t k = 0; k < header.lines.size(); ++k) {
    auto words = words_of(header.lines[k]);
    if (words.empty() || words[0][0] == '#') continue;
    const auto bad = [&](const std::string& problem) {
      return IoError(path, fmt::format("header line {}: {}", k + 1, problem));
    };
    const std::string key = words[0];
    words.erase(words.begin());
    const auto numbers = [&](std::vector<std::uint64_t>& out) {
      for (const auto& word : words) {
        std::uint64_t value = 0;
        if (!parse_count(word, value)) throw bad("'" + word + "' is not a count");
        out.push_back(value);
      }
    };
    const auto one_number = [&](std::uint64_t& out) {
      std::vector<std::uint64_t> values;
      numbers(values);
      if (values.size() != 1) throw bad(key + " takes one number");
      out = values[0];
    };
    if (key == "VERSION" || key == "VIEWPOINT") continue;
    if (key == "FIELDS")
      pcd.fields = words;
    else if (key == "SIZE")
      numbers(pcd.sizes);
    else if (key == "TYPE")
      pcd.types = words;
    else if (key == "COUNT")
      numbers(pcd.counts);
    else if (key == "WIDTH") {
      one_number(pcd.width);
      pcd.has_width = true;
    } else if (key == "HEIGHT") {
      one_number(pcd.height);
      pcd.has_height = true;
    } else if (key == "POINTS") {
      one_number(pcd.points);
      pcd.has_points = true;
    } else if (key == "DATA") {
      if (words.size() != 1 ||
          (words[0] != "ascii" && words[0] != "binary" && words[0] != "binary_compressed"))
        throw bad("expected 'DATA ascii|binary|binary_compressed'");
      pcd.data = words[0];
    } else {
      throw bad("unknown keyword '" + key + "'");
    }
  }
  const std::size_t n = pcd.fields.size();
  if (pcd.counts.empty()) pcd.counts.assign(n, 1);
  if (n == 0 || pcd.sizes.size() != n || pcd.types.size() != n || pcd.counts.size() != n)
    throw IoError(path, "FIELDS, SIZE, TYPE and COUNT must list the same number of fields");
  for (std::size_t f = 0; f < n; ++f) {
    const auto size = pcd.sizes[f];
    const bool known_type = pcd.types[f] == "F"
                                ? size == 4 || size == 8
                                : (pcd.types[f] == "I" || pcd.types[f] == "U") &&
                                      (size == 1 || size == 2 || size == 4 || size == 8);
    if (!known_type || pcd.counts[f] == 0 || pcd.counts[f] > 1024)
      throw IoError(path, fmt::format("field {}: TYPE {} SIZE {} COUNT {} is not a PCD field type",
                                      pcd.fields[f], pcd.types[f], size, pcd.counts[f]));
  }
  for (const char* axis : {"x", "y", "z"}) {
    const auto at = std::find(pcd.fields.begin(), pcd.fields.end(), axis);
    if (at == pcd.fields.end() || pcd.counts[std::size_t(at - pcd.fields.begin())] != 1)
      throw IoError(path, std::string("the PCD header has no field ") + axis);
  }
  // Open3D reads an unset count as whatever was in memory (fuzzing found a 27 GB allocation).
  if (!pcd.has_width || !pcd.has_height || !pcd.has_points)
    throw IoError(path, "the PCD header needs WIDTH, HEIGHT and POINTS");
  if (double(pcd.width) * double(pcd.height) != double(pcd.points))
    throw IoError(path, fmt::format("WIDTH x HEIGHT = {} x {} is not POINTS = {}", pcd.width,
                                    pcd.height, pcd.points));
  return pcd;
}

// Every one of the first `points` non-blank data lines holds exactly `values` numbers' words.
void check_pcd_ascii(std::ifstream& in, const fs::path& path, std::uint64_t points,
                     std::size_t header_lines, std::uint64_t values) {
  std::string line;
  std::uint64_t seen = 0;
  std::size_t number = header_lines;
  while (seen < points && std::getline(in, line)) {
    ++number;
    const auto count = words_of(line).size();
    if (count == 0) continue;
    if (count != values)
      throw IoError(path,
                    fmt::format("line {}: {} values, the fields need {}", number, count, values));
    ++seen;
  }
  if (seen < points)
    throw IoError(path, fmt::format("{} points of data, the header claims {}", seen, points));
}

void check_pcd(std::ifstream& in, const fs::path& path, double file_size) {
  const Header header = read_header(in, path, "DATA");
  const PcdLayout pcd = parse_pcd_header(header, path);
  double record = 0;
  std::uint64_t values = 0;
  for (std::size_t f = 0; f < pcd.fields.size(); ++f) {
    record += double(pcd.sizes[f] * pcd.counts[f]);
    values += pcd.counts[f];
  }
  const double data_bytes = file_size - double(header.size);
  const double points = double(pcd.points);
  if (pcd.data == "ascii") {
    check_claim(path, points, points * 2.0 * double(values), data_bytes, "points");
    check_pcd_ascii(in, path, pcd.points, header.lines.size(), values);
  } else if (pcd.data == "binary") {
    check_claim(path, points, points * record, data_bytes, "points");
  } else {
    std::array<std::uint32_t, 2> sizes{};  // compressed, uncompressed (little-endian)
    if (!in.read(reinterpret_cast<char*>(sizes.data()), sizeof sizes))
      throw IoError(path, "truncated: no compressed data sizes after DATA binary_compressed");
    if (double(sizes[1]) != points * record)
      throw IoError(path, fmt::format("the compressed data unpacks to {} bytes, {} points of {} "
                                      "bytes need {:.0f}",
                                      sizes[1], pcd.points, record, points * record));
    check_claim(path, points, double(sizes[0]), data_bytes - double(sizeof sizes), "points");
    if (double(sizes[1]) > kLzfMaxExpansion * double(sizes[0]))
      throw IoError(path, fmt::format("{} compressed bytes cannot unpack to {} (LZF expands at "
                                      "most {:.0f}-fold): a corrupt header",
                                      sizes[0], sizes[1], kLzfMaxExpansion));
  }
}

}  // namespace

void check_cloud_file(const fs::path& path) {
  std::error_code ec;
  const auto file_size = fs::file_size(path, ec);
  if (ec || file_size == 0) return;  // the caller reports a missing or empty file
  std::ifstream in(path, std::ios::binary);
  std::string extension = path.extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (extension == ".ply")
    check_ply(in, path, double(file_size));
  else
    check_pcd(in, path, double(file_size));
}

}  // namespace advect::io::detail
