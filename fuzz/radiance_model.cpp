// radiance::from_bytes on a model file's bytes but its CRC-32: the harness appends the right
// checksum, so that the fuzzer explores the tag, version, configuration JSON and parameter blocks
// behind it. The documented refusal is std::runtime_error naming the source.
#include <zlib.h>

#include <stdexcept>

#include "FuzzInput.h"
#include "advect/engine/Device.h"
#include "advect/radiance/RadianceFieldFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(advect::fuzz::as_view(data, size));
  const auto crc = std::uint32_t(crc32(crc32(0L, Z_NULL, 0), data, uInt(size)));
  bytes.append(reinterpret_cast<const char*>(&crc), sizeof crc);  // little-endian, as written
  try {
    (void)advect::radiance::from_bytes(bytes, "fuzz.model", advect::Device::cpu());
  } catch (const std::runtime_error&) {
  }
  return 0;
}
