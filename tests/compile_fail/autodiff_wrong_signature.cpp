// Must NOT compile: the function takes a concrete kobai::Vector, so it cannot be evaluated on
// dual numbers or tape variables. tests/autodiff_compile_error.cmake checks that the compiler
// reports exactly one error, the readable static_assert from kobai::DifferentiableFunction.
#include "kobai/diff/autodiff.hpp"

int main() {
  auto objective = kobai::autodiff([](const kobai::Vector& x) { return x[0] * x[0]; });
  (void)objective;
}
