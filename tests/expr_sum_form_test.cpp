// The sum form of an expression (kobai/expr/sum_form.hpp): which texts get one, and that it gives
// the program's value bit for bit and its gradient bit for bit (a variable in one term) or to
// rounding (a variable shared by several terms), on sums that exercise every operation, signs,
// bare variables and constants as terms, repeated variables and partial last blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kobai/core/simd_avx2_copy.hpp"
#include "kobai/expr/expression.hpp"
#include "kobai/expr/make_problem.hpp"
#include "kobai/expr/sum_form_spine.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/lbfgs.hpp"
#include "kobai/problems/rosenbrock.hpp"

namespace {

using kobai::Vector;
namespace ex = kobai::expr;

// (Appended, not "x" + to_string(i): GCC 12 at -O3 warns falsely of an overlapping copy, -Wrestrict.)
std::string x(int i) {
  std::string name = "x";
  name += std::to_string(i);
  return name;
}

// The extended Rosenbrock function typed as text, n variables.
std::string rosenbrock_text(int n) {
  std::string t;
  for (int i = 0; i < n; i += 2)
    t += (i ? " + " : "") + ("100*(" + x(i + 1) + " - " + x(i) + "^2)^2 + (1 - " + x(i) + ")^2");
  return t;
}

Vector random_point(int n, double lo, double hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  Vector v(n);
  for (int i = 0; i < n; ++i) v[i] = u(rng);
  return v;
}

// Value and gradient through the sum form and through the program.
struct Both {
  double fast_value, program_value;
  Vector fast_gradient, program_gradient;
};
Both evaluate_both(const ex::Expression& f, const Vector& at) {
  Both b;
  b.fast_value = f.value_and_gradient(at, b.fast_gradient);
  b.program_value = ex::evaluate_with_gradient(f.program(), at, b.program_gradient);
  return b;
}

// The lane programs' AVX2 copy on or off (core/simd_avx2_copy.hpp; off leaves the build's width),
// restored afterwards.
class Avx2Copy {
 public:
  explicit Avx2Copy(bool on) : saved_(kobai::simd::avx2_copy_enabled()) {
    kobai::simd::avx2_copy_enabled() = on && saved_;
  }
  ~Avx2Copy() { kobai::simd::avx2_copy_enabled() = saved_; }

 private:
  bool saved_;
};

TEST(ExprSumForm, RosenbrockIsOneShapeAndMatchesTheProgramBitForBit) {
  // Both widths: the rows read and written in steps of 2 go through packs (sum_form.hpp).
  for (bool avx2 : {false, true}) {
    SCOPED_TRACE(avx2);
    const Avx2Copy width(avx2);
    for (int n : {32, 130, 138, 10'000}) {  // 130, 138: 65 and 69 terms, a partial second block
      const ex::Expression f = ex::compile(rosenbrock_text(n));
      ASSERT_NE(f.sum_form(), nullptr) << n;
      EXPECT_EQ(f.sum_form()->shape_count(), 1u);
      EXPECT_EQ(f.sum_form()->term_count(), static_cast<std::size_t>(n / 2));
      for (unsigned seed : {1u, 2u}) {
        const Both b = evaluate_both(f, random_point(n, -2, 2, seed));
        EXPECT_EQ(b.fast_value, b.program_value);
        EXPECT_EQ(b.fast_gradient, b.program_gradient);  // each variable is in one term
        EXPECT_EQ(f.value(random_point(n, -2, 2, seed)), b.program_value);
      }
      // And the hand-written gradient of the built-in problem, to rounding.
      const auto p = kobai::problems::rosenbrock(n);
      const Vector at = random_point(n, -2, 2, 3);
      const Vector g = f.gradient(at), reference = p.gradient(at);
      EXPECT_LE((g - reference).cwiseAbs().maxCoeff(), 1e-12 * reference.cwiseAbs().maxCoeff());
    }
  }
}

TEST(ExprSumForm, EveryOperationSignsAndLeafKindsMatchTheProgram) {
  // Five copies of eight terms over different variables, then a constant: every operation, sub
  // and neg in the spine (the pairwise sum writes "a - b" and "-a + b" so), a bare variable and a
  // constant as terms, x·x (one variable twice in an instruction), a product fused with its
  // neighbour into one term (a·b + c). No variable is in two terms.
  std::string t;
  for (int k = 0; k < 5; ++k) {
    const int v = 12 * k;
    t += (k ? " + " : "") + ("sin(" + x(v) + ")*exp(" + x(v + 1) + "/3) - log(2 + " + x(v + 2) + "^2)") +
         " + " + x(v + 11) + " + sqrt(1 + " + x(v + 3) + "*" + x(v + 3) + ") + atan2(" + x(v + 4) +
         ", 2 + abs(" + x(v + 5) + ")) - (" + x(v + 6) + " - 0.5)^3 + pow(1.5 + tanh(" + x(v + 7) +
         "), 1.5 + cos(" + x(v + 8) + ")) + min(" + x(v + 9) + ", " + x(v + 10) + ")*max(" + x(v + 10) +
         ", 0.25)";
  }
  t += " + 7";
  const ex::Expression f = ex::compile(t);
  ASSERT_NE(f.sum_form(), nullptr);
  EXPECT_EQ(f.sum_form()->term_count(), 36u);  // 7 per copy (the product and its neighbour are one), 7
  for (unsigned seed : {4u, 5u, 6u}) {
    const Both b = evaluate_both(f, random_point(f.dimension(), -0.9, 0.9, seed));
    EXPECT_EQ(b.fast_value, b.program_value);
    EXPECT_EQ(b.fast_gradient, b.program_gradient);
  }
}

TEST(ExprSumForm, AVariableReadByPackedAndScalarRulesInEitherOrderMatchesTheProgram) {
  // The reverse pass stores a row's first contribution and adds the later ones (Shape::flow); a
  // row first reached by a rule without packs (sin) is cleared instead. sin(x)·x reaches x through
  // the product first, x²·sin(x) through sin first; x·2.5 leaves the constant's adjoint uncomputed.
  std::string t;
  for (int k = 0; k < 20; ++k) {
    const int v = 3 * k;
    t += (k ? " + " : "") + ("sin(" + x(v) + ")*" + x(v) + " + " + x(v + 1) + "^2*sin(" + x(v + 1) + ") + " +
                             x(v + 2) + "*2.5");
  }
  const ex::Expression f = ex::compile(t);
  ASSERT_NE(f.sum_form(), nullptr);
  for (bool avx2 : {false, true}) {
    const Avx2Copy width(avx2);
    for (unsigned seed : {7u, 8u}) {
      const Both b = evaluate_both(f, random_point(f.dimension(), -2, 2, seed));
      EXPECT_EQ(b.fast_value, b.program_value);
      EXPECT_EQ(b.fast_gradient, b.program_gradient);
    }
  }
}

TEST(ExprSumForm, SharedVariablesGiveTheGradientToRounding) {
  // SciPy's chained Rosenbrock: x_i is in terms i − 1 and i, so ∂f/∂x_i adds contributions of two
  // terms, in another order than the program does. A leading minus negates the first term.
  const int n = 200;
  std::string t = "-0.5*x0^2";
  for (int i = 0; i + 1 < n; ++i) t += " + 100*(" + x(i + 1) + " - " + x(i) + "^2)^2 + (1 - " + x(i) + ")^2";
  const ex::Expression f = ex::compile(t);
  ASSERT_NE(f.sum_form(), nullptr);
  for (unsigned seed : {7u, 8u}) {
    const Both b = evaluate_both(f, random_point(n, -2, 2, seed));
    EXPECT_EQ(b.fast_value, b.program_value);
    EXPECT_LE((b.fast_gradient - b.program_gradient).cwiseAbs().maxCoeff(),
              4 * std::numeric_limits<double>::epsilon() * b.program_gradient.cwiseAbs().maxCoeff());
  }
}

// Bit for bit, the signs of zeros included (EXPECT_EQ takes −0 for +0).
bool same_bits(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i)
    if (std::signbit(a[i]) != std::signbit(b[i]) || !(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))))
      return false;
  return true;
}

// ∇f's entries get their first contribution stored (0 + v), not added to a cleared vector, where
// one input of one shape owns them (SumForm::plan_gradient_writes); otherwise ∇f is cleared first.
// Either way the gradient, written over a vector full of NaN, is the program's bit for bit, also
// where two inputs move as a pair (x_{2t}, x_{2t+1}: sum_form_rows.hpp), storing or adding.
TEST(ExprSumForm, TheGradientReplacesWhatTheVectorHeldWithTheProgramsBits) {
  const int n = 150;  // two full blocks of terms and a partial one
  std::string squares, cosines, spoke, chain, evens;
  // A term appended part by part (operator+ chains trip GCC 12's false -Wrestrict here).
  auto add = [](std::string& sum, const auto&... parts) {
    if (!sum.empty()) sum += " + ";
    ((sum += parts), ...);
  };
  for (int i = 0; i < n; ++i) {
    add(squares, "(", x(i), " - 1)^2");
    add(cosines, "cos(", x(i), ")");
    if (i > 0) add(spoke, "(", x(0), " - ", x(i), ")^2");
    if (i + 1 < n) add(chain, "(", x(i), " - ", x(i + 1), ")^2");
    if (i % 2 == 0) add(evens, "(", x(i), " - 2)^2");
  }
  add(evens, x(n - 1), "^2");
  struct Case {
    std::string text;
    bool exact;  // false: a variable in several terms, whose contributions add in another order
  };
  const Case cases[] = {
      {rosenbrock_text(2 * n), true},  // each input owns its variables: stored, ∇f never cleared
      {rosenbrock_text(2 * n) + " + " + x(2 * n + 1) + "^2", true},  // x_{2n} in no term: cleared, the pairs add
      {"(" + squares + ") + (" + rosenbrock_text(n) + ")", false},  // the pairs add to what the squares stored
      {squares + " + " + cosines, true},       // the first shape owns every variable, the second adds
      {spoke, false},                  // x0 read by every term of one input: cleared
      {chain, true},                   // x_i read by both inputs of the one shape: cleared
      {evens, true},  // x1, x3, … in no term (x149 is): cleared
  };
  for (const auto& [text, exact] : cases) {
    SCOPED_TRACE(text.substr(0, 60));
    const ex::Expression f = ex::compile(text);
    ASSERT_NE(f.sum_form(), nullptr);
    const int dimension = f.dimension();
    Vector at = random_point(dimension, -2, 2, 11);
    for (int i = 0; i < dimension; i += 7) at[i] = i % 2 ? -0.0 : 1.0;  // zero contributions of both signs
    for (bool avx2 : {false, true}) {
      SCOPED_TRACE(avx2);
      const Avx2Copy copy(avx2);
      Vector fast = Vector::Constant(dimension, std::numeric_limits<double>::quiet_NaN()), program;
      const double value = f.value_and_gradient(at, fast);
      EXPECT_EQ(value, ex::evaluate_with_gradient(f.program(), at, program));
      if (exact) {
        EXPECT_TRUE(same_bits(fast, program));
      } else {
        ASSERT_TRUE(fast.allFinite());
        EXPECT_LE((fast - program).cwiseAbs().maxCoeff(),
                  n * std::numeric_limits<double>::epsilon() * program.cwiseAbs().maxCoeff());
      }
    }
  }
}

// The spine's additions (sum_form_spine.hpp: runs of neighbours in packs, near their own outputs
// one by one, the rest by index) give the program's f bit for bit, for pairwise trees of any size.
TEST(ExprSumForm, SumsOfAnyLengthAddUpAsTheProgramDoes) {
  for (bool avx2 : {false, true}) {
    SCOPED_TRACE(avx2);
    const Avx2Copy width(avx2);
    for (int n : {32, 33, 63, 100, 1000, 4097}) {
      SCOPED_TRACE(n);
      std::string t;
      for (int i = 0; i < n; ++i) {
        if (i) t += i % 3 ? " + " : " + 0.5*";
        t += x(i);
        t += "^2";
      }
      const ex::Expression f = ex::compile(t);
      ASSERT_NE(f.sum_form(), nullptr);
      for (unsigned seed : {4u, 5u}) {
        const Vector at = random_point(n, -3, 3, seed);
        Vector program;
        EXPECT_EQ(f.value(at), ex::evaluate_with_gradient(f.program(), at, program));
      }
    }
  }
}

// Neighbour sums of n values, level by level (value n + i = value 2i + value 2i + 1), are one run
// whose last instructions read the run's own outputs, some within one pack (for n mod 4 ≠ 0):
// those go one by one, after the packs (SpineSums' reach), with the same bits as the plain loop.
// An instruction that is no neighbour sum breaks a run.
TEST(ExprSumForm, SpineRunsReadingTheirOwnOutputsWaitForThem) {
  for (bool avx2 : {false, true}) {
    SCOPED_TRACE(avx2);
    const Avx2Copy width(avx2);
    for (int leaves : {64, 65, 66, 67, 1027}) {
      std::vector<std::int32_t> left, right;
      for (int i = 0; i + 1 < leaves; ++i) {  // instruction i writes value leaves + i
        left.push_back(2 * i);
        right.push_back(2 * i + 1);
      }
      const ex::SpineSums sums(left, right, leaves);
      ASSERT_EQ(sums.runs().size(), 1u);
      EXPECT_EQ(sums.runs()[0].count, static_cast<std::size_t>(leaves - 1));
      std::mt19937 rng(6);
      std::uniform_real_distribution<double> u(-1, 1);
      std::vector<double> values(static_cast<std::size_t>(2 * leaves - 1)), expected;
      for (int i = 0; i < leaves; ++i) values[static_cast<std::size_t>(i)] = u(rng);
      expected = values;
      for (std::size_t i = 0; i < left.size(); ++i)
        expected[static_cast<std::size_t>(leaves) + i] = expected[static_cast<std::size_t>(left[i])] +
                                                         expected[static_cast<std::size_t>(right[i])];
      std::fill(values.begin() + leaves, values.end(), std::numeric_limits<double>::quiet_NaN());
      sums.run(values.data());
      EXPECT_EQ(values, expected);
    }
  }
  const ex::SpineSums broken({0, 2, 4, 6, 8, 10, 12, 14, 16, 19, 20}, {1, 3, 5, 7, 9, 11, 13, 15, 17, 18, 21}, 22);
  ASSERT_EQ(broken.runs().size(), 1u);
  EXPECT_EQ(broken.runs()[0].count, 9u);
}

TEST(ExprSumForm, VariablesInAnyOrderAndALastPartialBlock) {
  // Terms over a shuffled order of the variables (read through the index array, not in steps),
  // 150 terms: two full blocks of 64 and a partial one.
  const int n = 300;
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(9));
  std::string t;
  for (int i = 0; i < n; i += 2)
    t += (i ? " + " : "") + ("exp(" + x(order[static_cast<std::size_t>(i)]) + "/4)*(" +
                             x(order[static_cast<std::size_t>(i + 1)]) + " - 1)^2");
  const ex::Expression f = ex::compile(t);
  ASSERT_NE(f.sum_form(), nullptr);
  EXPECT_EQ(f.sum_form()->shape_count(), 1u);
  const Both b = evaluate_both(f, random_point(n, -2, 2, 10));
  EXPECT_EQ(b.fast_value, b.program_value);
  EXPECT_EQ(b.fast_gradient, b.program_gradient);
}

TEST(ExprSumForm, ShortSumsAndSumsOfManyShapesRunTheProgram) {
  EXPECT_EQ(ex::compile(rosenbrock_text(8)).sum_form(), nullptr);  // 4 terms
  EXPECT_EQ(ex::compile("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2").sum_form(), nullptr);
  EXPECT_EQ(ex::compile("sin(x0 + x1 + x2)").sum_form(), nullptr);  // not a sum of terms
  std::string different;  // 40 terms, 40 shapes (x_i^i)
  for (int i = 1; i <= 40; ++i) different += (i > 1 ? " + " : "") + x(i - 1) + "^" + std::to_string(i);
  EXPECT_EQ(ex::compile(different).sum_form(), nullptr);
  // A wrong dimension is refused as by the program.
  EXPECT_THROW(ex::compile(rosenbrock_text(64)).value(Vector::Zero(63)), kobai::InvalidArgument);
}

TEST(ExprSumForm, LbfgsOnTheTypedFunctionFollowsTheBuiltInProblem) {
  const int n = 1000;
  const auto typed = ex::make_problem(rosenbrock_text(n));
  const auto built_in = kobai::problems::rosenbrock(n);
  const kobai::MinimizeOptions options{.max_iterations = 1000, .gradient_tolerance = 1e-6};
  const auto a = kobai::minimize(typed, built_in.start, kobai::Lbfgs(), options);
  const auto b = kobai::minimize(built_in, built_in.start, kobai::Lbfgs(), options);
  ASSERT_TRUE(a.converged()) << a.message;
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.function_evaluations, b.function_evaluations);
  EXPECT_LE((a.x - b.x).cwiseAbs().maxCoeff(), 1e-9);
}

}  // namespace
