#include "advect/fluids/SpectralVorticity.h"

#include <fftw3.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

namespace advect::fluids {

namespace {
constexpr double kTwoPi = 2.0 * std::numbers::pi;
}

// FFTW plans on buffers of their own (FFTW wants its alignment); spectra are kept as Fourier
// amplitudes (forward transform / n^2), so the unnormalised inverse gives the field back.
struct SpectralVorticity::Plans {
  int n;
  double* real;
  fftw_complex* spectrum;
  fftw_plan forward, backward;
  explicit Plans(int size) : n(size) {
    const auto half = std::size_t(n) * std::size_t(n / 2 + 1);
    real = fftw_alloc_real(std::size_t(n) * std::size_t(n));
    spectrum = fftw_alloc_complex(half);
    forward = fftw_plan_dft_r2c_2d(n, n, real, spectrum, FFTW_ESTIMATE);
    backward = fftw_plan_dft_c2r_2d(n, n, spectrum, real, FFTW_ESTIMATE);
  }
  ~Plans() {
    fftw_destroy_plan(forward);
    fftw_destroy_plan(backward);
    fftw_free(real);
    fftw_free(spectrum);
  }
  Plans(const Plans&) = delete;
  Plans& operator=(const Plans&) = delete;

  void to_spectrum(const double* field, Spectrum& out) {
    std::copy(field, field + std::size_t(n) * std::size_t(n), real);
    fftw_execute(forward);
    out.resize(std::size_t(n) * std::size_t(n / 2 + 1));
    const double scale = 1.0 / (double(n) * n);
    for (std::size_t k = 0; k < out.size(); ++k) {
      out[k] = {spectrum[k][0] * scale, spectrum[k][1] * scale};
    }
  }
  // The field of a spectrum into `real` (valid until the next call).
  const double* to_field(const Spectrum& in) {
    for (std::size_t k = 0; k < in.size(); ++k) {
      spectrum[k][0] = in[k].real();
      spectrum[k][1] = in[k].imag();
    }
    fftw_execute(backward);  // destroys `spectrum`, which is only scratch here
    return real;
  }
};

SpectralVorticity::SpectralVorticity(int n, double viscosity, const std::vector<double>& forcing)
    : n_(n), viscosity_(viscosity) {
  if (n < 8 || n % 2 != 0) throw std::invalid_argument("spectral grid: an even n >= 8");
  if (!(viscosity > 0.0)) throw std::invalid_argument("spectral solver: viscosity > 0");
  if (!forcing.empty() && forcing.size() != std::size_t(n) * std::size_t(n)) {
    throw std::invalid_argument(
        fmt::format("forcing: {} values for a {}^2 grid", forcing.size(), n));
  }
  plans_ = std::make_unique<Plans>(n);
  const int columns = n / 2 + 1;
  for (int j = 0; j < n; ++j) {
    const int ky = j <= n / 2 ? j : j - n;
    for (int i = 0; i < columns; ++i) {
      kx_.push_back(kTwoPi * i);
      ky_.push_back(kTwoPi * ky);
      k2_.push_back(kx_.back() * kx_.back() + ky_.back() * ky_.back());
      // The 2/3 rule: products of kept modes alias only onto modes that are dropped.
      kept_.push_back(3 * i < n && 3 * std::abs(ky) < n);
    }
  }
  w_.assign(kx_.size(), 0.0);
  forcing_.assign(kx_.size(), 0.0);
  if (!forcing.empty()) {
    plans_->to_spectrum(forcing.data(), forcing_);
    for (std::size_t k = 0; k < forcing_.size(); ++k) forcing_[k] *= kept_[k] ? 1.0 : 0.0;
  }
}

SpectralVorticity::~SpectralVorticity() = default;

void SpectralVorticity::set_vorticity(const std::vector<double>& w) {
  if (w.size() != std::size_t(n_) * std::size_t(n_)) {
    throw std::invalid_argument(fmt::format("vorticity: {} values for a {}^2 grid", w.size(), n_));
  }
  plans_->to_spectrum(w.data(), w_);
  w_[0] = 0.0;
  for (std::size_t k = 0; k < w_.size(); ++k) w_[k] *= kept_[k] ? 1.0 : 0.0;
}

std::vector<double> SpectralVorticity::vorticity() const {
  const double* field = plans_->to_field(w_);
  return {field, field + std::size_t(n_) * std::size_t(n_)};
}

std::vector<double> SpectralVorticity::velocity() const {
  const std::size_t points = std::size_t(n_) * std::size_t(n_);
  std::vector<double> out(2 * points);
  Spectrum component(w_.size());
  for (int c = 0; c < 2; ++c) {
    // u = dpsi/dy, v = -dpsi/dx with psi = w / |k|^2.
    for (std::size_t k = 1; k < w_.size(); ++k) {
      const double derivative = c == 0 ? ky_[k] : -kx_[k];
      component[k] = std::complex<double>(0.0, derivative) * w_[k] / k2_[k];
    }
    component[0] = 0.0;
    const double* field = plans_->to_field(component);
    for (std::size_t p = 0; p < points; ++p) out[2 * p + std::size_t(c)] = field[p];
  }
  return out;
}

void SpectralVorticity::nonlinear(const Spectrum& w, Spectrum& out, double* max_speed) {
  const std::size_t points = std::size_t(n_) * std::size_t(n_);
  // u, v, dw/dx, dw/dy at the grid points, then their products summed.
  std::vector<double>* fields = scratch_fields_;
  Spectrum& derivative = scratch_spectrum_;
  derivative.resize(w.size());
  for (int f = 0; f < 4; ++f) {
    for (std::size_t k = 1; k < w.size(); ++k) {
      const double factor = f == 0   ? ky_[k] / k2_[k]
                            : f == 1 ? -kx_[k] / k2_[k]
                            : f == 2 ? kx_[k]
                                     : ky_[k];
      derivative[k] = std::complex<double>(0.0, factor) * w[k];
    }
    derivative[0] = 0.0;
    const double* field = plans_->to_field(derivative);
    fields[f].assign(field, field + points);
  }
  std::vector<double>& advection = scratch_product_;
  advection.resize(points);
  double speed = 0.0;
  for (std::size_t p = 0; p < points; ++p) {
    advection[p] = fields[0][p] * fields[2][p] + fields[1][p] * fields[3][p];
    speed = std::max({speed, std::abs(fields[0][p]), std::abs(fields[1][p])});
  }
  if (max_speed) *max_speed = speed;
  plans_->to_spectrum(advection.data(), out);
  for (std::size_t k = 0; k < out.size(); ++k) {
    out[k] = kept_[k] ? forcing_[k] - out[k] : 0.0;
  }
}

void SpectralVorticity::step(double dt, const Spectrum& k1) {
  // Integrating-factor RK4 on w(t) e^{nu |k|^2 t}: exact for the diffusion, fourth order for
  // the rest; k1, the rate at the start, was evaluated by advance() (it sets the step size).
  const std::size_t m = w_.size();
  Spectrum &k2 = stage_rates_[0], &k3 = stage_rates_[1], &k4 = stage_rates_[2];
  Spectrum& stage = stage_;
  stage.resize(m);
  std::vector<double>&half = half_step_, &full = full_step_;
  half.resize(m);
  full.resize(m);
  for (std::size_t k = 0; k < m; ++k) {
    half[k] = std::exp(-viscosity_ * k2_[k] * 0.5 * dt);
    full[k] = half[k] * half[k];
  }
  for (std::size_t k = 0; k < m; ++k) stage[k] = half[k] * (w_[k] + 0.5 * dt * k1[k]);
  nonlinear(stage, k2, nullptr);
  for (std::size_t k = 0; k < m; ++k) stage[k] = half[k] * w_[k] + 0.5 * dt * k2[k];
  nonlinear(stage, k3, nullptr);
  for (std::size_t k = 0; k < m; ++k) stage[k] = full[k] * w_[k] + dt * half[k] * k3[k];
  nonlinear(stage, k4, nullptr);
  for (std::size_t k = 0; k < m; ++k) {
    w_[k] =
        full[k] * w_[k] + dt / 6.0 * (full[k] * k1[k] + 2.0 * half[k] * (k2[k] + k3[k]) + k4[k]);
  }
  time_ += dt;
}

int SpectralVorticity::advance(double span, double max_dt, double cfl) {
  if (!(span >= 0.0) || !(max_dt > 0.0) || !(cfl > 0.0)) {
    throw std::invalid_argument("advance: span >= 0, max_dt > 0 and cfl > 0");
  }
  const double end = time_ + span;
  int steps = 0;
  Spectrum rate;
  while (time_ < end - 1e-12 * std::max(1.0, std::abs(end))) {
    double speed = 0.0;
    nonlinear(w_, rate, &speed);
    double dt = std::min(max_dt, end - time_);
    if (speed > 0.0) dt = std::min(dt, cfl / (n_ * speed));  // h = 1 / n
    step(dt, rate);
    ++steps;
  }
  return steps;
}

std::vector<double> li_forcing(int n) {
  std::vector<double> f(std::size_t(n) * std::size_t(n));
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      const double phase = kTwoPi * (double(i) / n + double(j) / n);
      f[std::size_t(j) * std::size_t(n) + std::size_t(i)] =
          0.1 * (std::sin(phase) + std::cos(phase));
    }
  }
  return f;
}

std::vector<double> gaussian_random_field(int n, std::uint64_t seed) {
  constexpr double tau = 7.0, alpha = 2.5;
  const double sigma = std::pow(tau, alpha - 1.0);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto size = std::size_t(n) * std::size_t(n);
  fftw_complex* data = fftw_alloc_complex(size);
  for (int j = 0; j < n; ++j) {
    const int ky = j <= n / 2 ? j : j - n;
    for (int i = 0; i < n; ++i) {
      const int kx = i <= n / 2 ? i : i - n;
      const double k2 = kTwoPi * kTwoPi * (double(kx) * kx + double(ky) * ky);
      const double amplitude = std::sqrt(2.0) * sigma * std::pow(k2 + tau * tau, -alpha / 2.0);
      const std::size_t at = std::size_t(j) * std::size_t(n) + std::size_t(i);
      const double re = normal(rng), im = normal(rng);
      data[at][0] = (kx == 0 && ky == 0) ? 0.0 : amplitude * re;
      data[at][1] = (kx == 0 && ky == 0) ? 0.0 : amplitude * im;
    }
  }
  fftw_plan plan = fftw_plan_dft_2d(n, n, data, data, FFTW_BACKWARD, FFTW_ESTIMATE);
  fftw_execute(plan);
  std::vector<double> field(size);
  for (std::size_t k = 0; k < size; ++k) field[k] = data[k][0];
  fftw_destroy_plan(plan);
  fftw_free(data);
  return field;
}

}  // namespace advect::fluids
