# The optimizer kernels must give the same bits, and their speed must not hang on the compiler
# flags a user builds with (issue 14; core/simd.hpp). tests/optimizer_kernels_test.cpp, built
# here twice more without kobai_project_flags (so without -fno-math-errno) and without
# -march=native, checks the first half against the same scalar reference as the project build:
#  - optimizer_kernels_consumer_test: CMake's Release flags and what find_package(kobai) adds,
#    nothing else — the SSE2 packs a plain x86-64 build gets, sqrt setting errno;
#  - optimizer_kernels_scalar_test: KOBAI_SIMD_BYTES=0, the plain loop of a target without packs.
# Warnings are still errors, as in a user's strict build.
foreach(variant consumer scalar)
  set(name optimizer_kernels_${variant}_test)
  add_executable(${name} ${CMAKE_CURRENT_SOURCE_DIR}/optimizer_kernels_test.cpp)
  target_link_libraries(${name} PRIVATE kobai::kobai GTest::gtest_main nlohmann_json::nlohmann_json)
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wpedantic -Werror -fmath-errno)
  if(variant STREQUAL scalar)
    target_compile_definitions(${name} PRIVATE KOBAI_SIMD_BYTES=0 KOBAI_EXPECTED_SIMD_BYTES=0)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
    target_compile_definitions(${name} PRIVATE KOBAI_EXPECTED_SIMD_BYTES=16)
  endif()
  if(KOBAI_SANITIZE)
    target_compile_options(${name} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${name} PRIVATE -fsanitize=address,undefined)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST TEST_PREFIX "kernels_${variant}." PROPERTIES LABELS unit)
endforeach()
