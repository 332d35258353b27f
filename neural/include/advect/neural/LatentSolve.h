// The flow surrogate's encoder (FlowSurrogate.h): latents from values at observed points by a
// least-squares fit with a Gaussian prior, and its backward pass.
//
// Layout: the basis at N points is (D + 1) x N, column i = (phi_0, phi_1 .. phi_D) at point i
// (phi_0 the mean field); values are N x F (F frames at those points); latents D x F.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace advect::neural {

// The encoder's solve for one set of observed points: from their basis columns (D + 1) x N,
// M = Phi Phi^T + diag(1 / prior), factorised once for every frame seen at those points. With
// observation noise of variance sigma^2 and latents of variance v_k, prior_k = v_k / sigma^2 makes
// z the posterior mean.
class LatentSolve {
 public:
  LatentSolve(const Eigen::MatrixXd& observed_basis, const std::vector<float>& log_prior);
  // Latents (D x F) of F frames of values (N x F) at those points.
  Eigen::MatrixXd encode(const Eigen::MatrixXd& values) const;
  // Backward: given dL/dz (D x F) for encode(values) = z, adds dL/d basis ((D + 1) x N) and
  // dL/d log_prior (D).
  void backward(const Eigen::MatrixXd& values, const Eigen::MatrixXd& latents,
                const Eigen::MatrixXd& d_latents, Eigen::MatrixXd& d_basis,
                Eigen::VectorXd& d_log_prior) const;

 private:
  const Eigen::MatrixXd& basis_;  // the caller keeps it alive
  Eigen::VectorXd inverse_prior_;
  Eigen::LLT<Eigen::MatrixXd> factor_;
};

}  // namespace advect::neural
