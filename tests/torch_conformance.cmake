# PyTorch conformance of the first-order optimizers (tests/torch_conformance.py): a C++ program
# prints kobai's trajectories, /usr/bin/python3 (Debian's python3-torch) replays them with
# torch.optim in float64 and compares iterate by iterate.
add_executable(optimizer_trajectories ${CMAKE_CURRENT_SOURCE_DIR}/conformance/optimizer_trajectories.cpp)
target_link_libraries(optimizer_trajectories PRIVATE kobai::kobai kobai_project_flags)
if(EXISTS /usr/bin/python3)
  add_test(NAME torch_conformance
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/torch_conformance.py
                   $<TARGET_FILE:optimizer_trajectories> 200)
  set_tests_properties(torch_conformance PROPERTIES LABELS conformance TIMEOUT 300)
endif()

# tests/optimizer_kernels_test.cpp proves the optimizer kernels bit-identical to a scalar loop for
# any thread count and vector width; built for this machine's full instruction set (AVX2/FMA) it
# also proves that no FMA contraction sneaks into the kernels (core/parallel.hpp, KOBAI_KERNEL).
include(CheckCXXCompilerFlag)
check_cxx_compiler_flag(-march=native KOBAI_HAS_MARCH_NATIVE)
if(TARGET optimizer_kernels_test AND KOBAI_HAS_MARCH_NATIVE)
  target_link_libraries(optimizer_kernels_test PRIVATE kobai_native_flags)
endif()
