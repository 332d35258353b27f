# ctest: the core modules (engine, geometry, fluids, neural) must not include Open3D or VTK, which
# belong to io/ and apps/ only. Run as: cmake -DSOURCE_DIR=... -P check_module_dependencies.cmake
set(offenders "")
foreach(module engine geometry fluids neural)
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${module}/*.h" "${SOURCE_DIR}/${module}/*.cpp"
       "${SOURCE_DIR}/${module}/*.cu" "${SOURCE_DIR}/${module}/CMakeLists.txt")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" hits REGEX "#include *[<\"](open3d|vtk)|Open3D::|VTK::|VTK_LIBRARIES")
    if(hits)
      list(APPEND offenders "${source}: ${hits}")
    endif()
  endforeach()
endforeach()
if(offenders)
  list(JOIN offenders "\n" text)
  message(FATAL_ERROR "Open3D/VTK used outside io/ and apps/:\n${text}")
endif()
message(STATUS "engine, geometry, fluids and neural use neither Open3D nor VTK")
