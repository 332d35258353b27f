#include "advect/neural/Loss.h"

#include <cmath>
#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "kernels/LossKernels.h"

namespace advect::neural {

Loss::Loss(LossKind kind, float huber_delta) : kind_(kind), huber_delta_(huber_delta) {
  if (!(huber_delta > 0.0f) || !std::isfinite(huber_delta)) {
    throw std::invalid_argument("Huber loss: delta must be positive");
  }
}

std::string Loss::name() const {
  switch (kind_) {
    case LossKind::l2:
      return "L2";
    case LossKind::l1:
      return "L1";
    case LossKind::relative_l2:
      return "RelativeL2";
    case LossKind::huber:
      break;
  }
  return "Huber";
}

double Loss::evaluate(const float* prediction, const float* target, std::int64_t n, int dims,
                      float* d_prediction, const Device& device) const {
  const std::int64_t count = n * dims;
  if (count <= 0) return 0.0;
  double sum = 0.0;
  with_backend(device, [&](auto backend) {
    sum = LossKernels<backend>::evaluate(kind_, huber_delta_, prediction, target, count,
                                         float(1.0 / double(count)), d_prediction);
  });
  return sum / double(count);
}

}  // namespace advect::neural
