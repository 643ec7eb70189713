// Functions typed as text: the grammar, values against the same formulas in C++, exact gradients
// and Hessians against forward/reverse AD and the built-in problems' analytic ones, error
// messages, domain errors, long inputs, and runs that match the built-in problems'.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "kobai/diff/autodiff.hpp"
#include "kobai/expr/expression.hpp"
#include "kobai/expr/make_problem.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/adam.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/problems/registry.hpp"

namespace {

using kobai::Matrix;
using kobai::Vector;
namespace ex = kobai::expr;

double relative_difference(const Matrix& a, const Matrix& b) {
  return (a - b).cwiseAbs().maxCoeff() / std::max(1.0, b.cwiseAbs().maxCoeff());
}

double value_at(std::string_view text, const Vector& x) { return ex::compile(text).value(x); }

TEST(Expression, FollowsTheUsualPrecedenceAndAssociativity) {
  const Vector x{{3.0}};
  EXPECT_EQ(value_at("-x^2", x), -9.0);          // unary minus binds looser than ^
  EXPECT_EQ(value_at("(-x)^2", x), 9.0);
  EXPECT_EQ(value_at("2^3^2", x), 512.0);        // right-associative
  EXPECT_EQ(value_at("2^-1", x), 0.5);           // a sign in the exponent
  EXPECT_EQ(value_at("2^-x^2", x), std::pow(2.0, -9.0));
  EXPECT_EQ(value_at("1 - 2 - 3", x), -4.0);     // left-associative
  EXPECT_EQ(value_at("8 / 4 / 2", x), 1.0);
  EXPECT_EQ(value_at("1 + 2 * 3", x), 7.0);
  EXPECT_EQ(value_at("--x", x), 3.0);
  EXPECT_EQ(value_at("- -x", x), 3.0);
  EXPECT_EQ(value_at("2*-x", x), -6.0);
  EXPECT_EQ(value_at("x**2", x), 9.0);           // Python's spelling of ^
  EXPECT_EQ(value_at("1e-3", x), 1e-3);
  EXPECT_EQ(value_at(".5E+1", x), 5.0);
  EXPECT_EQ(value_at("pi", x), std::numbers::pi);
  EXPECT_EQ(value_at("e", x), std::numbers::e);
  EXPECT_THROW(ex::compile("2e"), ex::ParseError);  // not a number, and no implicit product
}

TEST(Expression, EveryFunctionMatchesTheLibrary) {
  const Vector p{{0.3, -0.7}};
  const double x = p[0], y = p[1];
  const std::pair<const char*, double> cases[] = {
      {"sin(x)", std::sin(x)},         {"cos(x)", std::cos(x)},       {"tan(x)", std::tan(x)},
      {"exp(x)", std::exp(x)},         {"log(x)", std::log(x)},       {"sqrt(x)", std::sqrt(x)},
      {"abs(y)", std::abs(y)},         {"tanh(x)", std::tanh(x)},     {"sinh(x)", std::sinh(x)},
      {"cosh(x)", std::cosh(x)},       {"asin(x)", std::asin(x)},     {"acos(x)", std::acos(x)},
      {"atan(x)", std::atan(x)},       {"atan2(y, x)", std::atan2(y, x)},
      {"pow(x, y)", std::pow(x, y)},   {"min(x, y)", std::min(x, y)}, {"max(x, y)", std::max(x, y)},
      {"x^y", std::pow(x, y)},         {"e^x", std::exp(x)},          {"x^3", x * x * x},
  };
  for (const auto& [text, expected] : cases)
    EXPECT_NEAR(ex::compile(text, {.dimension = 2}).value(p), expected, 1e-15) << text;
}

TEST(Expression, InfersTheDimensionFromTheVariables) {
  EXPECT_EQ(ex::compile("x^2").dimension(), 1);
  EXPECT_EQ(ex::compile("x + y").dimension(), 2);
  EXPECT_EQ(ex::compile("y").dimension(), 2);
  EXPECT_EQ(ex::compile("z").dimension(), 3);
  EXPECT_EQ(ex::compile("x0 * x11").dimension(), 12);
  EXPECT_EQ(ex::compile("x + x1").dimension(), 2);  // x is x0, y is x1
  EXPECT_EQ(ex::compile("3").dimension(), 1);
  EXPECT_EQ(ex::compile("x", {.dimension = 4}).dimension(), 4);
  EXPECT_THROW(ex::compile("x3", {.dimension = 2}), ex::ParseError);
  const Vector v{{2.0, 5.0}};
  EXPECT_EQ(ex::compile("x * y").value(v), 10.0);
  EXPECT_EQ(ex::compile("x0 * x1").value(v), 10.0);
  EXPECT_THROW(ex::compile("x*y").value(Vector{{1.0}}), kobai::InvalidArgument);
}

// The text and the same function as a generic lambda: values, gradients and Hessians agree.
template <class F>
void expect_same_function(std::string_view text, const F& f, int n) {
  const ex::Expression e = ex::compile(text, {.dimension = n});
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.2, 0.9);  // inside every function's domain
  for (int k = 0; k < 5; ++k) {
    Vector x(n);
    for (int i = 0; i < n; ++i) x[i] = u(rng);
    Vector g;
    const double v = e.value_and_gradient(x, g);
    EXPECT_NEAR(v, static_cast<double>(f(x)), 1e-13 * std::max(1.0, std::abs(v))) << text;
    EXPECT_LE(relative_difference(g, kobai::reverse::gradient(f, x)), 1e-13) << text;
    EXPECT_LE(relative_difference(e.hessian(x), kobai::reverse::hessian(f, x)), 1e-12) << text;
  }
}

TEST(Expression, GradientsAndHessiansMatchAutomaticDifferentiation) {
  using std::atan2;
  expect_same_function("sin(x*y) + cos(x - y)^2 + exp(-x^2) * log(1 + y)",
                       [](const auto& v) {
                         using std::cos; using std::exp; using std::log; using std::sin;
                         return sin(v[0] * v[1]) + pow(cos(v[0] - v[1]), 2) +
                                exp(-v[0] * v[0]) * log(1 + v[1]);
                       }, 2);
  expect_same_function("sqrt(x^2 + y^2) + atan2(y, x) + tanh(x) * sinh(y) / cosh(x*y)",
                       [](const auto& v) {
                         using std::cosh; using std::sinh; using std::sqrt; using std::tanh;
                         return sqrt(v[0] * v[0] + v[1] * v[1]) + atan2(v[1], v[0]) +
                                tanh(v[0]) * sinh(v[1]) / cosh(v[0] * v[1]);
                       }, 2);
  expect_same_function("asin(x) + acos(y) * atan(x*y) + x^y + pow(y, 2.5) + 2^x + abs(x - y)",
                       [](const auto& v) {
                         using std::abs; using std::acos; using std::asin; using std::atan; using std::pow;
                         return asin(v[0]) + acos(v[1]) * atan(v[0] * v[1]) + pow(v[0], v[1]) +
                                pow(v[1], 2.5) + pow(2.0, v[0]) + abs(v[0] - v[1]);
                       }, 2);
  expect_same_function("min(x, y)^2 + max(x, z) * 3 - tan(z) / (1 + x)", [](const auto& v) {
    using std::max; using std::min; using std::tan;
    return pow(min(v[0], v[1]), 2) + max(v[0], v[2]) * 3 - tan(v[2]) / (1 + v[0]);
  }, 3);
}

// Every built-in problem with a fixed formula, typed as text, against its analytic derivatives.
TEST(Expression, MatchesTheBuiltInProblemsTypedAsText) {
  namespace pr = kobai::problems;
  const std::pair<pr::Problem, const char*> cases[] = {
      {pr::quadratic1d(), "(5 - x)^2"},
      {pr::cubic(), "x^3 - 3*x^2 - 9*x + 2"},
      {pr::sine_bowl(), "sin(x) + 0.05*(5 - x)^2"},
      {pr::elliptic(), "x^2/16 + 9*y^2"},
      {pr::sphere(3), "x^2 + y^2 + z^2"},
      {pr::beale(), "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"},
      {pr::rosenbrock(4), "100*(x1 - x0^2)^2 + (1 - x0)^2 + 100*(x3 - x2^2)^2 + (1 - x2)^2"},
      {pr::himmelblau(), "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"},
      {pr::booth(), "(x + 2*y - 7)^2 + (2*x + y - 5)^2"},
      {pr::matyas(), "0.26*(x^2 + y^2) - 0.48*x*y"},
      {pr::three_hump_camel(), "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2"},
      {pr::goldstein_price(),
       "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2)) * "
       "(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))"},
      {pr::rastrigin(2), "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"},
      {pr::ackley(2),
       "-20*exp(-0.2*sqrt((x^2 + y^2)/2)) - exp((cos(2*pi*x) + cos(2*pi*y))/2) + 20 + e"},
      {pr::styblinski_tang(2), "0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)"},
  };
  for (const auto& [p, text] : cases) {
    const kobai::problems::Problem q = ex::make_problem(text);
    ASSERT_EQ(q.dimension(), p.dimension()) << text;
    std::mt19937_64 rng(99);
    for (int k = 0; k < 5; ++k) {
      Vector x(p.dimension());
      for (int i = 0; i < p.dimension(); ++i)
        x[i] = std::uniform_real_distribution<double>(p.box_lower[i], p.box_upper[i])(rng);
      EXPECT_NEAR(q.value(x), p.value(x), 1e-12 * std::max(1.0, std::abs(p.value(x)))) << p.name;
      EXPECT_LE(relative_difference(q.gradient(x), p.gradient(x)), 1e-12) << p.name;
      EXPECT_LE(relative_difference(q.hessian(x), p.hessian(x)), 1e-12) << p.name;
    }
  }
}

TEST(Expression, BealeTypedAsTextFollowsTheBuiltInAdamTrajectory) {
  // Seed 003's experiment: Adam (lr 1e-3, betas 0.9 / 0.8) from (3, 4). Two correct gradients
  // differ in the last bits; over 1,000 steps Adam keeps such differences near 1e-15 (DESIGN.md:
  // they grow only after ~2,000 steps near the minimum), so 1e-9 relative is a wide margin that
  // a wrong derivative (or a wrong operator precedence) would still break at the first step.
  const auto builtin = kobai::problems::beale();
  const auto typed =
      ex::make_problem("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2");
  const kobai::MinimizeOptions options{.max_iterations = 1000, .gradient_tolerance = 0,
                                       .record_history = true};
  const Vector start{{3.0, 4.0}};
  const auto a = kobai::minimize(builtin, start, kobai::Adam({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8}), options);
  const auto b = kobai::minimize(typed, start, kobai::Adam({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8}), options);
  ASSERT_EQ(a.iterations, 1000);
  ASSERT_EQ(b.iterations, 1000);
  ASSERT_EQ(a.history.points.size(), b.history.points.size());
  ASSERT_GE(a.history.points.size(), 1001u);
  for (std::size_t k = 0; k < a.history.points.size(); ++k) {
    const Vector& p = a.history.points[k];
    const Vector& q = b.history.points[k];
    EXPECT_LE((p - q).cwiseAbs().maxCoeff(), 1e-9 * p.cwiseAbs().maxCoeff()) << "iteration " << k;
    EXPECT_NEAR(a.history.values[k], b.history.values[k], 1e-9 * std::max(1.0, a.history.values[k]));
  }
}

TEST(Expression, MinimizesToKnownMinima) {
  // Himmelblau from (0, 0) with gradient descent ends at its minimum (3, 2).
  auto p = ex::make_problem("(x^2 + y - 11)^2 + (x + y^2 - 7)^2");
  auto r = kobai::minimize(p, Vector{{0.0, 0.0}}, kobai::GradientDescent({.lr = 0.01}),
                           {.max_iterations = 100'000, .gradient_tolerance = 1e-10});
  EXPECT_EQ(r.status, kobai::Status::converged);
  EXPECT_NEAR(r.x[0], 3.0, 1e-10);
  EXPECT_NEAR(r.x[1], 2.0, 1e-10);
}

TEST(Expression, LeavingTheDomainGivesNonFiniteValuesAndTheLoopReportsDivergence) {
  const Vector x{{-1.0}};
  EXPECT_TRUE(std::isnan(value_at("log(x)", x)));
  EXPECT_TRUE(std::isnan(value_at("sqrt(x)", x)));
  EXPECT_TRUE(std::isinf(value_at("1/(x + 1)", x)));
  EXPECT_TRUE(std::isnan(value_at("asin(x - 1)", x)));
  Vector g;
  ex::compile("log(x)").value_and_gradient(x, g);
  EXPECT_FALSE(std::isfinite(g[0]) && std::isfinite(value_at("log(x)", x)));
  // log(x) + x²/2 from x = 1 with a large step jumps below 0: the run ends `diverged`.
  auto p = ex::make_problem("log(x) + x^2");
  auto r = kobai::minimize(p, Vector{{1.0}}, kobai::GradientDescent({.lr = 1.0}),
                           {.max_iterations = 100});
  EXPECT_EQ(r.status, kobai::Status::diverged);
  EXPECT_TRUE(r.x.allFinite());
}

// ---- errors ------------------------------------------------------------------------------------

std::string error_of(std::string_view text) {
  try {
    ex::compile(text);
  } catch (const ex::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ExpressionErrors, ShowTheTextACaretAndWhatWasExpected) {
  const std::string m = error_of("sin(x + 1");
  EXPECT_NE(m.find("column 10"), std::string::npos) << m;
  EXPECT_NE(m.find("expected ')' to close the '(' at column 4"), std::string::npos) << m;
  EXPECT_NE(m.find("\n  sin(x + 1\n           ^"), std::string::npos) << m;

  const std::string n = error_of("x + * y");
  EXPECT_NE(n.find("expected a number, a variable, a function or '(', got '*'"), std::string::npos) << n;
  EXPECT_NE(n.find("\n  x + * y\n      ^"), std::string::npos) << n;

  EXPECT_NE(error_of("2 x").find("expected an operator"), std::string::npos);
  EXPECT_NE(error_of("x)").find("unmatched ')'"), std::string::npos);
  EXPECT_NE(error_of("").find("expected an expression"), std::string::npos);
  EXPECT_NE(error_of("x $ 1").find("unexpected character '$'"), std::string::npos);
  EXPECT_NE(error_of("2e").find("expected an operator"), std::string::npos);
}

TEST(ExpressionErrors, NameTheUnknownFunctionOrVariable) {
  const std::string f = error_of("2 * foo(x)");
  EXPECT_NE(f.find("unknown function 'foo'"), std::string::npos) << f;
  EXPECT_NE(f.find("sin cos tan"), std::string::npos) << f;
  EXPECT_NE(f.find("\n  2 * foo(x)\n      ^"), std::string::npos) << f;
  const std::string v = error_of("x + w");
  EXPECT_NE(v.find("unknown variable 'w'"), std::string::npos) << v;
  EXPECT_NE(error_of("x01").find("unknown variable 'x01'"), std::string::npos);
  EXPECT_NE(error_of("x99999999").find("beyond the largest index"), std::string::npos);
  EXPECT_NE(error_of("atan2(x)").find("atan2 takes 2 arguments, got 1"), std::string::npos);
  EXPECT_NE(error_of("sin(x, y)").find("sin takes 1 argument, got more"), std::string::npos);
  EXPECT_NE(error_of("sin + 1").find("expected '(' after the function 'sin'"), std::string::npos);
  EXPECT_NE(error_of("x(2)").find("'x' is not a function"), std::string::npos);
}

TEST(ExpressionErrors, AreInvalidArgumentsWithAPosition) {
  try {
    ex::compile("1 + (2");
    FAIL() << "no error";
  } catch (const kobai::InvalidArgument& e) {
    const auto* p = dynamic_cast<const ex::ParseError*>(&e);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->position(), 6u);
    EXPECT_EQ(p->column(), 7u);
  }
}

TEST(ExpressionErrors, LongTextsShowAWindowAroundThePosition) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "x + ";
  text += "?";
  const std::string m = error_of(text);
  EXPECT_NE(m.find("column 2001"), std::string::npos);
  EXPECT_LT(m.size(), 400u);
  const auto caret_line = m.substr(m.rfind('\n') + 1);
  const auto text_line = m.substr(m.find('\n') + 1, m.rfind('\n') - m.find('\n') - 1);
  EXPECT_EQ(text_line[caret_line.size() - 1], '?');
}

TEST(ExpressionLimits, DeepNestingIsAnErrorNotAStackOverflow) {
  const std::string deep = std::string(100'000, '(') + "x" + std::string(100'000, ')');
  EXPECT_NE(error_of(deep).find("nested more than 256 deep"), std::string::npos);
  std::string calls;
  for (int i = 0; i < 10'000; ++i) calls += "sin(";
  EXPECT_NE(error_of(calls + "x").find("nested more than"), std::string::npos);
  const std::string ok = std::string(200, '(') + "x" + std::string(200, ')');
  EXPECT_EQ(value_at(ok, Vector{{2.0}}), 2.0);
}

TEST(ExpressionLimits, LongSumsAndChainsParseInOnePass) {
  // 100,000 terms, a long unary-minus run and a long power chain: loops, not recursion.
  std::string sum;
  for (int i = 0; i < 100'000; ++i) sum += (i ? " + x" : "x") + std::to_string(i) + "^2";
  const ex::Expression f = ex::compile(sum);
  EXPECT_EQ(f.dimension(), 100'000);
  const Vector x = Vector::LinSpaced(100'000, -1, 1);
  EXPECT_NEAR(f.value(x), x.squaredNorm(), 1e-12 * x.squaredNorm());
  Vector g;
  f.value_and_gradient(x, g);
  EXPECT_LE((g - 2 * x).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_EQ(value_at(std::string(100'001, '-') + "x", Vector{{2.0}}), -2.0);
  std::string tower = "1";
  for (int i = 0; i < 100'000; ++i) tower += "^1";
  EXPECT_EQ(value_at(tower, Vector{{2.0}}), 1.0);
}

TEST(ExpressionLimits, ShortSumsAddLeftToRightLongOnesPairwise) {
  // x0 = 2^53 and every other x_i = 1. Added left to right, each 1 is lost to rounding
  // (2^53 + 1 is a tie, rounded to the even 2^53); added pairwise, the ones meet each other
  // first and most survive. Sums of fewer than 8 terms keep the order they were written in, bit
  // for bit; 8 or more are added pairwise (a shorter dependency chain; rounding error growing as
  // log n, not n).
  auto sum = [](int terms) {
    std::string text;
    for (int i = 0; i < terms; ++i) text += (i ? " + x" : "x") + std::to_string(i);
    Vector x = Vector::Ones(terms);
    x[0] = 9007199254740992.0;
    return ex::compile(text).value(x);
  };
  EXPECT_EQ(sum(7), 9007199254740992.0);
  EXPECT_GE(sum(8), 9007199254740992.0 + 4);
}

TEST(CompileGradient, ChecksAHandDerivedGradient) {
  // Seed 003 §2.4: a hand-derived gradient typed as text, against the exact one.
  const auto f = ex::compile("x^2*y + atan2(y, x)");
  const auto grad = ex::compile_gradient("2*x*y - y/(x^2 + y^2), x^2 + x/(x^2 + y^2)", 2);
  const Vector p{{0.4, -1.3}};
  EXPECT_LE(relative_difference(grad(p), f.gradient(p)), 1e-15);
  EXPECT_EQ(ex::split_components("atan2(y, x), 2 , (x,y)").size(), 3u);
  EXPECT_THROW(ex::compile_gradient("2*x", 2), kobai::InvalidArgument);
  EXPECT_THROW(ex::compile_gradient("2*x, 2*z", 2), ex::ParseError);
  const auto partial = ex::compile_gradient("0, 1", 2);  // components may skip variables
  EXPECT_EQ(partial(p), Vector(Vector{{0.0, 1.0}}));
}

TEST(MakeProblem, IsAProblemWithTheTextAsFormula) {
  const auto p = ex::make_problem("x^2 + 3*y^2");
  EXPECT_EQ(p.name, "expr");
  EXPECT_EQ(p.formula, "x^2 + 3*y^2");
  EXPECT_EQ(p.dimension(), 2);
  EXPECT_TRUE(p.has_hessian());
  EXPECT_EQ(p.start, Vector(Vector::Zero(2)));
  const auto q = ex::make_problem("x", {.dimension = 3, .name = "mine", .start = Vector{{1.0, 2.0, 3.0}}});
  EXPECT_EQ(q.dimension(), 3);
  EXPECT_EQ(q.name, "mine");
  EXPECT_EQ(q.gradient(Vector{{1.0, 2.0, 3.0}}), Vector(Vector{{1.0, 0.0, 0.0}}));
  EXPECT_THROW(ex::make_problem("x +"), ex::ParseError);
}

}  // namespace
