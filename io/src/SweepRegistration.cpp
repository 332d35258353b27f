// SweepRegistration runs in the Open3D plugin (Open3DBackend.h), loaded with the first instance.
#include "advect/io/SweepRegistration.h"

#include "Open3DBackend.h"

namespace advect::io {

struct SweepRegistration::State {
  std::unique_ptr<detail::SweepRegistrar> registrar;
};

SweepRegistration::SweepRegistration(const RegistrationOptions& options)
    : options_(options),
      state_(std::make_unique<State>(State{detail::open3d_backend().make_registrar(options)})) {}

SweepRegistration::~SweepRegistration() = default;

geometry::RegistrationStep SweepRegistration::add(const std::vector<float>& points) {
  return state_->registrar->add(points);
}

}  // namespace advect::io
