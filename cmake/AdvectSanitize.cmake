# Instrumented builds (scripts/sanitize.sh, scripts/fuzz.sh), both with clang-14:
#   ADVECT_SANITIZE  sanitizers for every target, e.g. "address,undefined"; any finding aborts
#                    the program (-fno-sanitize-recover), so a test that trips one fails.
#   ADVECT_FUZZ      the libFuzzer targets in fuzz/, with coverage instrumentation of all of
#                    advect's code (the libraries they call are not instrumented).
set(ADVECT_SANITIZE "" CACHE STRING "Sanitizers for every target (-fsanitize=...), empty for none")
option(ADVECT_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(ADVECT_SANITIZE)
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=${ADVECT_SANITIZE}>
                      $<$<COMPILE_LANGUAGE:C,CXX>:-fno-sanitize-recover=all>
                      $<$<COMPILE_LANGUAGE:C,CXX>:-fno-omit-frame-pointer>)
  add_link_options(-fsanitize=${ADVECT_SANITIZE})
endif()

if(ADVECT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ADVECT_FUZZ needs clang (libFuzzer): configure with CXX=clang++-14")
  endif()
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=fuzzer-no-link>)
endif()
