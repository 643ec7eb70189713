// kobai/problems/problem.hpp — a test function with everything a run or a picture needs.
//
// A Problem carries the value, its analytic gradient and Hessian, the known minimizers, a standard
// start and a plotting box. It satisfies the Objective concept, so `minimize` takes it directly.
// The members are std::function so problems built at run time (from text, from a registry name)
// have the same type as built-in ones.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"

namespace kobai::problems {

struct Problem {
  std::string name;         // registry name, e.g. "beale"
  std::string formula;      // human-readable formula, e.g. "(1.5 - x + xy)^2 + ..."
  std::string description;  // one sentence: where it comes from, what makes it interesting
  int dimension_ = 0;

  std::function<double(const Vector&)> value_fn;
  // Writes ∇f(x) into g (already sized) and returns f(x).
  std::function<double(const Vector&, Vector&)> value_and_gradient_fn;
  // Writes ∇²f(x) into h (already sized n×n). Empty when no Hessian is known.
  std::function<void(const Vector&, Matrix&)> hessian_fn;

  std::vector<Vector> global_minimizers;  // known global minimizers (may be several)
  std::vector<Vector> local_minimizers;   // other known local minimizers, for the pictures
  // f at a global minimizer. Where no global minimizer exists (global_minimizers empty):
  // the infimum when f is bounded below (simple_net: −log(1 + δ), approached, never attained),
  // else (bounded_below = false, e.g. cubic) the lowest known local minimum value.
  double minimum_value = 0;
  bool bounded_below = true;              // false: f → −∞ somewhere, no global minimum
  Vector start;                           // a standard start point
  Vector box_lower, box_upper;            // plotting box

  int dimension() const { return dimension_; }
  double value(const Vector& x) const { return value_fn(x); }
  double value_and_gradient(const Vector& x, Vector& g) const { return value_and_gradient_fn(x, g); }
  Vector gradient(const Vector& x) const {
    Vector g(x.size());
    value_and_gradient_fn(x, g);
    return g;
  }
  bool has_hessian() const { return static_cast<bool>(hessian_fn); }
  void hessian(const Vector& x, Matrix& h) const {
    if (!hessian_fn) throw InvalidArgument("problem '" + name + "' has no Hessian");
    hessian_fn(x, h);
  }
  Matrix hessian(const Vector& x) const {
    Matrix h(x.size(), x.size());
    hessian(x, h);
    return h;
  }
};

}  // namespace kobai::problems
