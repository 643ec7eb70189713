// Automatic differentiation: forward-mode duals, the reverse tape, and kobai::gradient /
// kobai::hessian / kobai::autodiff, checked against analytic derivatives (hand-derived here, and
// the built-in problems' own analytic gradients and Hessians).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

// Forward and reverse together: no name clashes (Dual vs Var, kobai::forward vs kobai::reverse).
#include "kobai/diff/autodiff.hpp"
#include "kobai/diff/dual.hpp"
#include "kobai/diff/tape.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/problems/registry.hpp"

namespace {

using kobai::Matrix;
using kobai::Vector;
using kobai::forward::Dual;
using kobai::reverse::Tape;
using kobai::reverse::Var;

// Max-norm relative difference, the measure "equal to 1e-12 relative" means below.
double relative_difference(const Matrix& a, const Matrix& b) {
  const double scale = std::max(1.0, b.cwiseAbs().maxCoeff());
  return (a - b).cwiseAbs().maxCoeff() / scale;
}

// ---- every <cmath> function: value and derivative against the textbook derivative -----------

struct UnaryCase {
  std::string name;
  double at;
  double (*f)(double);
  double (*df)(double);
  Dual<double, 1> (*dual)(const Dual<double, 1>&);
  Var<double> (*var)(const Var<double>&);
};

#define KOBAI_CASE(fn, point, derivative)                                                    \
  UnaryCase {                                                                                \
    #fn, point, [](double x) { return std::fn(x); }, []([[maybe_unused]] double x) { return derivative; },    \
        [](const Dual<double, 1>& x) { return fn(x); },                                      \
        [](const Var<double>& x) -> Var<double> { return fn(x); }                                         \
  }

std::vector<UnaryCase> unary_cases() {
  return {
      KOBAI_CASE(sin, 0.7, std::cos(x)),
      KOBAI_CASE(cos, 0.7, -std::sin(x)),
      KOBAI_CASE(tan, 0.7, 1 / (std::cos(x) * std::cos(x))),
      KOBAI_CASE(asin, 0.3, 1 / std::sqrt(1 - x * x)),
      KOBAI_CASE(acos, 0.3, -1 / std::sqrt(1 - x * x)),
      KOBAI_CASE(atan, 0.3, 1 / (1 + x * x)),
      KOBAI_CASE(sinh, 0.7, std::cosh(x)),
      KOBAI_CASE(cosh, 0.7, std::sinh(x)),
      KOBAI_CASE(tanh, 0.7, 1 / (std::cosh(x) * std::cosh(x))),
      KOBAI_CASE(asinh, 0.7, 1 / std::sqrt(x * x + 1)),
      KOBAI_CASE(acosh, 1.7, 1 / std::sqrt(x * x - 1)),
      KOBAI_CASE(atanh, 0.3, 1 / (1 - x * x)),
      KOBAI_CASE(exp, 0.7, std::exp(x)),
      KOBAI_CASE(exp2, 0.7, std::exp2(x) * std::log(2.0)),
      KOBAI_CASE(expm1, 0.7, std::exp(x)),
      KOBAI_CASE(log, 0.7, 1 / x),
      KOBAI_CASE(log2, 0.7, 1 / (x * std::log(2.0))),
      KOBAI_CASE(log10, 0.7, 1 / (x * std::log(10.0))),
      KOBAI_CASE(log1p, 0.7, 1 / (1 + x)),
      KOBAI_CASE(sqrt, 0.7, 0.5 / std::sqrt(x)),
      KOBAI_CASE(cbrt, 0.7, 1 / (3 * std::cbrt(x) * std::cbrt(x))),
      KOBAI_CASE(erf, 0.7, 2 / std::sqrt(std::numbers::pi) * std::exp(-x * x)),
      KOBAI_CASE(erfc, 0.7, -2 / std::sqrt(std::numbers::pi) * std::exp(-x * x)),
      KOBAI_CASE(abs, -0.7, -1.0),
      KOBAI_CASE(abs, 0.7, 1.0),
      KOBAI_CASE(floor, 0.7, 0.0),
  };
}

TEST(Dual, EveryMathFunctionHasTheTextbookDerivative) {
  for (const UnaryCase& c : unary_cases()) {
    const Dual<double, 1> y = c.dual(Dual<double, 1>(c.at, 0));
    EXPECT_NEAR(y.value, c.f(c.at), 1e-15 * std::max(1.0, std::abs(c.f(c.at)))) << c.name;
    EXPECT_NEAR(y.d[0], c.df(c.at), 4e-16 * std::max(1.0, std::abs(c.df(c.at)))) << c.name;
  }
}

TEST(Var, EveryMathFunctionHasTheTextbookDerivative) {
  Tape<> tape;
  for (const UnaryCase& c : unary_cases()) {
    tape.clear();
    const Var<double> x = tape.variable(c.at);
    const Var<double> y = c.var(x);
    tape.backward(y);
    EXPECT_NEAR(y.value(), c.f(c.at), 1e-15 * std::max(1.0, std::abs(c.f(c.at)))) << c.name;
    EXPECT_NEAR(tape.adjoint(x), c.df(c.at), 4e-16 * std::max(1.0, std::abs(c.df(c.at)))) << c.name;
  }
}

// The two-argument functions, both modes, against their partial derivatives.
template <class F>
void expect_binary(const char* name, F f, double a, double b, double value, double da, double db) {
  const Dual<double, 2> y = f(Dual<double, 2>(a, 0), Dual<double, 2>(b, 1));
  EXPECT_NEAR(y.value, value, 1e-15 * std::max(1.0, std::abs(value))) << name;
  EXPECT_NEAR(y.d[0], da, 1e-15 * std::max(1.0, std::abs(da))) << name;
  EXPECT_NEAR(y.d[1], db, 1e-15 * std::max(1.0, std::abs(db))) << name;
  Tape<> tape;
  const Var<double> x0 = tape.variable(a), x1 = tape.variable(b);
  const Var<double> r = f(x0, x1);
  tape.backward(r);
  EXPECT_NEAR(r.value(), value, 1e-15 * std::max(1.0, std::abs(value))) << name;
  EXPECT_NEAR(tape.adjoint(x0), da, 1e-15 * std::max(1.0, std::abs(da))) << name;
  EXPECT_NEAR(tape.adjoint(x1), db, 1e-15 * std::max(1.0, std::abs(db))) << name;
}

TEST(Dual, TwoArgumentFunctionsHaveTheirPartialDerivatives) {
  const double a = 1.3, b = 0.6;
  auto gen = [](auto op) { return [op](const auto& u, const auto& v) { return op(u, v); }; };
  expect_binary("pow", gen([](const auto& u, const auto& v) { return pow(u, v); }), a, b,
                std::pow(a, b), b * std::pow(a, b - 1), std::pow(a, b) * std::log(a));
  expect_binary("atan2", gen([](const auto& u, const auto& v) { return atan2(u, v); }), a, b,
                std::atan2(a, b), b / (a * a + b * b), -a / (a * a + b * b));
  expect_binary("hypot", gen([](const auto& u, const auto& v) { return hypot(u, v); }), a, b,
                std::hypot(a, b), a / std::hypot(a, b), b / std::hypot(a, b));
  expect_binary("min", gen([](const auto& u, const auto& v) { return min(u, v); }), a, b, b, 0, 1);
  expect_binary("max", gen([](const auto& u, const auto& v) { return max(u, v); }), a, b, a, 1, 0);
  expect_binary("div", gen([](const auto& u, const auto& v) { return u / v; }), a, b, a / b,
                1 / b, -a / (b * b));
  expect_binary("mixed", gen([](const auto& u, const auto& v) { return 2 * u - v / 4 + 1 - 3 / u; }),
                a, b, 2 * a - b / 4 + 1 - 3 / a, 2 + 3 / (a * a), -0.25);
}

TEST(Dual, PowWithAConstantExponentIsFiniteAtZeroAndNegativeBases) {
  // x² at 0 has derivative 0 (not 0·inf); a constant exponent never takes log of the base.
  EXPECT_EQ(pow(Dual<double, 1>(0.0, 0), 2).d[0], 0.0);
  EXPECT_DOUBLE_EQ(pow(Dual<double, 1>(-2.0, 0), 3).d[0], 12.0);
  EXPECT_DOUBLE_EQ(pow(Dual<double, 1>(-2.0, 0), Dual<double, 1>(3.0)).d[0], 12.0);
  Tape<> tape;
  const auto x = tape.variable(-2.0);
  const auto y = pow(x, Var<double>(3.0));
  tape.backward(y);
  EXPECT_DOUBLE_EQ(tape.adjoint(x), 12.0);
}

TEST(Dual, AbsHasZeroDerivativeAtZeroAsPyTorch) {
  EXPECT_EQ(abs(Dual<double, 1>(0.0, 0)).d[0], 0.0);
}

TEST(Dual, NestedDualsGiveSecondDerivatives) {
  // f(x, y) = x² y + sin(x y): f_xx = 2y − y² sin(xy), f_xy = 2x + cos(xy) − xy sin(xy).
  using D1 = Dual<double, 2>;
  using D2 = Dual<D1, 2>;
  const double x = 1.5, y = 2.0;
  const D2 a(D1(x, 0), 0), b(D1(y, 1), 1);
  const D2 f = a * a * b + sin(a * b);
  EXPECT_NEAR(f.d[0].d[0], 2 * y - y * y * std::sin(x * y), 1e-14);
  EXPECT_NEAR(f.d[0].d[1], 2 * x + std::cos(x * y) - x * y * std::sin(x * y), 1e-14);
  EXPECT_NEAR(f.d[1].d[1], -x * x * std::sin(x * y), 1e-14);
}

TEST(Dual, WorksInsideEigenExpressions) {
  kobai::VectorX<Dual<double, 2>> v(2);
  v << Dual<double, 2>(3.0, 0), Dual<double, 2>(4.0, 1);
  const auto n2 = v.squaredNorm();
  EXPECT_DOUBLE_EQ(n2.value, 25);
  EXPECT_DOUBLE_EQ(n2.d[0], 6);
  EXPECT_DOUBLE_EQ(n2.d[1], 8);
  const auto n = v.norm();
  EXPECT_DOUBLE_EQ(n.d[0], 0.6);
  const auto s = (v.array() - 1.0).square().sum();
  EXPECT_DOUBLE_EQ(s.d[1], 6);
}

TEST(Var, WorksInsideEigenExpressions) {
  auto f = [](const auto& x) { return (x.array() - 1.0).square().sum() + x.squaredNorm(); };
  const Vector x{{3.0, 4.0, -1.0}};
  const Vector g = kobai::reverse::gradient(f, x);
  EXPECT_NEAR((g - (2 * (x.array() - 1) + 2 * x.array()).matrix()).norm(), 0, 1e-15);
}

TEST(Tape, IsReusedAcrossCallsWithoutGrowing) {
  auto f = [](const auto& x) {
    using T = std::decay_t<decltype(x[0])>;
    T s = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) s += x[i] * x[i] * (i + 1);
    return s;
  };
  Tape<> tape;
  kobai::VectorX<Var<double>> inputs;
  Vector x = Vector::LinSpaced(50, -1, 1), g(50);
  kobai::reverse::gradient(f, x, g, tape, inputs);
  const std::size_t size = tape.size();
  for (int k = 0; k < 3; ++k) {
    x *= 1.5;
    kobai::reverse::gradient(f, x, g, tape, inputs);
    EXPECT_EQ(tape.size(), size);
    for (Eigen::Index i = 0; i < 50; ++i) EXPECT_DOUBLE_EQ(g[i], 2 * x[i] * (i + 1));
  }
}

TEST(Tape, ConstantsAndUnusedInputsHaveZeroAdjoint) {
  Tape<> tape;
  const auto x = tape.variable(2.0), y = tape.variable(5.0);
  Var<double> c = 3;  // a constant, on no tape
  const auto f = c * x + c * c;
  tape.backward(f);
  EXPECT_EQ(tape.adjoint(x), 3.0);
  EXPECT_EQ(tape.adjoint(y), 0.0);
  EXPECT_EQ(tape.adjoint(c), 0.0);
}

TEST(Tape, LongComputationsSweepWithoutRecursion) {
  // A million chained operations: a recursive sweep would overflow the stack.
  Tape<> tape;
  const auto x = tape.variable(1.0);
  Var<double> s = x;
  for (int i = 0; i < 1'000'000; ++i) s = s * 1.0000001 + 1e-9;
  tape.backward(s);
  EXPECT_NEAR(tape.adjoint(x), std::pow(1.0000001, 1'000'000), 1e-9);
}

TEST(Tape, RecordsOneStatementPerAssignment) {
  // x * y + sin(x) becomes one statement whose entries carry the whole chain rule: (f, x, y +
  // cos x), (f, y, x), (f, x, …) — three entries, one new Var, no intermediate Vars.
  Tape<> tape;
  const auto x = tape.variable(0.5), y = tape.variable(3.0);
  const Var<double> f = x * y + sin(x);
  EXPECT_EQ(tape.size(), 3u);
  EXPECT_EQ(tape.entry_count(), 3u);
  // A product of one Var with itself (x * x, 100 * x * x) is one entry with the summed partial.
  const Var<double> square = 100 * x * x;
  EXPECT_EQ(tape.entry_count(), 4u);
  const Var<double> g = f + square;
  tape.backward(g);
  EXPECT_DOUBLE_EQ(tape.adjoint(x), 3.0 + std::cos(0.5) + 200 * 0.5);
  EXPECT_DOUBLE_EQ(tape.adjoint(y), 0.5);
}

TEST(Tape, GrowsCopiesAndSweepsAgainFromAnotherOutput) {
  // 3,000 statements outgrow the initial block; copies and assignments keep the recording.
  Tape<> tape;
  const auto x = tape.variable(1.5), y = tape.variable(-0.5);
  Var<double> s = x;
  for (int i = 0; i < 3000; ++i) s = s * 1.0001 + y * x;
  const Var<double> t = s * y;
  Tape<> copy = tape;
  Tape<> assigned;
  assigned = tape;
  tape.backward(t);
  copy.backward(t);
  assigned.backward(t);
  EXPECT_GT(tape.entry_count(), 1024u);
  EXPECT_EQ(copy.adjoint(x), tape.adjoint(x));
  EXPECT_EQ(assigned.adjoint(y), tape.adjoint(y));
  EXPECT_NE(tape.adjoint(x), 0.0);
  // A second sweep of the same recording from an earlier output starts from clean adjoints.
  tape.backward(s);
  EXPECT_EQ(tape.adjoint(t), 0.0);
  // dt/dy = s + y ds/dy
  EXPECT_NEAR(s.value() + y.value() * tape.adjoint(y), copy.adjoint(y),
              1e-13 * std::abs(copy.adjoint(y)));
}

TEST(Var, AutoIntermediatesHoldTheirOperandsByValue) {
  // An expression object outlives the Vars and temporaries it was built from: it holds copies,
  // so `auto` cannot dangle (ASan would flag a read of the dead stack frame here).
  Tape<> tape;
  const auto x = tape.variable(2.0);
  auto make = [](const Var<double>& v) {
    const Var<double> local = v * 3.0;  // dies when make returns
    return local * local + sin(local) - exp(v * 0.5);
  };
  auto e = make(x);  // an expression, not yet on the tape
  std::vector<double> clobber(64, -1.0);  // reuse the stack/heap the temporaries lived in
  auto scaled = 2.0 * e;                  // an expression over an expression, also by value
  EXPECT_NE(clobber[0], 0.0);
  const Var<double> y = scaled;
  tape.backward(y);
  const double l = 6.0;
  EXPECT_DOUBLE_EQ(y.value(), 2 * (l * l + std::sin(l) - std::exp(1.0)));
  EXPECT_NEAR(tape.adjoint(x), 2 * ((2 * l + std::cos(l)) * 3 - 0.5 * std::exp(1.0)), 1e-13);
  // Reassigning an operand afterwards does not change an expression already built.
  Var<double> a = x * 1.0;
  const auto twice = a + a;
  a = x * 5.0;
  EXPECT_DOUBLE_EQ(twice.value(), 4.0);
}

TEST(Var, ConstantExpressionsStayOffTheTape) {
  // Only constants: no statement, and no tape needed at all.
  const Var<double> c = 3;
  const Var<double> d = c * c + sin(c);
  EXPECT_TRUE(d.is_constant());
  EXPECT_DOUBLE_EQ(d.value(), 9 + std::sin(3.0));
}

// ---- the built-in problems, written again as generic lambdas ---------------------------------

template <class F>
void expect_matches_problem(const kobai::problems::Problem& p, const F& f, int points = 6) {
  std::mt19937_64 rng(12345);
  const int n = p.dimension();
  for (int k = 0; k < points; ++k) {
    Vector x(n);
    for (int i = 0; i < n; ++i) {
      std::uniform_real_distribution<double> u(p.box_lower[i], p.box_upper[i]);
      x[i] = u(rng);
    }
    const Vector analytic_g = p.gradient(x);
    const Matrix analytic_h = p.hessian(x);
    EXPECT_NEAR(static_cast<double>(f(x)), p.value(x), 1e-12 * std::max(1.0, std::abs(p.value(x))))
        << p.name << " value at " << x.transpose();
    EXPECT_LE(relative_difference(kobai::gradient(f, x), analytic_g), 1e-12)
        << p.name << " gradient (automatic mode) at " << x.transpose();
    EXPECT_LE(relative_difference(kobai::reverse::gradient(f, x), analytic_g), 1e-12)
        << p.name << " gradient (reverse) at " << x.transpose();
    EXPECT_LE(relative_difference(kobai::forward::gradient<4>(f, x), analytic_g), 1e-12)
        << p.name << " gradient (forward) at " << x.transpose();
    EXPECT_LE(relative_difference(kobai::hessian(f, x), analytic_h), 1e-12)
        << p.name << " Hessian at " << x.transpose() << "\nAD:\n"
        << kobai::hessian(f, x) << "\nanalytic:\n"
        << analytic_h;
  }
}

// Extended Rosenbrock, Rastrigin, Ackley, Styblinski–Tang, sphere: from their textbook formulas.
const auto rosenbrock = [](const auto& x) {
  using T = std::decay_t<decltype(x[0])>;
  T f = 0;
  for (Eigen::Index i = 0; i + 1 < x.size(); i += 2)
    f += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1 - x[i]) * (1 - x[i]);
  return f;
};
const auto rastrigin = [](const auto& x) {
  using T = std::decay_t<decltype(x[0])>;
  using std::cos;
  T f = 10.0 * static_cast<double>(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) f += x[i] * x[i] - 10 * cos(2 * std::numbers::pi * x[i]);
  return f;
};
const auto ackley = [](const auto& x) {
  using T = std::decay_t<decltype(x[0])>;
  using std::cos;
  using std::exp;
  using std::sqrt;
  const double n = static_cast<double>(x.size());
  T squares = 0, cosines = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    squares += x[i] * x[i];
    cosines += cos(2 * std::numbers::pi * x[i]);
  }
  return -20 * exp(-0.2 * sqrt(squares / n)) - exp(cosines / n) + 20 + std::numbers::e;
};
const auto styblinski_tang = [](const auto& x) {
  using T = std::decay_t<decltype(x[0])>;
  using std::pow;
  T f = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) f += pow(x[i], 4) - 16 * x[i] * x[i] + 5 * x[i];
  return 0.5 * f;
};
const auto sphere = [](const auto& x) { return x.squaredNorm(); };

TEST(Autodiff, MatchesEveryBuiltInProblemsAnalyticDerivatives) {
  namespace pr = kobai::problems;
  using std::cos;
  using std::sin;
  expect_matches_problem(pr::quadratic1d(), [](const auto& x) { return (5 - x[0]) * (5 - x[0]); });
  expect_matches_problem(pr::cubic(), [](const auto& x) {
    return x[0] * x[0] * x[0] - 3 * x[0] * x[0] - 9 * x[0] + 2;
  });
  expect_matches_problem(pr::sine_bowl(), [](const auto& x) {
    return sin(x[0]) + 0.05 * (5 - x[0]) * (5 - x[0]);
  });
  expect_matches_problem(pr::elliptic(), [](const auto& x) { return x[0] * x[0] / 16 + 9 * x[1] * x[1]; });
  expect_matches_problem(pr::beale(), [](const auto& v) {
    const auto x = v[0], y = v[1];
    return pow(1.5 - x + x * y, 2) + pow(2.25 - x + x * y * y, 2) + pow(2.625 - x + x * pow(y, 3), 2);
  });
  expect_matches_problem(pr::himmelblau(), [](const auto& v) {
    return pow(v[0] * v[0] + v[1] - 11, 2) + pow(v[0] + v[1] * v[1] - 7, 2);
  });
  expect_matches_problem(pr::booth(), [](const auto& v) {
    return pow(v[0] + 2 * v[1] - 7, 2) + pow(2 * v[0] + v[1] - 5, 2);
  });
  expect_matches_problem(pr::matyas(), [](const auto& v) {
    return 0.26 * (v[0] * v[0] + v[1] * v[1]) - 0.48 * v[0] * v[1];
  });
  expect_matches_problem(pr::three_hump_camel(), [](const auto& v) {
    const auto x = v[0], y = v[1];
    return 2 * x * x - 1.05 * pow(x, 4) + pow(x, 6) / 6 + x * y + y * y;
  });
  expect_matches_problem(pr::goldstein_price(), [](const auto& v) {
    const auto x = v[0], y = v[1];
    return (1 + pow(x + y + 1, 2) * (19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y)) *
           (30 + pow(2 * x - 3 * y, 2) * (18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y));
  });
  for (int n : {2, 3, 10}) {
    expect_matches_problem(pr::sphere(n), sphere);
    expect_matches_problem(pr::rastrigin(n), rastrigin);
    expect_matches_problem(pr::ackley(n), ackley);
    expect_matches_problem(pr::styblinski_tang(n), styblinski_tang);
  }
  for (int n : {2, 4, 20}) expect_matches_problem(pr::rosenbrock(n), rosenbrock);
}

TEST(Autodiff, CoversTheWholeCatalog) {
  // A new built-in problem must get a generic twin in the test above: this list is the catalog.
  const std::vector<std::string> tested = {
      "quadratic1d", "sphere", "elliptic", "cubic", "sine_bowl", "beale", "rosenbrock",
      "himmelblau", "booth", "matyas", "three_hump_camel", "goldstein_price", "rastrigin",
      "ackley", "styblinski_tang"};
  for (const auto& name : kobai::problems::names())
    EXPECT_NE(std::find(tested.begin(), tested.end(), name), tested.end())
        << name << " is in the catalog but not in MatchesEveryBuiltInProblemsAnalyticDerivatives";
}

TEST(Autodiff, ForwardOverForwardAgreesWithForwardOverReverse) {
  const Vector x{{0.3, -0.7, 1.1}};
  const Matrix a = kobai::forward::hessian<2>(ackley, x);
  const Matrix b = kobai::reverse::hessian<4>(ackley, x);
  EXPECT_LE(relative_difference(a, b), 1e-14);
}

// ---- autodiff(f) as an objective --------------------------------------------------------------

static_assert(kobai::ObjectiveWithHessian<kobai::AutodiffObjective<decltype(sphere)>>);

// Wrong shapes are rejected by the concept (kobai::autodiff(f) turns this into one static_assert).
static_assert(kobai::DifferentiableFunction<decltype(sphere)>);
static_assert(!kobai::DifferentiableFunction<decltype([](const Vector& x) { return x[0]; })>);
static_assert(!kobai::DifferentiableFunction<decltype([](const auto& x, int) { return x[0]; })>);
static_assert(!kobai::DifferentiableFunction<decltype([](const auto&) { return 1.0; })>);
static_assert(!kobai::DifferentiableFunction<decltype([](const auto& x) { (void)x; })>);

TEST(Autodiff, GradientDescentReachesKnownMinima) {
  // Booth (min 0 at (1, 3)) in forward mode, sphere in 20-D and Rosenbrock in 4-D in reverse mode.
  auto booth = kobai::autodiff([](const auto& v) {
    return pow(v[0] + 2 * v[1] - 7, 2) + pow(2 * v[0] + v[1] - 5, 2);
  });
  auto r = kobai::minimize(booth, Vector{{0.0, 0.0}}, kobai::GradientDescent({.lr = 0.05}),
                           {.max_iterations = 10'000, .gradient_tolerance = 1e-10});
  EXPECT_EQ(r.status, kobai::Status::converged);
  EXPECT_NEAR(r.x[0], 1, 1e-9);
  EXPECT_NEAR(r.x[1], 3, 1e-9);

  auto bowl = kobai::autodiff(sphere);
  auto s = kobai::minimize(bowl, Vector::LinSpaced(20, -3, 3), kobai::GradientDescent({.lr = 0.1}),
                           {.max_iterations = 10'000, .gradient_tolerance = 1e-10});
  EXPECT_EQ(s.status, kobai::Status::converged);
  EXPECT_LE(s.x.cwiseAbs().maxCoeff(), 1e-10);

  auto banana = kobai::autodiff(rosenbrock, {.mode = kobai::AutodiffOptions::Mode::reverse});
  auto t = kobai::minimize(banana, Vector{{-1.2, 1.0, -1.2, 1.0}},
                           kobai::GradientDescent({.lr = 1e-3, .momentum = 0.9}),
                           {.max_iterations = 200'000, .gradient_tolerance = 1e-8});
  EXPECT_EQ(t.status, kobai::Status::converged);
  EXPECT_LE((t.x - Vector::Ones(4)).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(Autodiff, ModesAgreeAndFollowTheOptions) {
  const Vector x = Vector::LinSpaced(6, -1.0, 1.5);
  auto forward = kobai::autodiff(rosenbrock, {.mode = kobai::AutodiffOptions::Mode::forward});
  auto reverse = kobai::autodiff(rosenbrock, {.mode = kobai::AutodiffOptions::Mode::reverse});
  Vector g1(6), g2(6);
  EXPECT_DOUBLE_EQ(forward.value_and_gradient(x, g1), reverse.value_and_gradient(x, g2));
  EXPECT_LE(relative_difference(g1, g2), 1e-15);
  EXPECT_LE(relative_difference(forward.hessian(x), kobai::problems::rosenbrock(6).hessian(x)), 1e-13);
}

}  // namespace
