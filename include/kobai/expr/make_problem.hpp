// kobai/expr/make_problem.hpp — a problems::Problem from a function typed as text.
//
//   auto p = kobai::expr::make_problem("(x^2 + y - 11)^2 + (x + y^2 - 7)^2");
//   auto r = kobai::minimize(p, kobai::Vector{{0.0, 0.0}}, kobai::Adam({.lr = 1e-2}));
//
// The problem's dimension is inferred from the variables (x, y, z or x0 … xN), its value,
// gradient and Hessian are the compiled expression's (exact), its name is "expr" and its formula
// the text. Nothing is known about its minima, so global_minimizers is empty; the start point is
// the origin and the plotting box [−5, 5]ⁿ, both meant to be overridden by the caller (the
// command line's --from and --box). Options can fix the dimension (variables the text does not
// mention then simply do not affect f) and replace the start and box.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kobai/expr/expression.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::expr {

struct MakeProblemOptions {
  int dimension = 0;             // 0: inferred from the text
  std::string name = "expr";
  std::optional<Vector> start{};  // default: the origin
  double box_half_width = 5.0;   // the plotting box is [−w, w]ⁿ
};

inline problems::Problem make_problem(std::string_view text, const MakeProblemOptions& options = {}) {
  const Expression f = compile(text, {.dimension = options.dimension});
  const int n = f.dimension();
  problems::Problem p;
  p.name = options.name;
  p.formula = std::string(text);
  p.description = "a function typed as text; exact gradient and Hessian from its compiled tape";
  p.dimension_ = n;
  p.value_fn = [f](const Vector& x) { return f.value(x); };
  p.value_and_gradient_fn = [f](const Vector& x, Vector& g) { return f.value_and_gradient(x, g); };
  p.hessian_fn = [f](const Vector& x, Matrix& h) { f.hessian(x, h); };
  p.bounded_below = true;  // unknown; claims nothing stronger than the default
  p.start = options.start ? *options.start : Vector::Zero(n);
  if (p.start.size() != n)
    throw InvalidArgument("start must have dimension " + std::to_string(n) + ", got " +
                          std::to_string(p.start.size()));
  p.box_lower = Vector::Constant(n, -options.box_half_width);
  p.box_upper = Vector::Constant(n, options.box_half_width);
  return p;
}

}  // namespace kobai::expr
