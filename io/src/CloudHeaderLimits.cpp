#include "CloudHeaderLimits.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "advect/io/IoError.h"

namespace advect::io::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeaderBytes = 1 << 16;  // headers larger than this are not ours to judge
// LZF encodes a run of up to 264 repeated bytes in 3: no valid stream expands more than 88-fold.
constexpr double kLzfMaxExpansion = 100.0;

bool parse_count(const std::string& word, double& count) {
  unsigned long long value = 0;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc() || end != word.data() + word.size()) return false;
  count = double(value);
  return true;
}

std::size_t ply_type_size(const std::string& type) {
  if (type == "char" || type == "uchar" || type == "int8" || type == "uint8") return 1;
  if (type == "short" || type == "ushort" || type == "int16" || type == "uint16") return 2;
  if (type == "double" || type == "float64") return 8;
  return 4;  // int, uint, float and their sized names
}

struct Claim {
  double points = 0;       // what the header says
  double least_bytes = 0;  // the fewest bytes of data those points need
  std::string what;        // "vertices", "points"
};

// PLY: every element's count times the least bytes of one of its records.
bool ply_claim(std::istringstream& header, bool& found_end, Claim& claim) {
  std::string line, format;
  double elements = 0, record_binary = 0, record_ascii = 0;
  auto close_element = [&] {
    claim.least_bytes += elements * (format == "ascii" ? record_ascii : record_binary);
  };
  while (std::getline(header, line)) {
    std::istringstream words(line);
    std::string keyword;
    words >> keyword;
    if (keyword == "format") {
      words >> format;
    } else if (keyword == "element") {
      close_element();
      std::string name, count;
      words >> name >> count;
      if (!parse_count(count, elements)) return false;
      record_binary = record_ascii = 0;
      if (name == "vertex") claim.points = elements;
    } else if (keyword == "property") {
      std::string type;
      words >> type;
      if (type == "list") words >> type;  // a list holds at least its count
      record_binary += double(ply_type_size(type));
      record_ascii += 2;
    } else if (keyword == "end_header") {
      close_element();
      found_end = true;
      return true;
    }
  }
  return true;
}

// PCD: POINTS (or WIDTH x HEIGHT) records of SIZE x COUNT bytes, or two characters per value.
bool pcd_claim(std::istringstream& header, bool& found_end, Claim& claim) {
  std::string line;
  std::vector<double> sizes, counts;
  double width = 0, height = 1, points = -1;
  while (std::getline(header, line)) {
    std::istringstream words(line);
    std::string keyword, word;
    words >> keyword;
    if (keyword == "SIZE" || keyword == "COUNT") {
      auto& list = keyword == "SIZE" ? sizes : counts;
      double value = 0;
      while (words >> word)
        if (parse_count(word, value)) list.push_back(value);
    } else if (keyword == "WIDTH" || keyword == "HEIGHT" || keyword == "POINTS") {
      words >> word;
      double value = 0;
      if (!parse_count(word, value)) return false;
      (keyword == "WIDTH" ? width : keyword == "HEIGHT" ? height : points) = value;
    } else if (keyword == "DATA") {
      std::string encoding;
      words >> encoding;
      claim.points = std::max(points, width * height);
      double record = 0, values = 0;
      for (std::size_t f = 0; f < sizes.size(); ++f) {
        const double count = f < counts.size() ? counts[f] : 1;
        record += sizes[f] * count;
        values += count;
      }
      const double per_point = encoding == "ascii"               ? 2 * values
                               : encoding == "binary_compressed" ? record / kLzfMaxExpansion
                                                                 : record;
      claim.least_bytes = claim.points * per_point;
      found_end = true;
      return true;
    }
  }
  return true;
}

}  // namespace

void check_cloud_header_claims(const fs::path& path) {
  std::error_code ec;
  const auto file_size = fs::file_size(path, ec);
  if (ec) return;  // Open3D's reader reports it
  std::ifstream in(path, std::ios::binary);
  std::string head(kHeaderBytes, '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(std::size_t(in.gcount()));
  std::istringstream header(head);
  std::string extension = path.extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  const bool ply = extension == ".ply";
  Claim claim;
  claim.what = ply ? "vertices" : "points";
  bool found_end = false;
  if (!(ply ? ply_claim(header, found_end, claim) : pcd_claim(header, found_end, claim))) return;
  if (!found_end) return;
  const auto header_size = header.tellg() < 0 ? head.size() : std::size_t(header.tellg());
  const double data_bytes = double(file_size) - double(header_size);
  if (claim.least_bytes > data_bytes) {
    throw IoError(path, fmt::format("the header claims {:.0f} {} but the file holds only {:.0f} "
                                    "bytes of data (truncated, or a corrupt header)",
                                    claim.points, claim.what, std::max(data_bytes, 0.0)));
  }
}

}  // namespace advect::io::detail
