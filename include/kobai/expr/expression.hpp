// kobai/expr/expression.hpp — a function typed as text, compiled once, with exact derivatives.
//
//   auto f = kobai::expr::compile("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2");
//   f.dimension();                         // 2 (x, y)
//   double v = f.value(x);
//   double v = f.value_and_gradient(x, g); // exact ∇f by a reverse sweep over the tape
//   f.hessian(x, h);                       // exact ∇²f, forward over reverse
//   auto r = kobai::minimize(f, x0, kobai::GradientDescent({.lr = 1e-3}));
//
//   auto grad = kobai::expr::compile_gradient("2*x, 2*y", 2);   // a hand-derived gradient
//   kobai::Vector g = grad(x);
//
// A long sum of terms of a few shapes (an n-variable function typed as a sum, such as the extended
// Rosenbrock function) is evaluated term shape by term shape (sum_form.hpp), ~5–10× faster than
// the instruction-by-instruction program at 10⁴ variables; the Hessian always runs the program.
// An Expression satisfies Objective and ObjectiveWithHessian. It is cheap to copy (the compiled
// program is shared, immutable) and safe to evaluate from several threads at once (the evaluation
// scratch is per thread). See parser.hpp for the language and program.hpp for the evaluation.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/expr/parser.hpp"
#include "kobai/expr/program.hpp"
#include "kobai/expr/sum_form.hpp"

namespace kobai::expr {

class Expression {
 public:
  Expression(std::string text, Program program)
      : text_(std::move(text)),
        program_(std::make_shared<const Program>(std::move(program))),
        sum_form_(SumForm::analyse(*program_)) {}

  const std::string& text() const { return text_; }
  int dimension() const { return program_->dimension; }
  std::size_t instruction_count() const { return program_->code.size(); }
  const Program& program() const { return *program_; }

  // The sum form, when the text is a long sum of terms of a few shapes (sum_form.hpp); null otherwise.
  const SumForm* sum_form() const { return sum_form_.get(); }

  double value(const Vector& x) const {
    if (!sum_form_) return evaluate(*program_, x);
    detail::check_dimension(*program_, x);
    return sum_form_->value(x.data());
  }
  double operator()(const Vector& x) const { return value(x); }
  double value_and_gradient(const Vector& x, Vector& g) const {
    if (!sum_form_) return evaluate_with_gradient(*program_, x, g);
    detail::check_dimension(*program_, x);
    g.resize(dimension());
    return sum_form_->value_and_gradient(x.data(), g.data());
  }
  Vector gradient(const Vector& x) const {
    Vector g(dimension());
    value_and_gradient(x, g);
    return g;
  }
  void hessian(const Vector& x, Matrix& h) const { evaluate_hessian(*program_, x, h); }
  Matrix hessian(const Vector& x) const {
    Matrix h;
    hessian(x, h);
    return h;
  }

 private:
  std::string text_;
  std::shared_ptr<const Program> program_;
  std::shared_ptr<const SumForm> sum_form_;
};

inline Expression compile(std::string_view text, const CompileOptions& options = {}) {
  return Expression(std::string(text), compile_program(text, options));
}

// Splits "2*x, atan2(y, x)" at the commas outside parentheses: {"2*x", "atan2(y, x)"}, each
// trimmed of surrounding whitespace.
inline std::vector<std::string> split_components(std::string_view text) {
  std::vector<std::string> parts;
  int depth = 0;
  std::size_t start = 0;
  auto push = [&](std::size_t end) {
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    parts.emplace_back(part);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    else if (text[i] == ')') --depth;
    else if (text[i] == ',' && depth == 0) {
      push(i);
      start = i + 1;
    }
  }
  push(text.size());
  return parts;
}

// A gradient typed as text, one expression per component, all over the same variables.
class GradientExpression {
 public:
  explicit GradientExpression(std::vector<Expression> components)
      : components_(std::move(components)) {}

  int dimension() const { return static_cast<int>(components_.size()); }
  const std::vector<Expression>& components() const { return components_; }
  Vector operator()(const Vector& x) const {
    Vector g(dimension());
    for (int i = 0; i < dimension(); ++i) g[i] = components_[static_cast<std::size_t>(i)].value(x);
    return g;
  }

 private:
  std::vector<Expression> components_;
};

// Compiles `dimension` comma-separated component texts ("2*x, 2*y") over x0 … x_{dimension−1}.
// Throws ParseError for a bad component (its message quotes that component) and InvalidArgument
// when the number of components is not `dimension`.
inline GradientExpression compile_gradient(std::string_view comma_separated, int dimension) {
  if (dimension < 1)
    throw InvalidArgument("dimension must be >= 1, got " + std::to_string(dimension));
  const std::vector<std::string> texts = split_components(comma_separated);
  if (static_cast<int>(texts.size()) != dimension)
    throw InvalidArgument("the gradient must have " + std::to_string(dimension) +
                          " components (one per variable), got " + std::to_string(texts.size()) +
                          " in '" + std::string(comma_separated) + "'");
  std::vector<Expression> components;
  components.reserve(texts.size());
  for (const std::string& t : texts) components.push_back(compile(t, {.dimension = dimension}));
  return GradientExpression(std::move(components));
}

}  // namespace kobai::expr
