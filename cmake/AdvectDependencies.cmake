# Third-party packages, found once at the top so that their imported targets are visible to every
# directory (static libraries carry their private dependencies to the final link).
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED CONFIG)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
if(ADVECT_BUILD_PYTHON)
  # Debian's numpy and pytest belong to /usr/bin/python3; PATH may list another interpreter first.
  set(Python_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "The Python the module is built for")
  find_package(Python 3.11 REQUIRED COMPONENTS Interpreter Development.Module)
endif()

# Only io/ and apps/ link these.
find_package(Open3D REQUIRED CONFIG)  # no version: Open3D 0.16's ConfigVersion wants an exact match
find_package(VTK 9.1 REQUIRED COMPONENTS CommonCore CommonDataModel IOXML)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)  # the pictures io/ writes
pkg_check_modules(FFTW3 REQUIRED IMPORTED_TARGET fftw3)  # the spectral vorticity solver
find_package(ZLIB REQUIRED)  # CRC-32 of model files
find_package(PNG REQUIRED)   # radiance-field datasets and renders (libpng's simplified API)
find_package(JPEG REQUIRED)  # radiance-field datasets in JPEG (libjpeg-turbo)
