// 2-D incompressible Navier-Stokes in vorticity form on the periodic unit square (the torus
// [0, 1)^2, lengths in metres, time in seconds):
//
//   dw/dt + u . grad w = nu laplace w + f,   u = (dpsi/dy, -dpsi/dx),   -laplace psi = w
//
// solved pseudo-spectrally (FFTW): derivatives in Fourier space, the product u . grad w in
// physical space with the 2/3 rule against aliasing, and time by the integrating-factor RK4
// (diffusion exactly, the rest by RK4), with a CFL-limited step. CPU only: it makes training data.
//
// Layout: n * n values, x fastest: w(i / n, j / n) at j * n + i (grid points, not cell centres).
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <vector>

namespace advect::fluids {

class SpectralVorticity {
 public:
  // `forcing` holds n * n values of f (1/s^2) in the layout above, or is empty (none).
  SpectralVorticity(int n, double viscosity, const std::vector<double>& forcing = {});
  ~SpectralVorticity();
  SpectralVorticity(const SpectralVorticity&) = delete;
  SpectralVorticity& operator=(const SpectralVorticity&) = delete;

  void set_vorticity(const std::vector<double>& w);  // 1/s; its mean is dropped (no effect)
  std::vector<double> vorticity() const;
  // The velocity at the grid points: u then v per point (2 n^2 values), m/s.
  std::vector<double> velocity() const;
  // Steps of at most max_dt, each also at most cfl h / max(|u|, |v|), landing on time() + span.
  // Returns the number of steps.
  int advance(double span, double max_dt = 1e-2, double cfl = 0.5);
  double time() const { return time_; }
  int size() const { return n_; }

 private:
  struct Plans;
  using Spectrum = std::vector<std::complex<double>>;  // n x (n/2 + 1), ky rows
  // dw/dt without diffusion: -(u . grad w) + f, dealiased, of the spectrum w.
  void nonlinear(const Spectrum& w, Spectrum& out, double* max_speed);
  void step(double dt, const Spectrum& rate_at_start);

  int n_ = 0;
  double viscosity_ = 0.0, time_ = 0.0;
  Spectrum w_, forcing_;
  std::vector<double> kx_, ky_, k2_;  // wavenumbers (2 pi k, rad/m) per spectral entry
  std::vector<bool> kept_;            // inside the 2/3 rule
  // Scratch of nonlinear() and step(), kept to avoid allocations every step.
  std::vector<double> scratch_fields_[4], scratch_product_, half_step_, full_step_;
  Spectrum scratch_spectrum_, stage_rates_[3], stage_;
  std::unique_ptr<Plans> plans_;
};

// The forcing of Li et al. (2021, Fourier neural operator) on the torus:
// 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)), at the n x n grid points.
std::vector<double> li_forcing(int n);

// A Gaussian random field on the torus with covariance sigma^2 (-laplace + tau^2)^(-alpha),
// tau = 7, alpha = 2.5, sigma = tau^(alpha - 1), sampled as Li et al. (2021) do (Fourier
// coefficients sqrt(2) sigma (4 pi^2 |k|^2 + tau^2)^(-alpha/2) times complex standard normals,
// zero mean), at the n x n grid points; the same seed gives the same field.
std::vector<double> gaussian_random_field(int n, std::uint64_t seed);

}  // namespace advect::fluids
