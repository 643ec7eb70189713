// kobai/problems/check.hpp — gradient check of a Problem's analytic gradient (`kobai check`).
//
//   auto check = kobai::problems::check_gradient(kobai::problems::make("beale"), x);
//
// Same rule as kobai::check_gradient (diff/check_gradient.hpp): per-component relative error
// |a − n| / max(|a|, |n|, 1) against the numerical central-difference gradient of p.value.
#pragma once

#include "kobai/core/validate.hpp"
#include "kobai/diff/check_gradient.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

inline GradientCheck check_gradient(const Problem& problem, const Vector& x,
                                    GradientCheckOptions options = {}) {
  validate::point("x", x, problem.dimension());
  return kobai::check_gradient([&](const Vector& v) { return problem.value(v); },
                               [&](const Vector& v, Vector& g) { problem.value_and_gradient(v, g); },
                               x, options);
}

}  // namespace kobai::problems
