// The central difference (loss(v_i + h) - loss(v_i - h)) / 2h of a scalar loss with respect to
// value i of a device array, the reference the hand-written backward passes are checked against.
// The array is left as it was.
#pragma once

#include <cstddef>

#include "advect/engine/BufferView.h"

namespace advect::testing {

template <class Loss>
double central_difference(BufferView<float> values, std::size_t i, float h, Loss loss) {
  auto host = values.to_host();
  const float original = host[i];
  host[i] = original + h;
  values.copy_from_host(host);
  const double plus = loss();
  host[i] = original - h;
  values.copy_from_host(host);
  const double minus = loss();
  host[i] = original;
  values.copy_from_host(host);
  return (plus - minus) / (2.0 * double(h));
}

}  // namespace advect::testing
