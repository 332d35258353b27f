# Shared settings for advect's own targets.

function(advect_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra --expt-relaxed-constexpr>)
endfunction()

# advect_add_module(NAME SOURCES ... [KERNELS k1 k2 ...] [DEPENDS ...])
# A module is a static library advect_NAME with public headers in NAME/include.
# Each kernel K in KERNELS has src/kernels/K{CPU.cpp,CUDA.cu} over one KImpl.h; the .cu file
# joins the build only when the CUDA backend is on.
function(advect_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;KERNELS;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  set(target advect_${name})
  set(sources ${ARG_SOURCES})
  foreach(kernel IN LISTS ARG_KERNELS)
    list(APPEND sources src/kernels/${kernel}CPU.cpp)
    if(ADVECT_HAVE_CUDA)
      list(APPEND sources src/kernels/${kernel}CUDA.cu)
    endif()
  endforeach()
  add_library(${target} STATIC ${sources})
  add_library(advect::${name} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                       PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${ARG_DEPENDS} PRIVATE ${ARG_PRIVATE_DEPENDS})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON
                                             CUDA_SEPARABLE_COMPILATION OFF)
  advect_set_warnings(${target})
endfunction()
