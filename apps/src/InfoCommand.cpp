// `advect info`: what this binary was built with and what it can run on.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <iostream>

#include "Command.h"
#include "advect/engine/BuildInfo.h"
#include "advect/engine/Device.h"

namespace advect::app {

namespace {

class InfoCommand final : public Command {
 public:
  explicit InfoCommand(CLI::App& parent) {
    app_ = parent.add_subcommand("info",
                                 "Version, build type, compiled backends, CUDA devices, threads");
    app_->add_flag("--json", json_, "Print one JSON object instead of text");
  }

  int run() override {
    nlohmann::json info;
    info["version"] = build_info::kVersion;
    info["build_type"] = build_info::kBuildType;
    info["backends"] = cuda_compiled() ? nlohmann::json{"cpu", "cuda"} : nlohmann::json{"cpu"};
    info["cuda_devices"] = cuda_device_count();
    info["cuda_device_names"] = cuda_device_names();
    info["cuda_architectures"] = cuda_compiled() ? build_info::kCudaArchitectures : "";
    info["threads"] = cpu_thread_count();
    if (json_) {
      std::cout << info.dump(2) << '\n';
      return 0;
    }
    std::cout << fmt::format("advect {} ({} build)\n", build_info::kVersion, build_info::kBuildType)
              << fmt::format("  backends:     {}\n",
                             cuda_compiled()
                                 ? fmt::format("cpu, cuda (sm {})", build_info::kCudaArchitectures)
                                 : "cpu (built without CUDA)")
              << fmt::format("  CPU threads:  {}\n", cpu_thread_count());
    const auto names = cuda_device_names();
    std::cout << fmt::format("  CUDA devices: {}\n", names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      std::cout << fmt::format("    cuda:{}  {}\n", i, names[i]);
    return 0;
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_info_command(CLI::App& parent) {
  return std::make_unique<InfoCommand>(parent);
}

}  // namespace advect::app
