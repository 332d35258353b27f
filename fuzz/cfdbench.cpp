// A CFDBench dataset (two case folders) read as `surrogate train` reads it, with one bad member:
// the input's first byte picks the first case's case.json (even) or the second case's u.npy (odd).
#include <vector>

#include "FuzzInput.h"
#include "advect/io/CfdBench.h"

namespace fs = std::filesystem;
using namespace advect;

namespace {

const fs::path& dataset() {
  static const fs::path folder = [] {
    const auto path = fuzz::scratch() / "dataset";
    const std::vector<float> frames(2 * 3 * 4, 0.5f);  // (T, H, W) = (2, 3, 4)
    for (const char* name : {"case0000", "case0001"})
      io::write_cfdbench_case(path / name, {{"u", frames}}, 3, 4, R"({"frame_interval": 0.1})");
    return path;
  }();
  return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const fs::path& folder = dataset();
  const auto member = folder / (data[0] % 2 == 0 ? "case0000/case.json" : "case0001/u.npy");
  const auto bytes = fuzz::as_view(data + 1, size - 1);
  fuzz::write_bytes(member, bytes);
  try {
    (void)io::read_cfdbench_cases(folder, "u", io::CaseSplit::all, 0.5);
  } catch (const io::IoError&) {
  }
  return 0;
}
