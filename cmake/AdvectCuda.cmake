# ADVECT_CUDA: AUTO compiles the CUDA kernels when nvcc is found, ON requires it, OFF never.
# CMake 3.25 does not look in /usr/local/cuda/bin by itself, so that is given as a hint.
set(ADVECT_CUDA AUTO CACHE STRING "Compile the CUDA backend: AUTO, ON or OFF")
set_property(CACHE ADVECT_CUDA PROPERTY STRINGS AUTO ON OFF)

set(ADVECT_HAVE_CUDA OFF)
if(NOT ADVECT_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      # Ampere (A100) and Hopper (H100/H200). CI passes 90 alone to halve nvcc time.
      set(CMAKE_CUDA_ARCHITECTURES "80;90")
    endif()
    enable_language(CUDA)
    # CUDA sources follow CXX_STANDARD (20), but CMake 3.25 knows no C++20 flag for nvcc; nvcc 13
    # has it, so tell CMake.
    set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
    set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
    find_package(CUDAToolkit REQUIRED)
    set(ADVECT_HAVE_CUDA ON)
  elseif(ADVECT_CUDA STREQUAL "ON")
    message(FATAL_ERROR "ADVECT_CUDA=ON but no CUDA compiler was found (looked in PATH and /usr/local/cuda/bin)")
  else()
    message(STATUS "advect: nvcc not found, building the CPU backend only")
  endif()
endif()

# CCCL (Thrust/CUB) is only used from .cu files; the CPU backend is plain OpenMP.
