// Grid-sampled velocity against the analytic fields it samples.
#include <gtest/gtest.h>

#include <cmath>

#include "advect/engine/AnalyticFields.h"
#include "advect/engine/OdeSolver.h"
#include "advect/fluids/GridVelocityField.h"
#include "engine/ExactSolutions.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// Samples `law` at the nodes of a grid, in GridLaw's layout.
template <class Law>
std::vector<double> sample(const Law& law, std::array<int, 3> dims, std::array<double, 3> origin,
                           std::array<double, 3> spacing) {
  std::vector<double> values;
  for (int k = 0; k < dims[2]; ++k) {
    for (int j = 0; j < dims[1]; ++j) {
      for (int i = 0; i < dims[0]; ++i) {
        const double x[3] = {origin[0] + i * spacing[0], origin[1] + j * spacing[1],
                             origin[2] + k * spacing[2]};
        double v[3];
        law(x, 0.0, v);
        values.insert(values.end(), v, v + 3);
      }
    }
  }
  return values;
}

std::vector<double> evaluate(const VectorField& field, const std::vector<double>& x,
                             const Device& device) {
  const Buffer<double> points = Buffer<double>::from_host(x, device);
  Buffer<double> velocity(x.size(), device);
  field.evaluate(0.0, points.data(), velocity.data(), std::int64_t(x.size() / 3), device);
  return velocity.to_host();
}

class GridField : public PerDevice {};

TEST_P(GridField, ReproducesAffineFieldsExactly) {
  LinearLaw law;
  const double a[9] = {0.3, -1.2, 0.5, 2.0, 0.1, -0.7, 0.0, 0.4, -0.2};
  std::copy(a, a + 9, law.a);
  law.b[0] = 1.0, law.b[2] = -3.0;
  const std::array<int, 3> dims{5, 4, 3};
  const std::array<double, 3> origin{-1, -1, 0}, spacing{0.5, 0.7, 1.1};
  const fluids::GridVelocityField field(dims, origin, spacing, sample(law, dims, origin, spacing),
                                        device());
  std::vector<double> x =
      random_points(200, 3);  // inside [-1, 1] x [-1, 1.1] x [0, 2.2] after shifting z
  for (std::size_t i = 2; i < x.size(); i += 3) x[i] = (x[i] + 1.0) * 1.1;
  const std::vector<double> v = evaluate(field, x, device());
  for (std::size_t i = 0; i < x.size() / 3; ++i) {
    double exact[3];
    law(&x[3 * i], 0.0, exact);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(v[3 * i + std::size_t(c)], exact[c], 1e-12);
  }
}

TEST_P(GridField, PlanarGridIgnoresZAndClampsOutside) {
  // v = (x, 2y, 0) on a 3 x 3 x 1 grid over [0, 2]^2.
  std::vector<double> values;
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 3; ++i) values.insert(values.end(), {double(i), 2.0 * j, 0.0});
  }
  const fluids::GridVelocityField field({3, 3, 1}, {0, 0, 0}, {1, 1, 1}, values, device());
  const std::vector<double> v = evaluate(field, {0.5, 1.5, 42.0, 5.0, -3.0, 0.0}, device());
  EXPECT_DOUBLE_EQ(v[0], 0.5);
  EXPECT_DOUBLE_EQ(v[1], 3.0);
  EXPECT_DOUBLE_EQ(v[3], 2.0);  // x = 5 reads the x = 2 boundary
  EXPECT_DOUBLE_EQ(v[4], 0.0);  // y = -3 reads the y = 0 boundary
}

TEST_P(GridField, TrajectoriesConvergeAtSecondOrderInTheSpacing) {
  // A Lamb-Oseen vortex sampled on ever finer grids; truth: the analytic vortex, integrated
  // tightly.
  LambOseenLaw vortex;
  vortex.core_radius = 0.5;
  vortex.circulation = 3.0;
  const auto exact_field = make_lamb_oseen_field(vortex);
  const std::vector<double> seeds = {0.3, 0.1, 0, -0.6, 0.4, 0, 0.2, -0.9, 0, 1.1, 0.0, 0};
  const std::vector<double> times = {0.0, 2.0};
  OdeOptions tight;
  tight.rtol = 1e-11;
  tight.atol = 1e-13;
  const std::vector<double> truth =
      integrate(*exact_field, Buffer<double>::from_host(seeds, device()), times, tight)
          .states.to_host();
  std::vector<double> errors;
  for (int cells : {32, 64, 128}) {
    const double h = 4.0 / cells;
    const std::array<int, 3> dims{cells + 1, cells + 1, 1};
    const fluids::GridVelocityField field(dims, {-2, -2, 0}, {h, h, 1},
                                          sample(vortex, dims, {-2, -2, 0}, {h, h, 1}), device());
    const OdeResult result =
        integrate(field, Buffer<double>::from_host(seeds, device()), times, tight);
    ASSERT_TRUE(result.ok()) << result.message;
    const std::vector<double> states = result.states.to_host();
    double worst = 0.0;
    for (std::size_t i = seeds.size(); i < states.size(); ++i)
      worst = std::max(worst, std::fabs(states[i] - truth[i]));
    errors.push_back(worst);
  }
  EXPECT_LT(errors[2], 5e-3);
  EXPECT_GT(errors[0] / errors[1], 3.0);  // about 4 for second order
  EXPECT_GT(errors[1] / errors[2], 3.0);
}

TEST(GridFieldArguments, RejectsBadGridsAndWrongDevice) {
  const std::vector<double> eight_nodes(24, 0.0);
  EXPECT_THROW(
      fluids::GridVelocityField({2, 2, 1}, {0, 0, 0}, {1, 1, 1}, eight_nodes, Device::cpu()),
      std::invalid_argument);
  EXPECT_THROW(
      fluids::GridVelocityField({2, 2, 2}, {0, 0, 0}, {1, 0, 1}, eight_nodes, Device::cpu()),
      std::invalid_argument);
  const fluids::GridVelocityField field({2, 2, 2}, {0, 0, 0}, {1, 1, 1}, eight_nodes,
                                        Device::cpu());
  double x[3] = {0, 0, 0}, v[3];
  EXPECT_THROW(field.evaluate(0.0, x, v, 1, Device::cuda()), std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(GridField);

}  // namespace
}  // namespace advect::testing
