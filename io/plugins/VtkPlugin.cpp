// libadvect_vtk.so: io/'s calls into VTK (src/VtkBackend.h), kept out of the program's start-up
// (src/Plugins.h).
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDataSetAttributes.h>
#include <vtkDoubleArray.h>
#include <vtkIdTypeArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkXMLImageDataWriter.h>
#include <vtkXMLPolyDataWriter.h>

#include <algorithm>
#include <vector>

#include "VtkBackend.h"

namespace advect::io::detail {

namespace {

void add_arrays(vtkDataSetAttributes* data, const std::vector<PointArray>& arrays) {
  for (const PointArray& a : arrays) {
    vtkNew<vtkDoubleArray> array;
    array->SetName(a.name.c_str());
    array->SetNumberOfComponents(a.components);
    array->SetNumberOfTuples(vtkIdType(a.values.size() / std::size_t(a.components)));
    std::copy(a.values.begin(), a.values.end(), array->GetPointer(0));
    data->AddArray(array);
  }
}

template <class Writer, class Data>
bool write_xml(const std::string& file, Data* data) {
  vtkNew<Writer> writer;
  writer->SetFileName(file.c_str());
  writer->SetInputData(data);
  writer->SetDataModeToAppended();
  writer->SetCompressorTypeToZLib();
  return writer->Write() == 1 && writer->GetErrorCode() == 0;
}

bool write_polydata(const std::string& file, std::span<const double> points,
                    std::span<const std::size_t> line_starts,
                    const std::vector<PointArray>& point_arrays,
                    const std::vector<PointArray>& cell_arrays) {
  const std::size_t n = points.size() / 3;
  vtkNew<vtkPoints> vtk_points;
  vtk_points->SetDataTypeToDouble();
  vtk_points->SetNumberOfPoints(vtkIdType(n));
  for (std::size_t i = 0; i < n; ++i) {
    vtk_points->SetPoint(vtkIdType(i), points[3 * i], points[3 * i + 1], points[3 * i + 2]);
  }
  vtkNew<vtkPolyData> poly;
  poly->SetPoints(vtk_points);
  vtkNew<vtkCellArray> cells;
  if (line_starts.empty()) {
    for (std::size_t i = 0; i < n; ++i) {
      const vtkIdType id = vtkIdType(i);
      cells->InsertNextCell(1, &id);
    }
    poly->SetVerts(cells);
  } else {
    std::vector<vtkIdType> ids;
    vtkNew<vtkIdTypeArray> trajectory;
    trajectory->SetName("trajectory");
    for (std::size_t line = 0; line + 1 < line_starts.size(); ++line) {
      ids.clear();
      for (std::size_t v = line_starts[line]; v < line_starts[line + 1]; ++v) {
        ids.push_back(vtkIdType(v));
      }
      cells->InsertNextCell(vtkIdType(ids.size()), ids.data());
      trajectory->InsertNextValue(vtkIdType(line));
    }
    poly->SetLines(cells);
    poly->GetCellData()->AddArray(trajectory);
  }
  add_arrays(poly->GetCellData(), cell_arrays);
  add_arrays(poly->GetPointData(), point_arrays);
  return write_xml<vtkXMLPolyDataWriter>(file, poly.Get());
}

bool write_image(const std::string& file, const GridGeometry& grid,
                 const std::vector<PointArray>& arrays) {
  vtkNew<vtkImageData> image;
  image->SetDimensions(grid.dims[0], grid.dims[1], grid.dims[2]);
  image->SetOrigin(grid.origin.data());
  image->SetSpacing(grid.spacing.data());
  add_arrays(image->GetPointData(), arrays);
  return write_xml<vtkXMLImageDataWriter>(file, image.Get());
}

}  // namespace

}  // namespace advect::io::detail

extern "C" __attribute__((visibility("default"))) const advect::io::detail::VtkBackend*
advect_vtk_backend() {
  using namespace advect::io::detail;
  static const VtkBackend backend{&write_polydata, &write_image};
  return &backend;
}
