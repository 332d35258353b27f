#include "advect/neural/LatentSolve.h"

#include <cmath>

namespace advect::neural {

LatentSolve::LatentSolve(const Eigen::MatrixXd& observed_basis, const std::vector<float>& log_prior)
    : basis_(observed_basis) {
  const auto d = observed_basis.rows() - 1;
  inverse_prior_.resize(d);
  for (Eigen::Index k = 0; k < d; ++k)
    inverse_prior_[k] = std::exp(-double(log_prior[std::size_t(k)]));
  const auto phi = observed_basis.bottomRows(d);
  // Only the lower triangle: all the Cholesky factorisation reads, half the product's cost.
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(d, d);
  m.selfadjointView<Eigen::Lower>().rankUpdate(phi);
  m.diagonal() += inverse_prior_;
  factor_.compute(m);
}

Eigen::MatrixXd LatentSolve::encode(const Eigen::MatrixXd& values) const {
  const auto d = basis_.rows() - 1;
  const Eigen::MatrixXd centred = values.colwise() - basis_.row(0).transpose();
  return factor_.solve(basis_.bottomRows(d) * centred);
}

// z = M^-1 Phi (Y - phi_0) with M = Phi Phi^T + diag(exp(-s)). With A = M^-1 dL/dz and the
// residual R = Y - phi_0 - Phi^T z: dL/dPhi = A R^T - Z A^T Phi,
// dL/dphi_0 = -(sum over frames of A)^T Phi, dL/ds_k = exp(-s_k) sum_f A_kf Z_kf.
void LatentSolve::backward(const Eigen::MatrixXd& values, const Eigen::MatrixXd& latents,
                           const Eigen::MatrixXd& d_latents, Eigen::MatrixXd& d_basis,
                           Eigen::VectorXd& d_log_prior) const {
  const auto d = basis_.rows() - 1;
  const auto phi = basis_.bottomRows(d);
  const Eigen::MatrixXd a = factor_.solve(d_latents);
  const Eigen::MatrixXd residual =
      (values.colwise() - basis_.row(0).transpose()) - phi.transpose() * latents;
  d_basis.bottomRows(d) += a * residual.transpose() - latents * (a.transpose() * phi);
  d_basis.row(0) -= a.rowwise().sum().transpose() * phi;
  d_log_prior += (inverse_prior_.array() * (a.array() * latents.array()).rowwise().sum()).matrix();
}

}  // namespace advect::neural
