// First steps of every first-order optimizer computed by hand, validation messages, reset(),
// size errors, float instantiation and the runtime registry.
//
// Expected values are written from the update formulas in each header's opening comment (and
// PyTorch's documentation), not from kobai's code. Tolerances: 1e-15 absolute on O(1) numbers
// where the hand formula and the kernel round differently in the last bit; NAdam's 1e-9 because it
// keeps μ₁⋯μₜ in float32 as torch 1.13 does, while the hand formula uses double.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/adadelta.hpp"
#include "kobai/optim/adagrad.hpp"
#include "kobai/optim/adam.hpp"
#include "kobai/optim/adamax.hpp"
#include "kobai/optim/adamw.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/optim/nadam.hpp"
#include "kobai/optim/registry.hpp"
#include "kobai/optim/rmsprop.hpp"

namespace {

using kobai::Vector;

Vector p0() { return Vector{{1.0, -2.0}}; }
Vector g0() { return Vector{{0.5, 1.0}}; }

// Runs `steps` steps from p0 with constant gradient g0.
template <class O>
Vector run(O& optimizer, int steps = 1, Vector g = g0()) {
  Vector p = p0();
  for (int k = 0; k < steps; ++k) optimizer.step(p, g);
  return p;
}

void expect_near(const Vector& got, const Vector& want, double tolerance = 1e-15) {
  ASSERT_EQ(got.size(), want.size());
  for (Eigen::Index i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tolerance) << "component " << i;
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const kobai::InvalidArgument& e) {
    return e.what();
  }
  return "(no exception)";
}

double sign(double x) { return x > 0 ? 1.0 : -1.0; }

}  // namespace

// ---- gradient descent -----------------------------------------------------------------------

TEST(GradientDescent, PlainStepIsLrTimesGradient) {
  kobai::GradientDescent gd({.lr = 0.1});
  expect_near(run(gd), Vector{{0.95, -2.1}});
}

TEST(GradientDescent, WeightDecayAddsL2Gradient) {
  kobai::GradientDescent gd({.lr = 0.1, .weight_decay = 0.1});
  // d = g + 0.1 p = (0.6, 0.8)
  expect_near(run(gd), Vector{{0.94, -2.08}});
}

TEST(GradientDescent, MomentumAccumulatesFromTheFirstGradient) {
  kobai::GradientDescent gd({.lr = 0.1, .momentum = 0.9});
  // b₁ = g, b₂ = 0.9 g + g = 1.9 g: p = p₀ − 0.1 (1 + 1.9) g
  expect_near(run(gd, 2), p0() - 0.29 * g0());
}

TEST(GradientDescent, DampeningScalesLaterGradients) {
  kobai::GradientDescent gd({.lr = 0.1, .momentum = 0.9, .dampening = 0.5});
  // b₁ = g (no dampening on the first step, as PyTorch), b₂ = 0.9 g + 0.5 g = 1.4 g
  expect_near(run(gd, 2), p0() - 0.24 * g0());
}

TEST(GradientDescent, NesterovLooksAhead) {
  kobai::GradientDescent gd({.lr = 0.1, .momentum = 0.9, .nesterov = true});
  // b₁ = g, direction g + 0.9 b₁ = 1.9 g
  expect_near(run(gd), p0() - 0.19 * g0());
}

// ---- AdaGrad --------------------------------------------------------------------------------

TEST(Adagrad, FirstStepIsLrTimesSign) {
  kobai::Adagrad ada({.lr = 0.1, .eps = 0});
  expect_near(run(ada), Vector{{0.9, -2.1}});
}

TEST(Adagrad, InitialAccumulatorAndLrDecay) {
  kobai::Adagrad ada({.lr = 0.1, .lr_decay = 0.5, .initial_accumulator_value = 1, .eps = 0});
  // s₁ = 1 + g², s₂ = 1 + 2g²; clr₂ = 0.1 / 1.5
  const Vector g = g0();
  Vector want = p0();
  for (Eigen::Index i = 0; i < 2; ++i)
    want[i] -= 0.1 * g[i] / std::sqrt(1 + g[i] * g[i]) +
               (0.1 / 1.5) * g[i] / std::sqrt(1 + 2 * g[i] * g[i]);
  expect_near(run(ada, 2), want);
}

// ---- Adadelta -------------------------------------------------------------------------------

TEST(Adadelta, FirstStepFromZeroAccumulators) {
  kobai::Adadelta ada({.lr = 1.0, .rho = 0.9, .eps = 1e-6});
  const Vector g = g0();
  Vector want = p0();
  for (Eigen::Index i = 0; i < 2; ++i)
    want[i] -= std::sqrt(1e-6) / std::sqrt(0.1 * g[i] * g[i] + 1e-6) * g[i];
  expect_near(run(ada), want);
}

TEST(Adadelta, SeedStartsAccumulatorsAtOne) {
  kobai::Adadelta ada({.eps = 0, .initial_accumulator_value = 1});
  // v = 0.9 + 0.1 g², u = 1: Δ = g / √v
  const Vector g = g0();
  Vector want = p0();
  for (Eigen::Index i = 0; i < 2; ++i) want[i] -= g[i] / std::sqrt(0.9 + 0.1 * g[i] * g[i]);
  expect_near(run(ada), want);
}

// ---- RMSprop --------------------------------------------------------------------------------

TEST(RmsProp, FirstStepIsLrOverSqrtOneMinusAlpha) {
  kobai::RmsProp rms({.lr = 0.01, .alpha = 0.99, .eps = 0});
  // v = 0.01 g²: step = 0.01 g / (0.1 |g|) = 0.1 sign(g)
  expect_near(run(rms), Vector{{0.9, -2.1}});
}

TEST(RmsProp, CenteredUsesTheVariance) {
  kobai::RmsProp rms({.lr = 0.01, .alpha = 0.99, .eps = 0, .centered = true});
  // v − ḡ² = 0.01 g² − 0.0001 g² = 0.0099 g²
  const double step = 0.01 / std::sqrt(0.0099);
  expect_near(run(rms), Vector{{1 - step, -2 - step}}, 1e-14);
}

TEST(RmsProp, MomentumBuffersTheScaledGradient) {
  kobai::RmsProp rms({.lr = 0.01, .alpha = 0.5, .eps = 0, .momentum = 0.5});
  // v₁ = g²/2, b₁ = √2 sign g; v₂ = 3g²/4, b₂ = 0.5 b₁ + sign g / √0.75
  const double total = 0.01 * (1.5 * std::sqrt(2.0) + 1 / std::sqrt(0.75));
  const Vector g = g0();
  expect_near(run(rms, 2), Vector{{1 - total * sign(g[0]), -2 - total * sign(g[1])}}, 1e-14);
}

TEST(RmsProp, SeedStartsSquareAverageAtOne) {
  kobai::RmsProp rms({.lr = 0.01, .alpha = 0.9, .eps = 0, .initial_square_avg = 1});
  const Vector g = g0();
  Vector want = p0();
  for (Eigen::Index i = 0; i < 2; ++i) want[i] -= 0.01 * g[i] / std::sqrt(0.9 + 0.1 * g[i] * g[i]);
  expect_near(run(rms), want);
}

// ---- Adam family ----------------------------------------------------------------------------

TEST(Adam, BiasCorrectedFirstStepIsLrTimesSign) {
  kobai::Adam adam({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8, .eps = 0});
  expect_near(run(adam), Vector{{1 - 1e-3, -2 - 1e-3}});
}

TEST(Adam, SecondStepWithChangedGradient) {
  kobai::Adam adam({.lr = 0.1, .beta1 = 0.5, .beta2 = 0.5, .eps = 0});
  Vector p = p0();
  Vector g1{{1.0, -1.0}}, g2{{3.0, 1.0}};
  adam.step(p, g1);
  adam.step(p, g2);
  // m₂ = 0.25 g1 + 0.5 g2, v₂ = 0.25 g1² + 0.5 g2²; corrections 1 − 0.25 = 0.75
  Vector want = p0() - 0.1 * g1.cwiseSign();
  for (Eigen::Index i = 0; i < 2; ++i) {
    const double m = (0.25 * g1[i] + 0.5 * g2[i]) / 0.75;
    const double v = (0.25 * g1[i] * g1[i] + 0.5 * g2[i] * g2[i]) / 0.75;
    want[i] -= 0.1 * m / std::sqrt(v);
  }
  expect_near(p, want, 1e-14);
}

TEST(Adam, AmsgradKeepsTheLargestSecondMoment) {
  kobai::Adam adam({.lr = 0.1, .beta1 = 0.5, .beta2 = 0.5, .eps = 0, .amsgrad = true});
  Vector p = p0();
  Vector g1{{2.0, 2.0}}, g2{{0.0, 0.0}};
  adam.step(p, g1);
  adam.step(p, g2);
  // v₁ = 2, v₂ = 1 < v̂ = 2; m₂ = 0.5; bias corrections 0.75: step = 0.1 (0.5/0.75)/√(2/0.75)
  const double second = 0.1 * (0.5 / 0.75) / (std::sqrt(2.0) / std::sqrt(0.75));
  expect_near(p, Vector{{1 - 0.1 - second, -2 - 0.1 - second}}, 1e-14);
  kobai::Adam plain({.lr = 0.1, .beta1 = 0.5, .beta2 = 0.5, .eps = 0});
  Vector q = p0();
  plain.step(q, g1);
  plain.step(q, g2);
  EXPECT_LT(q[0], p[0]);  // without the max, v₂ = 1 and the step is larger
}

// Adam and AdamW keep their step's coefficients once both bias corrections have rounded to 1
// (β = 0.9, 0.8: after ~350 steps). Kept or recomputed at every step (set_lr forces that), the
// iterates are the same bits — also across an lr change after they settled, and after reset().
template <class O>
void expect_kept_coefficients_are_recomputed_ones(typename O::Options options) {
  O kept(options), recomputed(options);
  Vector a{{3.0, 4.0}}, b = a;
  for (int run = 0; run < 2; ++run) {
    for (int k = 1; k <= 1200; ++k) {
      const double lr = k <= 800 ? options.lr : 2 * options.lr;
      if (k == 801) kept.set_lr(lr);
      recomputed.set_lr(lr);
      const Vector g{{std::sin(0.01 * k) + a[0] * 1e-3, std::cos(0.013 * k)}};
      kept.step(a, g);
      recomputed.step(b, g);
      ASSERT_EQ(a, b) << "step " << k << " of run " << run;
    }
    kept.reset();
    recomputed.reset();
    kept.set_lr(options.lr);
    a = b = Vector{{3.0, 4.0}};
  }
}

TEST(Adam, KeptStepCoefficientsAreTheRecomputedOnesBitForBit) {
  expect_kept_coefficients_are_recomputed_ones<kobai::Adam<double>>({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8});
  expect_kept_coefficients_are_recomputed_ones<kobai::Adam<double>>(
      {.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8, .amsgrad = true});
  expect_kept_coefficients_are_recomputed_ones<kobai::AdamW<double>>({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8});
}

TEST(Adam, L2WeightDecayEntersTheGradient) {
  kobai::Adam adam({.lr = 0.1, .eps = 0, .weight_decay = 1.0});
  // d = g + p = (1.5, −1): first step −0.1 sign(d)
  expect_near(run(adam), Vector{{0.9, -1.9}});
}

TEST(AdamW, DecayIsDecoupledFromTheGradient) {
  kobai::AdamW adamw({.lr = 0.1, .eps = 0, .weight_decay = 0.5});
  // p · (1 − 0.05), then −0.1 sign(g)
  expect_near(run(adamw), Vector{{0.95 - 0.1, -1.9 - 0.1}});
  EXPECT_EQ(kobai::AdamW<>().options().weight_decay, 1e-2);
}

TEST(Adamax, FirstStepUsesTheInfinityNorm) {
  kobai::Adamax adamax({.lr = 0.01, .eps = 0});
  // m = 0.1 g, u = |g|, clr = 0.01 / 0.1
  expect_near(run(adamax), Vector{{0.99, -2.01}});
}

TEST(Adamax, DecayedNormWinsOverASmallGradient) {
  kobai::Adamax adamax({.lr = 0.01, .beta1 = 0.5, .beta2 = 0.5, .eps = 0});
  Vector p = p0();
  Vector g1{{4.0, 4.0}}, g2{{1.0, 1.0}};
  adamax.step(p, g1);
  adamax.step(p, g2);
  // u₂ = max(0.5·4, 1) = 2; m₂ = 0.5·2 + 0.5·1 = 1.5; clr₂ = 0.01/0.75
  const double second = 0.01 / 0.75 * 1.5 / 2;
  expect_near(p, Vector{{1 - 0.01 - second, -2 - 0.01 - second}}, 1e-15);
}

TEST(NAdam, FirstStepCombinesGradientAndMomentum) {
  kobai::NAdam nadam({.lr = 0.01, .eps = 0});
  const double mu1 = 0.9 * (1 - 0.5 * std::pow(0.96, 0.004));
  const double mu2 = 0.9 * (1 - 0.5 * std::pow(0.96, 0.008));
  // r = |g|; −lr (1−μ₁)/(1−μ₁) sign g − lr μ₂/(1 − μ₁·μ₁·μ₂) · 0.1 sign g (torch 1.13 counts μ₁
  // twice in the look-ahead product; nadam.hpp)
  const double step = 0.01 * (1 + 0.1 * mu2 / (1 - mu1 * mu1 * mu2));
  expect_near(run(nadam), Vector{{1 - step, -2 - step}}, 1e-9);
}

// ---- behaviour shared by all ----------------------------------------------------------------

template <class O>
class EveryOptimizer : public ::testing::Test {};
using AllOptimizers =
    ::testing::Types<kobai::GradientDescent<double>, kobai::Adagrad<double>, kobai::Adadelta<double>,
                     kobai::RmsProp<double>, kobai::Adam<double>, kobai::AdamW<double>,
                     kobai::Adamax<double>, kobai::NAdam<double>, kobai::GradientDescent<float>,
                     kobai::Adagrad<float>, kobai::Adadelta<float>, kobai::RmsProp<float>,
                     kobai::Adam<float>, kobai::AdamW<float>, kobai::Adamax<float>,
                     kobai::NAdam<float>>;
TYPED_TEST_SUITE(EveryOptimizer, AllOptimizers);

TYPED_TEST(EveryOptimizer, ResetReturnsToTheConstructedState) {
  using T = typename TypeParam::Scalar;
  using V = kobai::VectorX<T>;
  const V start = V::LinSpaced(5, T(-1), T(1));
  const V grad = V::LinSpaced(5, T(0.5), T(-2));
  TypeParam fresh;
  V a = start;
  fresh.step(a, grad);
  TypeParam used;
  V b = start;
  for (int k = 0; k < 3; ++k) used.step(b, grad);
  used.reset();
  EXPECT_EQ(used.steps(), 0);
  b = start;
  used.step(b, grad);
  EXPECT_EQ(a, b);  // bit for bit: reset cleared every buffer and counter
  EXPECT_NE(a, start);
}

TYPED_TEST(EveryOptimizer, SizeMismatchesAreErrors) {
  using T = typename TypeParam::Scalar;
  using V = kobai::VectorX<T>;
  TypeParam o;
  V x = V::Ones(3), g2 = V::Ones(2), g3 = V::Ones(3);
  EXPECT_EQ(error_of([&] { o.step(x, g2); }), "grads must have the size of params (3), got 2");
  o.step(x, g3);
  V y = V::Ones(4), g4 = V::Ones(4);
  EXPECT_NE(error_of([&] { o.step(y, g4); }).find("params must keep the size of the first step (3)"),
            std::string::npos);
  o.reset();
  EXPECT_NO_THROW(o.step(y, g4));
}

TYPED_TEST(EveryOptimizer, FloatAndDoubleAgreeToFloatPrecision) {
  using T = typename TypeParam::Scalar;
  TypeParam o;
  kobai::VectorX<T> x = kobai::VectorX<T>::LinSpaced(7, T(-1), T(2));
  const kobai::VectorX<T> g = kobai::VectorX<T>::LinSpaced(7, T(1), T(-1.5));
  const kobai::VectorX<T> start = x;
  for (int k = 0; k < 10; ++k) o.step(x, g);
  EXPECT_TRUE(x.allFinite());
  EXPECT_GT((x - start).cwiseAbs().maxCoeff(), T(0));
  EXPECT_DOUBLE_EQ(o.lr(), TypeParam().lr());
  o.set_lr(0.5);
  EXPECT_EQ(o.lr(), 0.5);
  EXPECT_EQ(error_of([&] { o.set_lr(0); }), "lr must be > 0, got 0");
}

TEST(Optimizers, FloatTracksDouble) {
  kobai::Adam<float> f({.lr = 0.01});
  kobai::Adam<double> d({.lr = 0.01});
  kobai::VectorX<float> xf = kobai::VectorX<float>::LinSpaced(9, -1, 1);
  Vector xd = xf.cast<double>();
  for (int k = 0; k < 50; ++k) {
    const Vector gd = 2 * xd;
    const kobai::VectorX<float> gf = 2 * xf;
    f.step(xf, gf);
    d.step(xd, gd);
  }
  EXPECT_LT((xf.cast<double>() - xd).cwiseAbs().maxCoeff(), 1e-5);
}

TEST(Optimizers, ValidationNamesTheBadValue) {
  EXPECT_EQ(error_of([] { kobai::Adam a({.lr = -0.1}); }), "lr must be > 0, got -0.10000000000000001");
  EXPECT_EQ(error_of([] { kobai::Adam a({.beta1 = 1.0}); }), "beta1 must be in [0, 1), got 1");
  EXPECT_EQ(error_of([] { kobai::Adam a({.beta2 = -0.5}); }), "beta2 must be in [0, 1), got -0.5");
  EXPECT_EQ(error_of([] { kobai::AdamW a({.eps = -1}); }), "eps must be >= 0, got -1");
  EXPECT_EQ(error_of([] { kobai::Adagrad a({.lr_decay = -1}); }), "lr_decay must be >= 0, got -1");
  EXPECT_EQ(error_of([] { kobai::Adagrad a({.initial_accumulator_value = -1}); }),
            "initial_accumulator_value must be >= 0, got -1");
  EXPECT_EQ(error_of([] { kobai::Adadelta a({.rho = 1.5}); }), "rho must be in [0, 1], got 1.5");
  EXPECT_EQ(error_of([] { kobai::RmsProp a({.alpha = -0.1}); }),
            "alpha must be in [0, 1], got -0.10000000000000001");
  EXPECT_EQ(error_of([] { kobai::RmsProp a({.momentum = 1}); }), "momentum must be in [0, 1), got 1");
  EXPECT_EQ(error_of([] { kobai::Adamax a({.weight_decay = -1}); }), "weight_decay must be >= 0, got -1");
  EXPECT_EQ(error_of([] { kobai::NAdam a({.momentum_decay = -1}); }), "momentum_decay must be >= 0, got -1");
  EXPECT_EQ(error_of([] { kobai::GradientDescent a({.nesterov = true}); }),
            "nesterov requires momentum > 0 and dampening = 0, got momentum 0 and dampening 0");
  EXPECT_EQ(error_of([] { kobai::Adam a({.lr = std::nan("")}); }), "lr must be > 0, got nan");
}

// ---- registry -------------------------------------------------------------------------------

TEST(Registry, NamesAndDefaults) {
  const std::vector<std::string> names = kobai::first_order_names();
  ASSERT_EQ(names.size(), 11u);
  for (const std::string& name : names) {
    EXPECT_TRUE(kobai::is_first_order(name));
    const kobai::AnyFirstOrder o = kobai::make_first_order(name, {});
    EXPECT_EQ(o.name(), name);
  }
  EXPECT_FALSE(kobai::is_first_order("bfgs"));
  auto value = [](const kobai::AnyFirstOrder& o, const std::string& key) {
    for (const auto& [k, v] : o.hyperparameters())
      if (k == key) return v;
    ADD_FAILURE() << "no hyperparameter " << key;
    return std::nan("");
  };
  EXPECT_EQ(value(kobai::make_first_order("gd", {}), "lr"), 0.01);
  EXPECT_EQ(value(kobai::make_first_order("gd", {}), "momentum"), 0.0);
  EXPECT_EQ(value(kobai::make_first_order("momentum", {}), "momentum"), 0.9);
  EXPECT_EQ(value(kobai::make_first_order("nesterov", {}), "nesterov"), 1.0);
  EXPECT_EQ(value(kobai::make_first_order("adam", {}), "beta2"), 0.999);
  EXPECT_EQ(value(kobai::make_first_order("amsgrad", {}), "amsgrad"), 1.0);
  EXPECT_EQ(value(kobai::make_first_order("adamw", {}), "weight_decay"), 0.01);
  EXPECT_EQ(value(kobai::make_first_order("adadelta", {}), "lr"), 1.0);
  EXPECT_EQ(value(kobai::make_first_order("adagrad", {}), "eps"), 1e-10);
  EXPECT_EQ(value(kobai::make_first_order("adamax", {}), "lr"), 2e-3);
  EXPECT_EQ(value(kobai::make_first_order("nadam", {}), "momentum_decay"), 4e-3);
  EXPECT_EQ(value(kobai::make_first_order("rmsprop", {.initial_accumulator = 1.0}), "initial_square_avg"), 1.0);
}

TEST(Registry, StepsLikeTheTypedOptimizer) {
  kobai::AnyFirstOrder any = kobai::make_first_order("adam", {.lr = 1e-2, .beta1 = 0.8});
  kobai::Adam typed({.lr = 1e-2, .beta1 = 0.8});
  Vector a = p0(), b = p0();
  for (int k = 0; k < 5; ++k) {
    any.step(a, g0());
    typed.step(b, g0());
  }
  EXPECT_EQ(a, b);
  any.set_lr(0.5);
  EXPECT_EQ(any.lr(), 0.5);
}

TEST(Registry, Errors) {
  const std::string unknown = error_of([] { kobai::make_first_order("adamm", {}); });
  EXPECT_EQ(unknown,
            "unknown optimizer 'adamm'; choose one of gd, momentum, nesterov, adagrad, adadelta, "
            "rmsprop, adam, adamw, amsgrad, adamax, nadam");
  EXPECT_EQ(error_of([] { kobai::make_first_order("adam", {.rho = 0.9}); }), "rho does not apply to adam");
  EXPECT_EQ(error_of([] { kobai::make_first_order("gd", {.beta1 = 0.9}); }), "beta1 does not apply to gd");
  EXPECT_EQ(error_of([] { kobai::make_first_order("adagrad", {.centered = true}); }),
            "centered does not apply to adagrad");
  EXPECT_EQ(error_of([] { kobai::make_first_order("rmsprop", {.lr = -1}); }), "lr must be > 0, got -1");
  EXPECT_EQ(error_of([] { kobai::make_first_order("nadam", {.beta2 = 1}); }), "beta2 must be in [0, 1), got 1");
}

TEST(Registry, MinimizesThroughTheLoop) {
  kobai::AnyFirstOrder momentum = kobai::make_first_order("momentum", {.lr = 0.1});
  struct Bowl {
    double value(const Vector& x) const { return x.squaredNorm(); }
    double value_and_gradient(const Vector& x, Vector& g) const {
      g = 2 * x;
      return x.squaredNorm();
    }
  } bowl;
  const kobai::MinimizeResult r =
      kobai::minimize(bowl, p0(), momentum, {.max_iterations = 5000, .gradient_tolerance = 1e-6});
  EXPECT_EQ(r.status, kobai::Status::converged);
  EXPECT_LT(r.x.cwiseAbs().maxCoeff(), 1e-6);
}
