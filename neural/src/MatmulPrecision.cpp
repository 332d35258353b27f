#include <stdexcept>
#include <string>

#include "advect/neural/Blas.h"

namespace advect::neural {

MatmulPrecision matmul_precision(const std::string& name) {
  if (name == "fp32") return MatmulPrecision::fp32;
  if (name == "bf16") return MatmulPrecision::bf16;
  throw std::invalid_argument("unknown precision '" + name + "' (fp32, bf16)");
}

const char* name_of(MatmulPrecision precision) {
  return precision == MatmulPrecision::bf16 ? "bf16" : "fp32";
}

}  // namespace advect::neural
