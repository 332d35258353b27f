// VTK XML files written by advect, read back with VTK's own readers.
#include <gtest/gtest.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkXMLImageDataReader.h>
#include <vtkXMLPolyDataReader.h>

#include <fstream>
#include <sstream>

#include "advect/io/IoError.h"
#include "advect/io/VtkFiles.h"
#include "support/TempDir.h"

namespace advect::testing {
namespace {

TEST(VtkFiles, PointsWithArraysReadBack) {
  TempDir dir;
  const std::vector<double> positions = {0, 0, 0, 1, 2, 3, -1, 0.5, 4};
  io::write_vtp_points(dir / "p.vtp", positions,
                       {{"flow", 3, {1, 0, 0, 0, 1, 0, 0, 0, 1}}, {"speed", 1, {1, 2, 3}}});
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName((dir / "p.vtp").c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  ASSERT_EQ(poly->GetNumberOfPoints(), 3);
  EXPECT_EQ(poly->GetNumberOfVerts(), 3);
  EXPECT_DOUBLE_EQ(poly->GetPoint(2)[2], 4.0);
  EXPECT_EQ(poly->GetPointData()->GetArray("flow")->GetNumberOfComponents(), 3);
  EXPECT_DOUBLE_EQ(poly->GetPointData()->GetArray("speed")->GetTuple1(1), 2.0);
}

TEST(VtkFiles, TrajectoriesArePolylinesWithTimeAndSpeed) {
  TempDir dir;
  // Two points over three times (T x N x 3): point 0 moves 1 m along x per 0.5 s.
  const std::vector<double> states = {0, 0, 0, 5, 5, 5, 1, 0, 0, 5, 5, 5, 2, 0, 0, 5, 5, 5};
  const std::vector<double> times = {0.0, 0.5, 1.0};
  io::write_vtp_trajectories(dir / "t.vtp", states, times);
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName((dir / "t.vtp").c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  ASSERT_EQ(poly->GetNumberOfLines(), 2);
  ASSERT_EQ(poly->GetNumberOfPoints(), 6);
  EXPECT_DOUBLE_EQ(poly->GetPoint(2)[0], 2.0);  // point 0's polyline comes first
  EXPECT_DOUBLE_EQ(poly->GetPointData()->GetArray("time")->GetTuple1(2), 1.0);
  EXPECT_DOUBLE_EQ(poly->GetPointData()->GetArray("speed")->GetTuple1(1), 2.0);
  EXPECT_DOUBLE_EQ(poly->GetPointData()->GetArray("speed")->GetTuple1(4), 0.0);
}

TEST(VtkFiles, PolylinesOfDifferentLengthsWithLineArrays) {
  TempDir dir;
  io::Polylines lines;
  // A line of three vertices going backward in time (0.2 -> 0 s) and one of two.
  lines.vertices = {2, 0, 0, 1, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 8};
  lines.time = {0.2, 0.1, 0.0, 0.0, 0.5};
  lines.starts = {0, 3, 5};
  io::write_vtp_polylines(dir / "l.vtp", lines, {{"frame", 1, {4, 9}}});
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName((dir / "l.vtp").c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  ASSERT_EQ(poly->GetNumberOfLines(), 2);
  EXPECT_EQ(poly->GetLines()->GetCellSize(0), 3);
  EXPECT_DOUBLE_EQ(poly->GetCellData()->GetArray("frame")->GetTuple1(1), 9.0);
  EXPECT_DOUBLE_EQ(poly->GetPointData()->GetArray("speed")->GetTuple1(1), 10.0);
  EXPECT_DOUBLE_EQ(poly->GetPointData()->GetArray("speed")->GetTuple1(4), 2.0);

  lines.starts = {0, 3, 4};  // does not cover every vertex
  EXPECT_THROW(io::write_vtp_polylines(dir / "bad.vtp", lines), io::IoError);
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.vtp"));
}

TEST(VtkFiles, GridAndTimeSeries) {
  TempDir dir;
  io::GridGeometry grid;
  grid.dims = {3, 2, 1};
  grid.origin = {0, 0, 0};
  grid.spacing = {0.5, 0.5, 1};
  std::vector<double> ramp(6);
  for (int i = 0; i < 6; ++i) ramp[std::size_t(i)] = i;
  io::write_vti(dir / "g.vti", grid, {{"ramp", 1, ramp}});
  vtkNew<vtkXMLImageDataReader> reader;
  reader->SetFileName((dir / "g.vti").c_str());
  reader->Update();
  int dims[3];
  reader->GetOutput()->GetDimensions(dims);
  EXPECT_EQ(dims[0], 3);
  EXPECT_EQ(dims[1], 2);
  EXPECT_DOUBLE_EQ(reader->GetOutput()->GetPointData()->GetArray("ramp")->GetTuple1(4), 4.0);

  io::write_pvd(dir / "series.pvd", {{0.0, dir / "g.vti"}, {0.25, "g.vti"}});
  std::stringstream text;
  text << std::ifstream(dir / "series.pvd").rdbuf();
  EXPECT_NE(text.str().find("timestep=\"0.25\" group=\"\" part=\"0\" file=\"g.vti\""),
            std::string::npos)
      << text.str();
}

TEST(VtkFiles, FailedWritesLeaveNothing) {
  TempDir dir;
  EXPECT_THROW(io::write_vtp_points(dir / "no_dir" / "p.vtp", std::vector<double>{0, 0, 0}),
               io::IoError);
  EXPECT_THROW(
      io::write_vtp_points(dir / "bad.vtp", std::vector<double>{0, 0, 0}, {{"v", 3, {1, 2}}}),
      io::IoError);
  EXPECT_EQ(dir.entry_count(), 0u);
}

}  // namespace
}  // namespace advect::testing
