// Where data lives and kernels run: the host CPU (OpenMP over all cores) or one CUDA device.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace advect {

enum class DeviceType { cpu, cuda };

struct Device {
  DeviceType type = DeviceType::cpu;
  int index = 0;  // CUDA device ordinal; 0 for the CPU

  static Device cpu() { return {}; }
  static Device cuda(int ordinal = 0) { return {DeviceType::cuda, ordinal}; }
  bool is_cpu() const { return type == DeviceType::cpu; }
  bool is_cuda() const { return type == DeviceType::cuda; }
  std::string name() const;  // "cpu" or "cuda:0"
  friend bool operator==(const Device&, const Device&) = default;
};

// True when this binary contains the CUDA backend (built with nvcc).
bool cuda_compiled();

// Number of CUDA devices the driver reports; 0 when CUDA is not compiled in, no driver is
// installed or no device is visible. Never throws.
int cuda_device_count();

// Names of the visible CUDA devices, by ordinal (empty without CUDA).
std::vector<std::string> cuda_device_names();

// Parses --device values: "auto" (CUDA device 0 when one is visible, else the CPU), "cpu",
// "cuda" or "cuda:N". Throws std::invalid_argument on an unknown name and std::runtime_error
// when CUDA is asked for but cannot be used, with the reason.
Device parse_device(std::string_view text);

// Threads of the CPU backend's parallel loops: OMP_NUM_THREADS where set, else every processor
// this process may run on. advect keeps this count itself and gives it to each of its parallel
// regions, so that a library loaded beside it that lowers OpenMP's own setting does not put
// advect on one core (importing Debian's PyTorch 1.13 sets that setting to 1).
int cpu_thread_count();

// Sets that count for every later parallel loop; throws std::invalid_argument unless n >= 1.
void set_cpu_thread_count(int n);

// Makes `device` current for the calling thread (cudaSetDevice); no-op for the CPU.
void activate(const Device& device);

}  // namespace advect
