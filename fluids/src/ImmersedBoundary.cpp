#include "advect/fluids/ImmersedBoundary.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/fluids/MacFlow.h"
#include "kernels/ImmersedBoundaryKernels.h"

namespace advect::fluids {

namespace {

// Image points of a forced face, as multiples of h from the wall: far enough out that their
// bilinear corners (within sqrt(2) h) clear the band of forced faces (within h of the wall).
constexpr double kFirstImage = 2.5, kSecondImage = 3.5;

enum class FaceKind : std::uint8_t { free, forced, solid };

// The faces of one velocity component: positions and array shape.
struct FaceGrid {
  int width = 0, height = 0;
  double h = 1.0, offset_x = 0.0, offset_y = 0.0;  // face (i, j) at ((i + ox) h, (j + oy) h)
  double x(int i) const { return (i + offset_x) * h; }
  double y(int j) const { return (j + offset_y) * h; }
  std::int64_t index(int i, int j) const { return std::int64_t(j) * width + i; }
};

FaceGrid face_grid(const MacGeometry& g, Component component) {
  return component == Component::u ? FaceGrid{g.nux, g.ny, g.h, 0.0, 0.5}
                                   : FaceGrid{g.nx, g.nvy, g.h, 0.5, 0.0};
}

// Signed distance to a body's wall, positive in its fluid, m.
double signed_distance(const Circle& body, double x, double y) {
  const double d = std::hypot(x - body.x, y - body.y);
  return body.fluid_inside ? body.radius - d : d - body.radius;
}

// The body's velocity component at (x, y) (rigid rotation about its centre), m/s.
double body_velocity(const Circle& body, double x, double y, Component component) {
  return component == Component::u ? -body.spin * (y - body.y) : body.spin * (x - body.x);
}

// The nearest wall: the body whose signed distance is smallest, and that distance.
struct Nearest {
  const Circle* body = nullptr;
  double distance = std::numeric_limits<double>::infinity();
};
Nearest nearest_wall(const std::vector<Circle>& bodies, double x, double y) {
  Nearest nearest;
  for (const Circle& body : bodies) {
    const double d = signed_distance(body, x, y);
    if (d < nearest.distance) nearest = {&body, d};
  }
  return nearest;
}

}  // namespace

ForcedFaces forced_faces(const MacGeometry& g, const std::vector<Circle>& bodies,
                         Component component) {
  for (const Circle& body : bodies) {
    if (!(body.radius > 0.0) || !std::isfinite(body.x) || !std::isfinite(body.y) ||
        !std::isfinite(body.spin)) {
      throw std::invalid_argument("immersed body: a finite centre and spin and a radius > 0");
    }
  }
  const FaceGrid grid = face_grid(g, component);
  std::vector<FaceKind> kind(std::size_t(grid.width) * std::size_t(grid.height), FaceKind::free);
  std::vector<double> distance(kind.size());
  for (int j = 0; j < grid.height; ++j) {
    for (int i = 0; i < grid.width; ++i) {
      const auto k = std::size_t(grid.index(i, j));
      distance[k] = nearest_wall(bodies, grid.x(i), grid.y(j)).distance;
      if (distance[k] < 0.0) kind[k] = FaceKind::solid;
    }
  }
  const auto solid_at = [&](int i, int j) {
    return i >= 0 && j >= 0 && i < grid.width && j < grid.height &&
           kind[std::size_t(grid.index(i, j))] == FaceKind::solid;
  };
  for (int j = 0; j < grid.height; ++j) {
    for (int i = 0; i < grid.width; ++i) {
      auto& k = kind[std::size_t(grid.index(i, j))];
      if (k == FaceKind::free &&
          (solid_at(i - 1, j) || solid_at(i + 1, j) || solid_at(i, j - 1) || solid_at(i, j + 1))) {
        k = FaceKind::forced;
      }
    }
  }

  ForcedFaces out;
  // Bilinear interpolation of the component at (x, y) into `stencil`/`weight`, scaled by `scale`.
  const auto add_image = [&](double x, double y, double cells_out, double scale) {
    const double fi = x / grid.h - grid.offset_x, fj = y / grid.h - grid.offset_y;
    const int i0 = int(std::floor(fi)), j0 = int(std::floor(fj));
    const double a = fi - i0, b = fj - j0;
    const double corner_weight[4] = {(1 - a) * (1 - b), a * (1 - b), (1 - a) * b, a * b};
    for (int c = 0; c < 4; ++c) {
      const int i = i0 + c % 2, j = j0 + c / 2;
      if (i < 0 || j < 0 || i >= grid.width || j >= grid.height ||
          kind[std::size_t(grid.index(i, j))] != FaceKind::free) {
        throw std::invalid_argument(fmt::format(
            "immersed body: the flow at ({:.4g}, {:.4g}) m, {:.1f} cells out from a wall, is not "
            "free (grid edge or another body); move the bodies apart or refine the grid",
            x, y, cells_out));
      }
      out.stencil.push_back(grid.index(i, j));
      out.weight.push_back(scale * corner_weight[c]);
    }
  };
  // Solid faces first (no weights), then the forced ones.
  for (int j = 0; j < grid.height; ++j) {
    for (int i = 0; i < grid.width; ++i) {
      if (kind[std::size_t(grid.index(i, j))] != FaceKind::solid) continue;
      const Nearest wall = nearest_wall(bodies, grid.x(i), grid.y(j));
      out.face.push_back(grid.index(i, j));
      out.offset.push_back(body_velocity(*wall.body, grid.x(i), grid.y(j), component));
      out.stencil.insert(out.stencil.end(), kImageStencil, grid.index(i, j));
      out.weight.insert(out.weight.end(), kImageStencil, 0.0);
    }
  }
  out.solid = out.face.size();
  const double d1 = kFirstImage * grid.h, d2 = kSecondImage * grid.h;
  for (int j = 0; j < grid.height; ++j) {
    for (int i = 0; i < grid.width; ++i) {
      if (kind[std::size_t(grid.index(i, j))] != FaceKind::forced) continue;
      const double x = grid.x(i), y = grid.y(j);
      const Nearest wall = nearest_wall(bodies, x, y);
      const Circle& body = *wall.body;
      // Unit normal into the fluid and the nearest wall point.
      const double r = std::hypot(x - body.x, y - body.y);
      const double ex = (x - body.x) / r, ey = (y - body.y) / r;
      const double sign = body.fluid_inside ? -1.0 : 1.0;
      const double nx = sign * ex, ny = sign * ey;
      const double wx = body.x + body.radius * ex, wy = body.y + body.radius * ey;
      // The quadratic through (0, wall), (d1, image 1), (d2, image 2) at the face's distance.
      const double d = wall.distance;
      const double l0 = (d - d1) * (d - d2) / (d1 * d2);
      const double l1 = d * (d - d2) / (d1 * (d1 - d2));
      const double l2 = d * (d - d1) / (d2 * (d2 - d1));
      out.face.push_back(grid.index(i, j));
      out.offset.push_back(l0 * body_velocity(body, wx, wy, component));
      add_image(wx + d1 * nx, wy + d1 * ny, kFirstImage, l1);
      add_image(wx + d2 * nx, wy + d2 * ny, kSecondImage, l2);
    }
  }
  return out;
}

template <class Real>
ImmersedBoundary<Real>::ImmersedBoundary(const MacGeometry& g, const std::vector<Circle>& bodies,
                                         const Device& device)
    : device_(device) {
  const auto to_real = [](const std::vector<double>& values) {
    return std::vector<Real>(values.begin(), values.end());
  };
  const auto upload = [&](Component component, Faces& faces) {
    const ForcedFaces host = forced_faces(g, bodies, component);
    faces.count = std::int64_t(host.face.size());
    faces.face = Buffer<std::int64_t>::from_host(host.face, device);
    faces.offset = Buffer<Real>::from_host(to_real(host.offset), device);
    faces.stencil = Buffer<std::int64_t>::from_host(host.stencil, device);
    faces.weight = Buffer<Real>::from_host(to_real(host.weight), device);
    solid_ += host.solid;
    forced_ += host.face.size() - host.solid;
  };
  upload(Component::u, u_);
  upload(Component::v, v_);
}

template <class Real>
void ImmersedBoundary<Real>::impose(Real* u, Real* v) const {
  with_backend(device_, [&](auto b) {
    using K = ImmersedBoundaryKernels<b, Real>;
    K::impose(u_.count, u_.face.data(), u_.offset.data(), u_.stencil.data(), u_.weight.data(), u);
    K::impose(v_.count, v_.face.data(), v_.offset.data(), v_.stencil.data(), v_.weight.data(), v);
  });
}

template class ImmersedBoundary<float>;
template class ImmersedBoundary<double>;

}  // namespace advect::fluids
