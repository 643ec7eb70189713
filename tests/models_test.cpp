// The seeds' two small models: seed 004's linear regression and seed 000's simpleNet.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "kobai/diff/check_gradient.hpp"
#include "kobai/diff/numerical_gradient.hpp"
#include "kobai/diff/numerical_hessian.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/problems/check.hpp"
#include "kobai/problems/models/linear_regression.hpp"
#include "kobai/problems/models/simple_net.hpp"

namespace {

using kobai::Matrix;
using kobai::Vector;
namespace problems = kobai::problems;

// ---- seed 004: linear regression ---------------------------------------------------------------

TEST(LinearRegression, Seed004DataIsThreeXPlusNoiseRoundedToATenth) {
  const auto data = problems::seed004_data();
  ASSERT_EQ(data.X.rows(), 5);
  ASSERT_EQ(data.X.cols(), 1);
  // NumPy (seed 0): normal(scale=0.1, size=5).round(1) = [0.2, 0, 0.1, 0.2, 0.2].
  const Vector noise = data.y - 3 * data.X.col(0);
  const Vector expected{{0.2, 0.0, 0.1, 0.2, 0.2}};
  EXPECT_LE((noise - expected).cwiseAbs().maxCoeff(), 1e-14);
  for (Eigen::Index i = 0; i < 5; ++i) EXPECT_EQ(data.X(i, 0), static_cast<double>(i + 1));
}

TEST(LinearRegression, KnownMinimizerIsTheClosedFormLeastSquaresSolution) {
  const auto p = problems::linear_regression(problems::seed004_data());
  ASSERT_EQ(p.dimension(), 1);
  ASSERT_EQ(p.global_minimizers.size(), 1u);
  // One feature: w* = Σxy / Σx² = 167.3 / 55.
  EXPECT_NEAR(p.global_minimizers[0][0], 167.3 / 55, 1e-14);
  EXPECT_NEAR(p.gradient(p.global_minimizers[0])[0], 0.0, 1e-14);
  EXPECT_DOUBLE_EQ(p.value(p.global_minimizers[0]), p.minimum_value);
  // Residuals at w*: L = (Σy² − (Σxy)²/Σx²)/(2n) = (508.93 − 167.3²/55)/10 ≈ 0.0033818 (the
  // subtraction cancels 5 digits: ~1e-13 absolute rounding).
  EXPECT_NEAR(p.minimum_value, (508.93 - 167.3 * 167.3 / 55) / 10, 1e-12);
  EXPECT_EQ(p.hessian(Vector::Zero(1))(0, 0), 11.0);  // XᵀX/n = 55/5
}

// The seed's own loop: w ← w + η·Σ(y − Xw), η = 0.1, from its NumPy initial weight; the printed
// "MSE" is mean(½(y − ŷ)²), which is exactly kobai's loss.
TEST(LinearRegression, ReproducesSeed004PrintoutWithTheSeedsUpdate) {
  const auto data = problems::seed004_data();
  const auto p = problems::linear_regression(data);
  Vector w = Vector::Constant(1, problems::seed004_initial_weight());
  const double printed_mse[] = {88.846, 22.375, 5.516, 1.422, 0.338};
  for (double mse : printed_mse) {
    EXPECT_NEAR(p.value(w), mse, 5e-4);  // printed with 3 decimals
    w[0] += 0.1 * (data.y - data.X * w).sum();
  }
  EXPECT_NEAR(w[0], 3.17241493, 5e-9);  // printed with 8 decimals
}

TEST(LinearRegression, GradientDescentWithTheTrueGradientConvergesToLeastSquares) {
  const auto p = problems::linear_regression(problems::seed004_data());
  kobai::GradientDescent gd({.lr = 0.1});  // contraction |1 − 0.1·11| = 0.1 per step
  const auto r = kobai::minimize(p, Vector::Constant(1, problems::seed004_initial_weight()), gd,
                                 {.max_iterations = 100, .gradient_tolerance = 1e-12});
  EXPECT_EQ(r.status, kobai::Status::converged);
  EXPECT_NEAR(r.x[0], p.global_minimizers[0][0], 1e-12);
}

TEST(LinearRegression, SeveralFeaturesGradientHessianAndMinimizer) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  Matrix X(30, 3);
  for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = normal(rng);
  const Vector w_true{{1.5, -2.0, 0.25}};
  Vector y = X * w_true;
  for (Eigen::Index i = 0; i < y.size(); ++i) y[i] += 0.1 * normal(rng);
  const auto p = problems::linear_regression(X, y);
  const Vector w_star = p.global_minimizers[0];
  // Normal equations, solved independently.
  const Vector normal_solution = (X.transpose() * X).ldlt().solve(X.transpose() * y);
  EXPECT_LE((w_star - normal_solution).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LE(p.gradient(w_star).cwiseAbs().maxCoeff(), 1e-14);
  for (const Vector& w : {Vector(Vector::Zero(3)), Vector(w_true), Vector{{3.0, 1.0, -4.0}}}) {
    const auto check = problems::check_gradient(p, w);
    EXPECT_TRUE(check.passed) << check.summary();
    const Matrix numeric = kobai::numerical_hessian_from_gradient(
        [&](const Vector& v) { return p.gradient(v); }, w);
    EXPECT_LE((p.hessian(w) - numeric).cwiseAbs().maxCoeff(), 1e-7);
  }
}

TEST(LinearRegression, RejectsMismatchedData) {
  EXPECT_THROW(problems::linear_regression(Matrix::Ones(3, 1), Vector::Ones(2)),
               kobai::InvalidArgument);
  EXPECT_THROW(problems::linear_regression(Matrix(0, 1), Vector(0)), kobai::InvalidArgument);
  Matrix bad = Matrix::Ones(2, 1);
  bad(1, 0) = std::nan("");
  EXPECT_THROW(problems::linear_regression(bad, Vector::Ones(2)), kobai::InvalidArgument);
}

// ---- seed 000: simpleNet -----------------------------------------------------------------------

const Matrix seed_dW{{0.10524418, 0.06047777, -0.16572195}, {0.15786627, 0.09071665, -0.24858292}};

TEST(SimpleNet, PredictMatchesSeed000) {
  const problems::SimpleNet net;
  const Vector z = net.predict(problems::seed000_simple_net_weights());
  // Printed with 8 decimals from the unrounded W: print rounding (5e-9) plus the effect of W's
  // rounding (|x|₁·5e-9 = 7.5e-9).
  const Vector printed{{-0.31485453, -0.86886191, 1.10254728}};
  EXPECT_LE((z - printed).cwiseAbs().maxCoeff(), 1.3e-8);
  EXPECT_EQ(std::distance(z.data(), std::max_element(z.data(), z.data() + 3)), 2);  // argmax 2
}

TEST(SimpleNet, LossMatchesNumPyOnThePrintedWeightsAndTheSeedWithinItsRounding) {
  const Matrix W = problems::seed000_simple_net_weights();
  const problems::SimpleNet exact;                    // δ = 0
  const problems::SimpleNet book{.log_delta = 1e-7};  // the book's cross_entropy_error
  // NumPy (Debian 1.24) with the book's softmax on the same printed W:
  //   -sum(t*log(softmax(x@W)))        = 0.3232446566220026
  //   -sum(t*log(softmax(x@W) + 1e-7)) = 0.3232445184616794
  EXPECT_NEAR(exact.loss(W), 0.3232446566220026, 1e-12);
  EXPECT_NEAR(book.loss(W), 0.3232445184616794, 1e-12);
  // The seed printed 0.32324465476914266 from unrounded weights: the printed W (8 decimals)
  // moves the loss by at most Σ|∂L/∂W|·5e-9 ≈ 4.2e-9. δ = 0 is within that; δ = 1e-7 is not.
  const double seed_loss = 0.32324465476914266;
  const double bound = exact.loss_gradient(W).cwiseAbs().sum() * 5e-9;
  EXPECT_LT(bound, 4.5e-9);
  EXPECT_LE(std::abs(exact.loss(W) - seed_loss), bound);
  EXPECT_GT(std::abs(book.loss(W) - seed_loss), 10 * bound);
}

TEST(SimpleNet, AnalyticGradientMatchesSeed000dW) {
  const Matrix W = problems::seed000_simple_net_weights();
  const problems::SimpleNet net;
  const Matrix dW = net.loss_gradient(W);
  ASSERT_EQ(dW.rows(), 2);
  ASSERT_EQ(dW.cols(), 3);
  // xᵀ(softmax(xW) − t) against the seed's printed central differences (8 decimals: 5e-9 print
  // rounding, plus ≲3e-9 from W's rounding, plus h²-truncation ≈ 1e-10).
  EXPECT_LE((dW - seed_dW).cwiseAbs().maxCoeff(), 1e-8) << dW;
  // The same formula written out: x ⊗ (y − t).
  const Vector y = problems::softmax(net.predict(W));
  EXPECT_LE((dW - net.input * (y - net.target).transpose()).cwiseAbs().maxCoeff(), 1e-16);
}

TEST(SimpleNet, NumericalGradientWithTheSeedsStepReproducesdW) {
  const Matrix W = problems::seed000_simple_net_weights();
  const problems::SimpleNet net;
  auto f = [&](const Matrix& m) { return net.loss(m); };
  const Matrix numeric = kobai::numerical_gradient(f, W, {.step = 1e-4});
  EXPECT_LE((numeric - seed_dW).cwiseAbs().maxCoeff(), 1e-8) << numeric;
  // And it agrees with the analytic gradient to the central-difference truncation h²|f'''|/6.
  EXPECT_LE((numeric - net.loss_gradient(W)).cwiseAbs().maxCoeff(), 1e-9);
  // The book's δ = 1e-7 shifts dW by ~3e-8, more than the seed's printing allows.
  const problems::SimpleNet book{.log_delta = 1e-7};
  const Matrix book_numeric =
      kobai::numerical_gradient([&](const Matrix& m) { return book.loss(m); }, W, {.step = 1e-4});
  EXPECT_GT((book_numeric - seed_dW).cwiseAbs().maxCoeff(), 2e-8);
  // The seed's other form: f ignores its argument and reads net.W, perturbed in place.
  Matrix net_W = W;
  std::array<Matrix*, 1> params{&net_W};
  const auto in_place =
      kobai::numerical_gradient([&] { return net.loss(net_W); }, params, {.step = 1e-4});
  EXPECT_EQ(in_place[0], numeric);
  EXPECT_EQ(net_W, W);
}

TEST(SimpleNet, ProblemOverVecWHasExactGradientAndHessianForEveryDelta) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  for (double delta : {0.0, 1e-7, 0.1}) {
    const problems::SimpleNet net{.log_delta = delta};
    const auto p = net.problem(problems::seed000_simple_net_weights());
    ASSERT_EQ(p.dimension(), 6);
    // Column-major vec: start = (W00, W10, W01, W11, W02, W12).
    EXPECT_EQ(p.start[1], -0.10274108);
    EXPECT_EQ(p.start[2], -0.05938241);
    EXPECT_TRUE(p.global_minimizers.empty());
    EXPECT_DOUBLE_EQ(p.minimum_value, -std::log1p(delta));
    for (int trial = 0; trial < 10; ++trial) {
      Vector w = p.start;
      if (trial > 0)
        for (Eigen::Index i = 0; i < 6; ++i) w[i] += 2 * normal(rng);
      const Matrix W = Eigen::Map<const Matrix>(w.data(), 2, 3);
      EXPECT_DOUBLE_EQ(p.value(w), net.loss(W));
      const auto check = problems::check_gradient(p, w);
      EXPECT_TRUE(check.passed) << "delta " << delta << ": " << check.summary();
      const Matrix h = p.hessian(w);
      EXPECT_EQ(h, h.transpose());
      const Matrix numeric = kobai::numerical_hessian_from_gradient(
          [&](const Vector& v) { return p.gradient(v); }, w);
      EXPECT_LE((h - numeric).cwiseAbs().maxCoeff(), 1e-8) << "delta " << delta << "\n" << h;
    }
  }
}

TEST(SimpleNet, SoftmaxAndLossAreStableForLargeLogits) {
  const Vector y = problems::softmax(Vector{{1000.0, 1001.0, 1002.0}});
  EXPECT_TRUE(y.allFinite());
  EXPECT_NEAR(y.sum(), 1.0, 1e-15);
  EXPECT_NEAR(y[2] / y[1], std::exp(1.0), 1e-12);
  const problems::SimpleNet net;
  // The target logit 800 below the others: L ≈ 800 exactly, not log 0 = inf.
  EXPECT_NEAR(net.loss_of_logits(Vector{{800.0, 0.0, 0.0}}), 800.0, 1e-12);
  EXPECT_TRUE(std::isfinite(net.loss_of_logits(Vector{{800.0, 0.0, -50.0}})));
  EXPECT_THROW(net.loss(Matrix::Zero(3, 3)), kobai::InvalidArgument);
}

}  // namespace
