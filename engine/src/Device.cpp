#include "advect/engine/Device.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include "CudaRuntime.h"

namespace advect {

std::string Device::name() const {
  return is_cpu() ? std::string("cpu") : "cuda:" + std::to_string(index);
}

bool cuda_compiled() {
  return detail::cuda_runtime_compiled();
}

int cuda_device_count() {
  return detail::cuda_runtime_device_count();
}

std::vector<std::string> cuda_device_names() {
  std::vector<std::string> names;
  for (int i = 0; i < cuda_device_count(); ++i)
    names.push_back(detail::cuda_runtime_device_name(i));
  return names;
}

namespace {

// OMP_NUM_THREADS's first entry when it is a positive number, else the processors OpenMP may use.
int initial_cpu_thread_count() {
  if (const char* setting = std::getenv("OMP_NUM_THREADS")) {
    char* end = nullptr;
    const long count = std::strtol(setting, &end, 10);
    if (end != setting && count >= 1) return int(std::min<long>(count, 4096));
  }
  return std::max(1, omp_get_num_procs());
}

std::atomic<int>& cpu_threads() {
  static std::atomic<int> count{initial_cpu_thread_count()};
  return count;
}

}  // namespace

int cpu_thread_count() {
  return cpu_threads().load(std::memory_order_relaxed);
}

void set_cpu_thread_count(int n) {
  if (n < 1) throw std::invalid_argument("the CPU thread count must be at least 1");
  cpu_threads().store(n, std::memory_order_relaxed);
}

void activate(const Device& device) {
  if (device.is_cuda()) detail::cuda_runtime_set_device(device.index);
}

namespace {

Device require_cuda(int ordinal) {
  if (!cuda_compiled()) {
    throw std::runtime_error(
        "this advect binary was built without CUDA (configure with ADVECT_CUDA=ON)");
  }
  const int count = cuda_device_count();
  if (count == 0)
    throw std::runtime_error("no CUDA device is visible (" + detail::cuda_runtime_why_none() + ")");
  if (ordinal >= count) {
    throw std::runtime_error("CUDA device " + std::to_string(ordinal) + " requested but only " +
                             std::to_string(count) + " visible");
  }
  return Device::cuda(ordinal);
}

}  // namespace

Device parse_device(std::string_view text) {
  if (text == "auto") return cuda_device_count() > 0 ? Device::cuda(0) : Device::cpu();
  if (text == "cpu") return Device::cpu();
  if (text == "cuda") return require_cuda(0);
  if (text.starts_with("cuda:")) {
    int ordinal = -1;
    const auto digits = text.substr(5);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ordinal);
    if (ec == std::errc() && end == digits.data() + digits.size() && ordinal >= 0) {
      return require_cuda(ordinal);
    }
  }
  throw std::invalid_argument("unknown device '" + std::string(text) +
                              "' (expected auto, cpu, cuda or cuda:N)");
}

}  // namespace advect
