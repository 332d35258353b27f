// Obstacles in the MAC grid by a sharp-interface immersed boundary (direct forcing with
// interpolation along the wall normal, after Fadlun et al. 2000 and Balaras 2004): velocity faces
// inside a body take the body's velocity; fluid faces next to one ("forced" faces) take the value
// of the quadratic through the body's velocity on the wall and the flow at two image points
// further out along the normal, 2.5 h and 3.5 h from the wall. Those image points are far enough
// out that their bilinear stencils hold only free faces, so imposing the boundary is one explicit
// pass. The result is second-order accurate in h for the velocity near the wall.
//
// Units: metres, seconds; positions in the grid's frame (origin at the corner of cell (0, 0)).
#pragma once

#include <cstdint>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"

namespace advect::fluids {

struct MacGeometry;

// A circular body (fluid outside), or with fluid_inside a circular container (solid outside).
// It may spin rigidly about its centre, counter-clockwise at `spin` rad/s.
struct Circle {
  double x = 0.0, y = 0.0;  // centre, m
  double radius = 0.0;      // m
  bool fluid_inside = false;
  double spin = 0.0;  // rad/s
};

// Each forced or solid face of one velocity component gets
//   value[face] = offset + sum over k < kImageStencil of weight[k] * value[stencil[k]].
inline constexpr int kImageStencil = 8;  // two image points, four bilinear corners each

struct ForcedFaces {
  std::vector<std::int64_t> face;     // index into the component's array
  std::vector<double> offset;         // the body velocity's share, m/s
  std::vector<std::int64_t> stencil;  // kImageStencil per face
  std::vector<double> weight;         // kImageStencil per face
  std::size_t solid = 0;              // faces inside a body (offset = body velocity, no weights)
};

enum class Component { u, v };

// The forced and solid faces of `component` for `bodies`. Throws std::invalid_argument when a
// body's image points leave the grid or meet another body's forced faces.
ForcedFaces forced_faces(const MacGeometry& g, const std::vector<Circle>& bodies,
                         Component component);

// The forced faces of both components on a device, imposed on a velocity field of Real values
// (double or float) in one pass each.
template <class Real = double>
class ImmersedBoundary {
 public:
  ImmersedBoundary(const MacGeometry& g, const std::vector<Circle>& bodies, const Device& device);
  // Sets the forced and solid faces of u and v (face arrays on the boundary's device).
  void impose(Real* u, Real* v) const;
  std::size_t forced_count() const { return forced_; }
  std::size_t solid_count() const { return solid_; }

 private:
  struct Faces {
    std::int64_t count = 0;
    Buffer<std::int64_t> face, stencil;
    Buffer<Real> offset, weight;
  };
  Device device_;
  Faces u_, v_;
  std::size_t forced_ = 0, solid_ = 0;
};

}  // namespace advect::fluids
