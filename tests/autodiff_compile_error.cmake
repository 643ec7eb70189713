# A function of the wrong shape handed to kobai::autodiff must fail to compile with exactly one
# error: the readable static_assert of kobai::DifferentiableFunction (issue 3). The check compiles
# tests/compile_fail/autodiff_wrong_signature.cpp with -fsyntax-only at test time.
get_target_property(KOBAI_EIGEN_DIRS Eigen3::Eigen INTERFACE_INCLUDE_DIRECTORIES)
add_test(NAME autodiff.WrongSignatureGivesOneReadableCompileError
  COMMAND ${CMAKE_COMMAND} -DCXX=${CMAKE_CXX_COMPILER} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          "-DEIGEN_DIRS=${KOBAI_EIGEN_DIRS}"
          -P ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/expect_one_error.cmake)
set_tests_properties(autodiff.WrongSignatureGivesOneReadableCompileError PROPERTIES LABELS compile)
