// kobai/problems/dimension_rule.hpp — the dimension checks the problem factories share.
//
// Problems of "any" dimension need n ≥ 1; the extended Rosenbrock function pairs coordinates, so
// it needs an even n. A bad dimension is invalid input: it throws with the problem's name and
// the bad value ("rosenbrock needs an even dimension, got 3").
#pragma once

#include <string>
#include <string_view>

#include "kobai/core/error.hpp"

namespace kobai::problems::detail {

inline void require_positive_dimension(std::string_view name, int n) {
  if (n < 1)
    throw InvalidArgument(std::string(name) + " needs a dimension >= 1, got " + std::to_string(n));
}

inline void require_even_dimension(std::string_view name, int n) {
  if (n % 2 != 0)
    throw InvalidArgument(std::string(name) + " needs an even dimension, got " + std::to_string(n));
  if (n < 2)
    throw InvalidArgument(std::string(name) + " needs an even dimension >= 2, got " +
                          std::to_string(n));
}

}  // namespace kobai::problems::detail
