#include "advect/neural/Encodings.h"

#include <stdexcept>

#include "advect/engine/Memory.h"
#include "advect/neural/SphericalHarmonics.h"

namespace advect::neural {

IdentityEncoding::IdentityEncoding(int dims, const Device& device) : Module(device), dims_(dims) {
  if (dims < 1) throw std::invalid_argument("Identity encoding: n_input_dims must be positive");
}

std::unique_ptr<ModuleContext> IdentityEncoding::forward(
    const float* input, std::int64_t n, float* output, std::unique_ptr<ModuleContext> reuse) const {
  if (n > 0) {
    detail::copy_bytes(output, device(), input, device(), std::size_t(n * dims_) * sizeof(float));
  }
  return RowsContext::make(std::move(reuse), n);
}

void IdentityEncoding::backward(ModuleContext& context, const float* /*input*/,
                                const float* d_output, float* d_input, GradientMode /*mode*/) {
  const std::int64_t n = dynamic_cast<RowsContext&>(context).rows;
  if (d_input && n > 0) {
    detail::copy_bytes(d_input, device(), d_output, device(),
                       std::size_t(n * dims_) * sizeof(float));
  }
}

FrequencyEncoding::FrequencyEncoding(const FourierFeatures& features, const Device& device)
    : Module(device), features_(features) {
  if (features.input_dims < 1 || features.levels < 0 ||
      (features.levels == 0 && !features.include_input)) {
    throw std::invalid_argument(
        "Frequency encoding: n_input_dims must be positive, n_frequencies >= 0, and there must "
        "be some output");
  }
}

std::unique_ptr<ModuleContext> FrequencyEncoding::forward(
    const float* input, std::int64_t n, float* output, std::unique_ptr<ModuleContext> reuse) const {
  encode(features_, input, output, n, device());
  return RowsContext::make(std::move(reuse), n);
}

void FrequencyEncoding::backward(ModuleContext& context, const float* input, const float* d_output,
                                 float* d_input, GradientMode /*mode*/) {
  if (d_input) {
    encode_backward(features_, input, d_output, d_input, dynamic_cast<RowsContext&>(context).rows,
                    device());
  }
}

SphericalHarmonicsEncoding::SphericalHarmonicsEncoding(const Device& device) : Module(device) {}

int SphericalHarmonicsEncoding::output_dims() const {
  return kSphericalHarmonicsValues;
}

std::unique_ptr<ModuleContext> SphericalHarmonicsEncoding::forward(
    const float* input, std::int64_t n, float* output, std::unique_ptr<ModuleContext> reuse) const {
  encode_spherical_harmonics(input, n, output, kSphericalHarmonicsValues, device());
  return RowsContext::make(std::move(reuse), n);
}

void SphericalHarmonicsEncoding::backward(ModuleContext& /*context*/, const float* /*input*/,
                                          const float* /*d_output*/, float* d_input,
                                          GradientMode /*mode*/) {
  if (d_input) {
    throw std::logic_error(
        "the spherical-harmonics encoding has no gradient with respect to its input");
  }
}

}  // namespace advect::neural
