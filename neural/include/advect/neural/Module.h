// The differentiable component of neural/, in the shape of tiny-cuda-nn's DifferentiableObject:
// encodings and networks are Modules, a model is a JSON document of Modules (Components.h), and
// its parameters and their gradients each live in one buffer that the model owns.
//
// Layouts: inputs n x input_dims() and outputs n x output_dims(), float32 row-major, on the
// module's device. A module's parameters are parameter_count() floats; it owns them until
// bind() points it at a slice of a larger buffer.
#pragma once

#include <cstdint>
#include <memory>

#include "advect/engine/Buffer.h"
#include "advect/engine/BufferView.h"
#include "advect/engine/HostDevice.h"

namespace advect::neural {

// What a forward pass keeps for its backward pass. Passing a context back into forward() lets it
// reuse its memory, so a training loop allocates only when the batch grows.
class ModuleContext {
 public:
  virtual ~ModuleContext() = default;
};

// The context of a module whose backward pass needs nothing but its input: the row count.
struct RowsContext : ModuleContext {
  std::int64_t rows = 0;
  // `reuse` if it is a RowsContext, else a new one; either way holding `rows`.
  static std::unique_ptr<ModuleContext> make(std::unique_ptr<ModuleContext> reuse,
                                             std::int64_t rows);
};

enum class GradientMode {
  overwrite,   // gradients = dL/d parameters of this batch
  accumulate,  // gradients += dL/d parameters of this batch
};

class Module {
 public:
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  virtual int input_dims() const = 0;
  virtual int output_dims() const = 0;
  const Device& device() const { return device_; }
  std::int64_t parameter_count() const { return parameter_count_; }

  // output = f(input) for n rows. `reuse` (a context from an earlier call of this module, or
  // null) is refilled and returned.
  virtual std::unique_ptr<ModuleContext> forward(
      const float* input, std::int64_t n, float* output,
      std::unique_ptr<ModuleContext> reuse = nullptr) const = 0;
  // For dL/d output of the forward pass that filled `context`: writes or adds dL/d parameters
  // into gradients() and, when d_input is not null, writes dL/d input (n x input_dims). A module
  // that cannot differentiate with respect to its input throws std::logic_error for a d_input.
  virtual void backward(ModuleContext& context, const float* input, const float* d_output,
                        float* d_input, GradientMode mode) = 0;
  // Re-draws the parameters from `seed` (deterministic, the same on every device).
  virtual void initialise(std::uint64_t seed) = 0;

  BufferView<float> parameters() { return {parameters_, std::size_t(parameter_count_), device_}; }
  BufferView<const float> parameters() const {
    return {parameters_, std::size_t(parameter_count_), device_};
  }
  BufferView<float> gradients() { return {gradients_, std::size_t(parameter_count_), device_}; }
  BufferView<const float> gradients() const {
    return {gradients_, std::size_t(parameter_count_), device_};
  }
  // From now on the parameters and gradients are these views (parameter_count() floats each, on
  // the module's device), owned by the caller; the current parameter values move there.
  void bind(BufferView<float> parameters, BufferView<float> gradients);

 protected:
  explicit Module(const Device& device) : device_(device) {}
  // Called by bind() once the parameters have moved, before the old storage is freed: a module
  // made of modules points them at their slices here.
  virtual void parameters_moved() {}
  // Called once by a constructor: allocates owned storage for `count` parameters, gradients zero.
  void allocate_parameters(std::int64_t count);

 private:
  Device device_;
  std::int64_t parameter_count_ = 0;
  Buffer<float> owned_parameters_, owned_gradients_;
  float* parameters_ = nullptr;
  float* gradients_ = nullptr;
};

}  // namespace advect::neural
