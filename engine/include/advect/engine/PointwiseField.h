// PointwiseField<Law>: a VectorField whose value at each state depends only on that state and t,
// given by a small "law" functor that compiles for both backends:
//
//   struct MyLaw {
//     static constexpr int dimension = 3;
//     ADVECT_HD void operator()(const double* x, double t, double* v) const;  // v = v(x, t)
//   };
//
// A law whose dependence on t goes through factors shared by all states (a speed omega(t), a
// phase sin(w t)) may also offer `AtTime at_time(double t) const`: a law for that one time. The
// kernels then compute those factors once per evaluation or stage, not once per state. A law (or
// its AtTime) whose call operator is a template over the value type, written with unqualified
// math functions (`sin(x)`, found by argument-dependent lookup), also runs on SIMD vectors of
// states on the CPU: std::experimental::native_simd<double>, whose sin and cos are vectorised.
//
// The law is copied by value into each kernel launch, so it holds parameters (and, for sampled
// fields, device pointers), never host containers. A module that defines a law instantiates its
// kernels once per backend with ADVECT_INSTANTIATE_POINTWISE_FIELD (PointwiseFieldImpl.h).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "advect/engine/Dispatch.h"
#include "advect/engine/VectorField.h"

namespace advect {

template <Backend B>
struct PointwiseFieldKernels {
  template <class Law>
  static void evaluate(const Law& law, double t, const double* x, double* v, std::int64_t n);
  template <class Law>
  static void step(const Law& law, const FusedStep& step);
};

template <class Law>
class PointwiseField final : public VectorField {
 public:
  PointwiseField(Law law, std::string description)
      : law_(std::move(law)), description_(std::move(description)) {}

  int dimension() const override { return Law::dimension; }
  void evaluate(double t, const double* x, double* v, std::int64_t n,
                const Device& device) const override {
    with_backend(device, [&](auto backend) {
      PointwiseFieldKernels<backend>::template evaluate<Law>(law_, t, x, v, n);
    });
  }
  bool take_fused_step(const FusedStep& step, const Device& device) const override {
    with_backend(device, [&](auto backend) {
      PointwiseFieldKernels<backend>::template step<Law>(law_, step);
    });
    return true;
  }
  std::string describe() const override { return description_; }
  const Law& law() const { return law_; }

 private:
  Law law_;
  std::string description_;
};

}  // namespace advect
