// The CSV files of `advect surrogate predict`: observations ("t,x,y,value") when the input's
// first byte is even, query points ("x,y") when odd.
#include "FuzzInput.h"
#include "advect/io/SurrogateFiles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0)
    return advect::fuzz::read_input(data + 1, size - 1, "obs.csv",
                                    advect::io::read_observations_csv);
  return advect::fuzz::read_input(data + 1, size - 1, "points.csv", advect::io::read_points_csv);
}
