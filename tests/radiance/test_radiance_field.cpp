// The radiance field's backward pass (hash grid, both networks, the exp density and the spherical
// harmonics between them) against finite differences, its model file, and training on posed
// images of a scene with a known answer.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/radiance/ImageMetrics.h"
#include "advect/radiance/RadianceFieldFile.h"
#include "advect/radiance/RadianceTraining.h"
#include "support/CentralDifference.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

radiance::RadianceFieldConfig tiny_config() {
  radiance::RadianceFieldConfig config;
  config.encoding = {{"otype", "HashGrid"},
                     {"n_levels", 4},
                     {"log2_hashmap_size", 10},
                     {"base_resolution", 4},
                     {"per_level_scale", 2.0}};
  config.density_network.hidden_width = 16;
  config.colour_network.hidden_width = 16;
  config.occupancy_resolution = 8;
  return config;
}

class RadianceFieldOnDevice : public PerDevice {};

// The field's backward pass (networks, exp density, SH, and the encoding's parameters if it has
// any) against central differences of a random linear loss of sigma and colour.
void check_field_gradients(radiance::RadianceField& field, const Device& device) {
  // Parameters larger than the initial 1e-4 so that every path carries gradient.
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> table(field.encoding().parameters().size());
  for (float& v : table) v = 0.5f * u(rng);
  field.encoding().parameters().copy_from_host(table);
  const int n = 40;
  std::vector<float> positions(3 * n), directions(3 * n), w_sigma(n), w_rgb(3 * n);
  for (float& p : positions) p = 0.5f + 0.45f * u(rng);
  for (int i = 0; i < n; ++i) {
    float norm = 0;
    for (int a = 0; a < 3; ++a) norm += std::pow(directions[std::size_t(3 * i + a)] = u(rng), 2.0f);
    for (int a = 0; a < 3; ++a) directions[std::size_t(3 * i + a)] /= std::sqrt(norm);
  }
  for (float& w : w_sigma) w = 0.1f * u(rng);
  for (float& w : w_rgb) w = u(rng);
  const auto p = Buffer<float>::from_host(positions, device);
  const auto d = Buffer<float>::from_host(directions, device);
  Buffer<float> sigma(n, device), rgb(3 * n, device);
  radiance::FieldWorkspace workspace;
  const auto loss = [&] {
    field.forward(p.data(), d.data(), n, sigma.data(), rgb.data(), workspace);
    const auto s = sigma.to_host(), c = rgb.to_host();
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += double(w_sigma[std::size_t(i)]) * s[std::size_t(i)];
    for (int i = 0; i < 3 * n; ++i) sum += double(w_rgb[std::size_t(i)]) * c[std::size_t(i)];
    return sum;
  };
  loss();
  const auto ws = Buffer<float>::from_host(w_sigma, device);
  const auto wr = Buffer<float>::from_host(w_rgb, device);
  field.backward(p.data(), sigma.data(), ws.data(), wr.data(), workspace);
  const auto check = [&](BufferView<float> parameters, const std::vector<float>& gradient,
                         const char* name) {
    const std::size_t size = parameters.size();
    int compared = 0;
    for (std::size_t k = 0; k < size && compared < 25; k += 1 + size / 60) {
      const double numeric = central_difference(parameters, k, 2e-4f, loss);
      EXPECT_NEAR(gradient[k], numeric, 2e-3 + 2e-2 * std::abs(numeric)) << name << " " << k;
      ++compared;
    }
  };
  check(field.colour_network().parameters(), field.colour_network().gradients().to_host(),
        "colour network");
  check(field.density_network().parameters(), field.density_network().gradients().to_host(),
        "density network");
  check(field.encoding().parameters(), field.encoding().gradients().to_host(), "encoding");
}

TEST_P(RadianceFieldOnDevice, BackwardMatchesFiniteDifferences) {
  radiance::RadianceField field(tiny_config(), device(), 3);
  check_field_gradients(field, device());
}

// A NeRF-style field: the position's frequency encoding (no parameters) in place of the hash grid.
TEST_P(RadianceFieldOnDevice, BackwardMatchesFiniteDifferencesWithAFrequencyEncoding) {
  radiance::RadianceFieldConfig config = tiny_config();
  config.encoding = {{"otype", "Frequency"}, {"n_frequencies", 3}, {"include_input", true}};
  radiance::RadianceField field(config, device(), 3);
  EXPECT_EQ(field.encoding().parameter_count(), 0);
  EXPECT_EQ(field.density_network().config().input_dims, 3 + 2 * 3 * 3);
  EXPECT_EQ(field.parameter_count(), field.network_parameter_count());
  check_field_gradients(field, device());
}

// A scene with an exact answer: an opaque sphere of one colour in front of nothing, seen by a
// ring of cameras; the field must learn to render held-out views of it.
radiance::PosedImages sphere_views(int count, int size, float phase) {
  radiance::PosedImages images;
  images.width = images.height = size;
  const float radius = 0.6f, distance = 3.0f, colour[3] = {0.9f, 0.4f, 0.1f};
  for (int k = 0; k < count; ++k) {
    const float angle = 6.2831853f * (float(k) + phase) / float(count);
    radiance::PinholeCamera camera;
    camera.width = camera.height = size;
    camera.fx = camera.fy = float(size);
    camera.cx = camera.cy = 0.5f * float(size);
    const float back[3] = {std::cos(angle), std::sin(angle), 0.3f};
    const float norm = std::sqrt(back[0] * back[0] + back[1] * back[1] + back[2] * back[2]);
    float z[3], x[3], y[3];
    for (int a = 0; a < 3; ++a) z[a] = back[a] / norm;
    const float xn = std::hypot(z[0], z[1]);
    x[0] = -z[1] / xn, x[1] = z[0] / xn, x[2] = 0;
    y[0] = z[1] * x[2] - z[2] * x[1], y[1] = z[2] * x[0] - z[0] * x[2],
    y[2] = z[0] * x[1] - z[1] * x[0];
    for (int r = 0; r < 3; ++r) {
      camera.camera_to_world[4 * r] = x[r];
      camera.camera_to_world[4 * r + 1] = y[r];
      camera.camera_to_world[4 * r + 2] = z[r];
      camera.camera_to_world[4 * r + 3] = distance * z[r];
    }
    images.cameras.push_back(camera);
    images.names.push_back("view " + std::to_string(k));
    for (int j = 0; j < size; ++j) {
      for (int i = 0; i < size; ++i) {
        float o[3], d[3];
        camera.ray(float(i) + 0.5f, float(j) + 0.5f, o, d);
        const float b = o[0] * d[0] + o[1] * d[1] + o[2] * d[2];
        const float c = o[0] * o[0] + o[1] * o[1] + o[2] * o[2] - radius * radius;
        const bool hit = b * b - c > 0.0f;
        for (int a = 0; a < 3; ++a) images.rgba.push_back(hit ? colour[a] : 0.0f);
        images.rgba.push_back(hit ? 1.0f : 0.0f);
      }
    }
  }
  return images;
}

TEST_P(RadianceFieldOnDevice, LearnsAnOpaqueSphereAndRendersHeldOutViews) {
  radiance::RadianceFieldConfig config;
  config.encoding["n_levels"] = 8;
  config.encoding["log2_hashmap_size"] = 14;
  config.encoding["per_level_scale"] = 1.5;
  config.box = {{-1, -1, -1}, {1, 1, 1}};
  config.occupancy_resolution = 32;
  radiance::RadianceField field(config, device(), 0);
  const radiance::PosedImages train = sphere_views(12, 24, 0.0f);
  const radiance::PosedImages test = sphere_views(4, 24, 0.37f);
  radiance::TrainingOptions options;
  options.max_steps = 300;
  options.max_seconds = 1e9;
  options.samples_per_step = 1 << 14;
  const radiance::TrainingReport report = radiance::train(field, train, options);
  EXPECT_EQ(report.steps, 300);
  EXPECT_LT(report.occupied, 0.5);  // the grid has found the empty space
  const float white[3] = {1, 1, 1};
  double psnr = 0;
  for (std::size_t i = 0; i < test.size(); ++i) {
    const radiance::RenderedImage image = radiance::render(field, test.cameras[i], white);
    psnr +=
        radiance::psnr(image.rgb, radiance::composite_over(test, i, white)) / double(test.size());
  }
  std::printf("sphere, 300 steps: held-out PSNR %.2f dB, occupied %.1f%%\n", psnr,
              100 * report.occupied);
  EXPECT_GT(psnr, 25.0);

  // The model file gives back the same renders, and refuses damage.
  const std::string bytes = radiance::to_bytes(field, {{"steps", report.steps}});
  const auto loaded = radiance::from_bytes(bytes, "sphere.model", device());
  EXPECT_EQ(loaded.training["steps"], 300);
  const auto a = radiance::render(field, test.cameras[0], white);
  const auto b = radiance::render(*loaded.field, test.cameras[0], white);
  EXPECT_EQ(a.rgb, b.rgb);
  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 1;
  EXPECT_THROW(radiance::from_bytes(damaged, "sphere.model", device()), std::runtime_error);
  EXPECT_THROW(radiance::from_bytes(bytes.substr(0, 100), "sphere.model", device()),
               std::runtime_error);
  EXPECT_THROW(radiance::from_bytes("hello", "sphere.model", device()), std::runtime_error);
}

ADVECT_INSTANTIATE_PER_DEVICE(RadianceFieldOnDevice);

}  // namespace
}  // namespace advect::testing
