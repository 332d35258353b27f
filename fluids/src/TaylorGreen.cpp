#include "advect/fluids/TaylorGreen.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace advect::fluids {

FlowDomain taylor_green_domain(int n) {
  FlowDomain domain;
  domain.nx = domain.ny = n;
  domain.h = 2 * std::numbers::pi / n;
  domain.periodic_x = domain.periodic_y = true;
  return domain;
}

FaceVelocity taylor_green(const MacGeometry& g, double viscosity, double t) {
  const double decay = std::exp(-2 * viscosity * t), h = g.h;
  FaceVelocity out;
  out.u.resize(std::size_t(g.nux) * std::size_t(g.ny));
  out.v.resize(std::size_t(g.nx) * std::size_t(g.nvy));
  for (int j = 0; j < g.ny; ++j) {
    for (int i = 0; i < g.nux; ++i) {
      out.u[std::size_t(j) * std::size_t(g.nux) + std::size_t(i)] =
          std::sin(i * h) * std::cos((j + 0.5) * h) * decay;
    }
  }
  for (int j = 0; j < g.nvy; ++j) {
    for (int i = 0; i < g.nx; ++i) {
      out.v[std::size_t(j) * std::size_t(g.nx) + std::size_t(i)] =
          -std::cos((i + 0.5) * h) * std::sin(j * h) * decay;
    }
  }
  return out;
}

double rms_difference(const FaceVelocity& exact, const std::vector<double>& u,
                      const std::vector<double>& v) {
  if (u.size() != exact.u.size() || v.size() != exact.v.size()) {
    throw std::invalid_argument("rms_difference: fields of different sizes");
  }
  double sum = 0.0;
  for (std::size_t k = 0; k < u.size(); ++k) sum += std::pow(u[k] - exact.u[k], 2);
  for (std::size_t k = 0; k < v.size(); ++k) sum += std::pow(v[k] - exact.v[k], 2);
  return std::sqrt(sum / double(u.size() + v.size()));
}

}  // namespace advect::fluids
