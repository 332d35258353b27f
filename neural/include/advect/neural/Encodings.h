// The parameter-free encodings as Modules (Module.h), created by name with create_encoding
// (Components.h). The hash grid, which has parameters, is HashEncoding.h.
//   "Identity":           y = x                                   (input gradient: yes)
//   "Frequency":          y = gamma(x), FourierFeatures.h's layout (input gradient: yes)
//   "SphericalHarmonics": the 16 degree-4 values of a unit 3-vector (input gradient: no)
#pragma once

#include "advect/neural/FourierFeatures.h"
#include "advect/neural/Module.h"

namespace advect::neural {

class IdentityEncoding : public Module {
 public:
  IdentityEncoding(int dims, const Device& device);
  int input_dims() const override { return dims_; }
  int output_dims() const override { return dims_; }
  std::unique_ptr<ModuleContext> forward(
      const float* input, std::int64_t n, float* output,
      std::unique_ptr<ModuleContext> reuse = nullptr) const override;
  void backward(ModuleContext& context, const float* input, const float* d_output, float* d_input,
                GradientMode mode) override;
  void initialise(std::uint64_t /*seed*/) override {}

 private:
  int dims_;
};

class FrequencyEncoding : public Module {
 public:
  FrequencyEncoding(const FourierFeatures& features, const Device& device);
  int input_dims() const override { return features_.input_dims; }
  int output_dims() const override { return features_.output_dims(); }
  std::unique_ptr<ModuleContext> forward(
      const float* input, std::int64_t n, float* output,
      std::unique_ptr<ModuleContext> reuse = nullptr) const override;
  void backward(ModuleContext& context, const float* input, const float* d_output, float* d_input,
                GradientMode mode) override;
  void initialise(std::uint64_t /*seed*/) override {}
  const FourierFeatures& features() const { return features_; }

 private:
  FourierFeatures features_;
};

class SphericalHarmonicsEncoding : public Module {
 public:
  explicit SphericalHarmonicsEncoding(const Device& device);
  int input_dims() const override { return 3; }
  int output_dims() const override;
  std::unique_ptr<ModuleContext> forward(
      const float* input, std::int64_t n, float* output,
      std::unique_ptr<ModuleContext> reuse = nullptr) const override;
  // Throws std::logic_error for a d_input: the view direction is never differentiated.
  void backward(ModuleContext& context, const float* input, const float* d_output, float* d_input,
                GradientMode mode) override;
  void initialise(std::uint64_t /*seed*/) override {}
};

}  // namespace advect::neural
