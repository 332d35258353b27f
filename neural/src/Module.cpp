#include "advect/neural/Module.h"

#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "kernels/VectorOps.h"

namespace advect::neural {

std::unique_ptr<ModuleContext> RowsContext::make(std::unique_ptr<ModuleContext> reuse,
                                                 std::int64_t rows) {
  if (!dynamic_cast<RowsContext*>(reuse.get())) reuse = std::make_unique<RowsContext>();
  static_cast<RowsContext&>(*reuse).rows = rows;
  return reuse;
}

void Module::allocate_parameters(std::int64_t count) {
  parameter_count_ = count;
  owned_parameters_ = Buffer<float>(std::size_t(count), device_);
  owned_gradients_ = Buffer<float>(std::size_t(count), device_);
  parameters_ = owned_parameters_.data();
  gradients_ = owned_gradients_.data();
  with_backend(device_, [&](auto backend) { VectorOps<backend>::fill(gradients_, count, 0.0f); });
}

void Module::bind(BufferView<float> parameters, BufferView<float> gradients) {
  if (parameters.size() != std::size_t(parameter_count_) ||
      gradients.size() != std::size_t(parameter_count_) || parameters.device() != device_ ||
      gradients.device() != device_) {
    throw std::invalid_argument("Module::bind: views of the wrong size or device");
  }
  parameters.copy_from(this->parameters());
  gradients.copy_from(this->gradients());
  parameters_ = parameters.data();
  gradients_ = gradients.data();
  parameters_moved();
  owned_parameters_ = Buffer<float>();
  owned_gradients_ = Buffer<float>();
}

}  // namespace advect::neural
