// The network layer: backpropagation against the numerical gradient (seed 000's central
// difference) for every activation and loss, the stable softmax cross-entropy, MSE, and the
// initialisations' spreads.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "kobai/core/parallel.hpp"
#include "kobai/nn/gradient_check.hpp"
#include "kobai/nn/mlp.hpp"

using namespace kobai::nn;
using kobai::data::ColumnMatrix;

namespace {

template <class T>
struct Batch {
  ColumnMatrix<T> x, targets;
  std::vector<std::int32_t> labels;
};

template <class T>
Batch<T> random_batch(Eigen::Index inputs, Eigen::Index outputs, Eigen::Index n, std::uint64_t seed) {
  kobai::data::Random r(seed);
  Batch<T> b;
  b.x.resize(inputs, n);
  b.targets.resize(outputs, n);
  for (Eigen::Index i = 0; i < b.x.size(); ++i) b.x.data()[i] = static_cast<T>(r.normal());
  for (Eigen::Index i = 0; i < b.targets.size(); ++i) b.targets.data()[i] = static_cast<T>(r.normal());
  for (Eigen::Index j = 0; j < n; ++j) b.labels.push_back(static_cast<std::int32_t>(r.below(static_cast<std::uint64_t>(outputs))));
  return b;
}

}  // namespace

class BackpropMatchesNumericalGradient
    : public ::testing::TestWithParam<std::tuple<Activation, Loss>> {};

TEST_P(BackpropMatchesNumericalGradient, InDoubleForEveryArray) {
  const auto [activation, loss] = GetParam();
  Mlp<double> net({.layers = {6, 5, 4, 3}, .activation = activation, .loss = loss, .init = Init::he,
                   .weight_decay = 0.01});
  net.initialize(3);
  const auto b = random_batch<double>(6, 3, 4, 11);
  const auto report = check_gradient(net, b.x.data(), 4, b.labels.data(), b.targets.data());
  ASSERT_EQ(report.arrays.size(), 6u);
  for (const auto& a : report.arrays) {
    EXPECT_EQ(a.checked, a.size) << a.name;
    // Central difference with h = 1e-4 (seed 000's): truncation h^2 |L'''| / 6, about 1e-9 |L'''|,
    // and |L'''| reaches ~20 with tanh; rounding eps |L| / h is 1e-12. A wrong backprop is off by ~1e-1.
    EXPECT_LT(a.max_abs_difference, 1e-7) << a.name;
    EXPECT_LT(a.mean_abs_difference, 1e-8) << a.name;
  }
  // What is left is truncation: with h = 1e-5 it shrinks ~100x (h^2), to below 1e-9 everywhere.
  const auto finer = check_gradient(net, b.x.data(), 4, b.labels.data(), b.targets.data(), 1e-5);
  EXPECT_LT(finer.max_abs_difference(), 1e-9);
}

INSTANTIATE_TEST_SUITE_P(
    EveryActivationAndLoss, BackpropMatchesNumericalGradient,
    ::testing::Combine(::testing::Values(Activation::relu, Activation::sigmoid, Activation::tanh),
                       ::testing::Values(Loss::softmax_cross_entropy, Loss::mse)),
    [](const auto& info) {
      return to_string(std::get<0>(info.param)) + "_" +
             (std::get<1>(info.param) == Loss::mse ? "mse" : "cross_entropy");
    });

TEST(Backprop, NoHiddenLayerIsSoftmaxRegressionAndChecksOutInFloatToo) {
  Mlp<double> logistic({.layers = {5, 3}});
  logistic.initialize(1);
  const auto b = random_batch<double>(5, 3, 7, 2);
  EXPECT_LT(check_gradient(logistic, b.x.data(), 7, b.labels.data(), static_cast<const double*>(nullptr)).max_abs_difference(), 1e-9);
  // float: h = 1e-2 balances truncation (h² ≈ 1e-4 · |L'''|) against rounding (6e-8 · |L| / h).
  Mlp<float> net({.layers = {6, 8, 3}, .activation = Activation::tanh});
  net.initialize(4);
  const auto f = random_batch<float>(6, 3, 5, 5);
  EXPECT_LT(check_gradient(net, f.x.data(), 5, f.labels.data(), static_cast<const float*>(nullptr), 1e-2).max_abs_difference(), 1e-3);
}

TEST(Backprop, TheGradientOfAWholeBatchIsTheMeanOfPerSampleGradients) {
  Mlp<double> net({.layers = {4, 6, 3}});
  net.initialize(9);
  const auto b = random_batch<double>(4, 3, 5, 8);
  kobai::FlatBuffer<double> whole = net.parameters().zeros_like(), one = whole;
  net.loss_and_gradient(b.x.data(), 5, b.labels.data(), nullptr, whole.data());
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(whole.size()));
  for (Eigen::Index j = 0; j < 5; ++j) {
    net.loss_and_gradient(b.x.col(j).data(), 1, b.labels.data() + j, nullptr, one.data());
    mean += one.flat() / 5;
  }
  EXPECT_LT((mean - whole.flat()).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(SoftmaxCrossEntropy, IsFiniteAndExactForLogitsOfTenThousand) {
  // z = (1e4, 0, −1e4): exp overflows without the max shift. log Σ exp z = 1e4 exactly in double.
  const double z[3] = {1e4, 0, -1e4};
  double g[3];
  const std::int32_t first = 0, second = 1;
  EXPECT_EQ(softmax_cross_entropy(z, &first, 3, 1, g), 0.0);
  EXPECT_EQ(g[0], 0.0);  // softmax = (1, 0, 0), minus the one-hot
  EXPECT_EQ(softmax_cross_entropy(z, &second, 3, 1, g), 1e4);
  EXPECT_EQ(g[1], -1.0);
  const float zf[2] = {-1e4f, 1e4f};
  float gf[2];
  EXPECT_EQ(softmax_cross_entropy(zf, &first, 2, 1, gf), 2e4);
  EXPECT_TRUE(std::isfinite(gf[0]) && std::isfinite(gf[1]));
  // Hand value: z = (1, 2), label 0: log(e + e²) − 1 = log(1 + e) = 1.3132616875182228.
  const double small[2] = {1, 2};
  EXPECT_NEAR(softmax_cross_entropy(small, &first, 2, 1, g), 1.3132616875182228, 1e-15);
}

TEST(MeanSquaredError, IsTheMeanOverAllElementsLikeTorchMSELoss) {
  const double z[4] = {1, 2, 3, 4}, t[4] = {0, 0, 0, 2};
  double g[4];
  EXPECT_DOUBLE_EQ(mean_squared_error(z, t, 2, 2, g), (1 + 4 + 9 + 4) / 4.0);
  EXPECT_DOUBLE_EQ(g[2], 2 * 3 / 4.0);
}

TEST(Init, SpreadsFollowTheirRules) {
  const auto spread = [](Init init) {
    Mlp<double> net({.layers = {400, 300, 2}, .init = init});
    net.initialize(1);
    const auto W = net.parameters().vector("W1");
    return std::sqrt(W.squaredNorm() / static_cast<double>(W.size()));
  };
  // 120,000 draws: the sample std is within 1% of the true one (s.e. ≈ 0.2%).
  EXPECT_NEAR(spread(Init::normal), 0.01, 1e-4);
  EXPECT_NEAR(spread(Init::xavier), std::sqrt(1.0 / 400), 0.01 * std::sqrt(1.0 / 400));
  EXPECT_NEAR(spread(Init::he), std::sqrt(2.0 / 400), 0.01 * std::sqrt(2.0 / 400));
  EXPECT_NEAR(spread(Init::uniform), 1 / std::sqrt(400.0) / std::sqrt(3.0), 0.01 / std::sqrt(400.0));
  Mlp<double> net({.layers = {400, 300, 2}, .init = Init::he});
  net.initialize(1);
  EXPECT_EQ(net.parameters().vector("b1").squaredNorm(), 0.0);
}

TEST(Mlp, RefusesBadShapesNamingThem) {
  EXPECT_THROW(Mlp<float>({.layers = {784}}), kobai::InvalidArgument);
  try {
    Mlp<float>({.layers = {784, 0, 10}});
    FAIL();
  } catch (const kobai::InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "layer width must be > 0, got 0 at position 2");
  }
}

// The products every layer uses, on awkward shapes: rows not a multiple of 16 (masked lanes),
// columns not a multiple of 8 (remainder blocks), k past one 128-block (the accumulating path).
// Against Eigen in double; and the same bits for 1 and 2 threads.
TEST(Gemm, MatchesADoubleReferenceOnAwkwardShapesAndIgnoresTheThreadCount) {
  kobai::data::Random r(5);
  struct Shape {
    Eigen::Index m, n, k;
  };
  for (const Shape s : {Shape{100, 100, 784}, Shape{10, 13, 100}, Shape{49, 7, 300}, Shape{1, 1, 1},
                        Shape{16, 8, 128}, Shape{33, 785, 129}}) {
    for (const Op op_b : {Op::none, Op::transpose}) {
      ColumnMatrix<float> A(s.m, s.k), B = op_b == Op::none ? ColumnMatrix<float>(s.k, s.n) : ColumnMatrix<float>(s.n, s.k);
      for (Eigen::Index i = 0; i < A.size(); ++i) A.data()[i] = static_cast<float>(r.normal());
      for (Eigen::Index i = 0; i < B.size(); ++i) B.data()[i] = static_cast<float>(r.normal());
      const Eigen::MatrixXd reference = op_b == Op::none ? (A.cast<double>() * B.cast<double>()).eval()
                                                         : (A.cast<double>() * B.cast<double>().transpose()).eval();
      ColumnMatrix<float> one(s.m, s.n), two(s.m, s.n);
      kobai::set_num_threads(1);
      gemm<float>(Op::none, op_b, s.m, s.n, s.k, A.data(), s.m, B.data(), B.rows(), one.data(), s.m);
      kobai::set_num_threads(2);
      gemm<float>(Op::none, op_b, s.m, s.n, s.k, A.data(), s.m, B.data(), B.rows(), two.data(), s.m);
      // float products of k terms of size ~1: rounding grows like √k · 6e-8 · (sum of |terms|).
      const double tolerance = 1e-6 * static_cast<double>(s.k);
      EXPECT_LT((one.cast<double>() - reference).cwiseAbs().maxCoeff(), tolerance)
          << s.m << "x" << s.n << "x" << s.k << (op_b == Op::none ? "" : " transposed") << " on " << gemm_backend();
      EXPECT_EQ(one, two) << s.m << "x" << s.n << "x" << s.k;
    }
  }
  kobai::set_num_threads(1);
}
