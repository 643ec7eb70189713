// The fused, vectorized, threaded optimizer kernels against a straightforward scalar reference.
//
// Every optimizer (and its branches: momentum, Nesterov, centered, AMSGrad, weight decay) is run
// for a few steps on random data of several sizes — including ones that leave odd remainders after
// the vector loop and after the 64-element thread chunks — with 1, 2 and 3 threads (the grain set
// to 1 so even small arrays are split). The references below are the textbook loops, one element
// at a time, with vectorization switched off; the results must be identical bit for bit, in double
// and in float. A reordered operation, a wrong chunk boundary or a race shows up as a mismatch.
// Built with -march=native it also checks that the kernels' FMA contraction is off (KOBAI_KERNEL):
// with it on, the packs and the scalar tail round differently and this test fails.
//
// The same source is built three times (tests/optimizer_kernels_consumer.cmake): with the
// project's flags and -march=native (32-byte packs, -fno-math-errno); as a consumer would, with
// CMake's Release flags and nothing else (16-byte SSE2 packs, errno-setting sqrt); and with the
// scalar fallback (KOBAI_SIMD_BYTES=0). All must give the reference's bits, so all give the same.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "kobai/core/flat_buffer.hpp"
#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/optim/registry.hpp"

// The references: no vectorization, and no FMA contraction either (GCC contracts by default where
// the target has FMA, e.g. -march=native), so they are the formulas rounded op by op.
#if defined(__GNUC__) && !defined(__clang__)
#define KOBAI_SCALAR_ONLY __attribute__((optimize("no-tree-vectorize", "fp-contract=off")))
#define KOBAI_SCALAR_BODY
#elif defined(__clang__)
#define KOBAI_SCALAR_ONLY
#define KOBAI_SCALAR_BODY _Pragma("clang fp contract(off)")
#else
#define KOBAI_SCALAR_ONLY
#define KOBAI_SCALAR_BODY
#endif

namespace {

template <class T>
using Array = std::vector<T>;

// ---- references: one element at a time, PyTorch 1.13's order of operations ------------------

template <class T>
struct RefGradientDescent {
  kobai::GradientDescentOptions o;
  Array<T> b{};
  int t = 0;
  KOBAI_SCALAR_ONLY void step(Array<T>& p, const Array<T>& g) {
    KOBAI_SCALAR_BODY
    if (t++ == 0) b.assign(p.size(), T(0));
    const T lr = T(o.lr), wd = T(o.weight_decay), mu = T(o.momentum), keep = T(1 - o.dampening);
    for (std::size_t i = 0; i < p.size(); ++i) {
      T d = g[i];
      if (o.weight_decay != 0) d = d + wd * p[i];
      if (o.momentum != 0) {
        b[i] = t == 1 ? d : b[i] * mu + keep * d;
        d = o.nesterov ? d + mu * b[i] : b[i];
      }
      p[i] = p[i] + -lr * d;
    }
  }
};

template <class T>
struct RefAdagrad {
  kobai::AdagradOptions o;
  Array<T> s{};
  int t = 0;
  KOBAI_SCALAR_ONLY void step(Array<T>& p, const Array<T>& g) {
    KOBAI_SCALAR_BODY
    if (t++ == 0) s.assign(p.size(), T(o.initial_accumulator_value));
    const T clr = T(-(o.lr / (1 + (t - 1) * o.lr_decay)));
    for (std::size_t i = 0; i < p.size(); ++i) {
      T d = g[i];
      if (o.weight_decay != 0) d = d + T(o.weight_decay) * p[i];
      s[i] = s[i] + d * d;
      p[i] = p[i] + clr * d / (std::sqrt(s[i]) + T(o.eps));
    }
  }
};

template <class T>
struct RefAdadelta {
  kobai::AdadeltaOptions o;
  Array<T> v{}, u{};
  int t = 0;
  KOBAI_SCALAR_ONLY void step(Array<T>& p, const Array<T>& g) {
    KOBAI_SCALAR_BODY
    if (t++ == 0) {
      v.assign(p.size(), T(o.initial_accumulator_value));
      u.assign(p.size(), T(o.initial_accumulator_value));
    }
    const T rho = T(o.rho), w = T(1 - o.rho), eps = T(o.eps);
    for (std::size_t i = 0; i < p.size(); ++i) {
      T d = g[i];
      if (o.weight_decay != 0) d = d + T(o.weight_decay) * p[i];
      v[i] = v[i] * rho + w * d * d;
      const T delta = std::sqrt(u[i] + eps) / std::sqrt(v[i] + eps) * d;
      u[i] = u[i] * rho + w * delta * delta;
      p[i] = p[i] + T(-o.lr) * delta;
    }
  }
};

template <class T>
struct RefRmsProp {
  kobai::RmsPropOptions o;
  Array<T> v{}, a{}, b{};
  int t = 0;
  KOBAI_SCALAR_ONLY void step(Array<T>& p, const Array<T>& g) {
    KOBAI_SCALAR_BODY
    if (t++ == 0) {
      v.assign(p.size(), T(o.initial_square_avg));
      a.assign(p.size(), T(0));
      b.assign(p.size(), T(0));
    }
    const T alpha = T(o.alpha), w = T(1 - o.alpha), eps = T(o.eps), lr = T(-o.lr);
    for (std::size_t i = 0; i < p.size(); ++i) {
      T d = g[i];
      if (o.weight_decay != 0) d = d + T(o.weight_decay) * p[i];
      v[i] = v[i] * alpha + w * d * d;
      T r;
      if (o.centered) {
        a[i] = a[i] * alpha + w * d;
        r = std::sqrt(v[i] + -a[i] * a[i]) + eps;
      } else {
        r = std::sqrt(v[i]) + eps;
      }
      if (o.momentum > 0) {
        b[i] = b[i] * T(o.momentum) + d / r;
        p[i] = p[i] + lr * b[i];
      } else {
        p[i] = p[i] + lr * d / r;
      }
    }
  }
};

// Adam and AdamW (decoupled = true).
template <class T, class Options, bool kDecoupled>
struct RefAdamFamily {
  Options o;
  Array<T> m{}, v{}, vmax{};
  int t = 0;
  KOBAI_SCALAR_ONLY void step(Array<T>& p, const Array<T>& g) {
    KOBAI_SCALAR_BODY
    if (t++ == 0) {
      m.assign(p.size(), T(0));
      v.assign(p.size(), T(0));
      vmax.assign(p.size(), T(0));
    }
    const double bc1 = 1 - std::pow(o.beta1, double(t)), bc2 = 1 - std::pow(o.beta2, double(t));
    const T step_size = T(-(o.lr / bc1)), bc2_sqrt = T(std::sqrt(bc2));
    for (std::size_t i = 0; i < p.size(); ++i) {
      T d = g[i];
      T pi = p[i];
      if (kDecoupled)
        pi = pi * T(1 - o.lr * o.weight_decay);
      else if (o.weight_decay != 0)
        d = d + T(o.weight_decay) * pi;
      m[i] = m[i] * T(o.beta1) + T(1 - o.beta1) * d;
      v[i] = v[i] * T(o.beta2) + T(1 - o.beta2) * d * d;
      T second = v[i];
      if (o.amsgrad) second = vmax[i] = std::max(vmax[i], v[i]);
      p[i] = pi + step_size * m[i] / (std::sqrt(second) / bc2_sqrt + T(o.eps));
    }
  }
};
template <class T>
using RefAdam = RefAdamFamily<T, kobai::AdamOptions, false>;
template <class T>
using RefAdamW = RefAdamFamily<T, kobai::AdamWOptions, true>;

template <class T>
struct RefAdamax {
  kobai::AdamaxOptions o;
  Array<T> m{}, u{};
  int t = 0;
  KOBAI_SCALAR_ONLY void step(Array<T>& p, const Array<T>& g) {
    KOBAI_SCALAR_BODY
    if (t++ == 0) {
      m.assign(p.size(), T(0));
      u.assign(p.size(), T(0));
    }
    const T clr = T(-(o.lr / (1 - std::pow(o.beta1, double(t)))));
    for (std::size_t i = 0; i < p.size(); ++i) {
      T d = g[i];
      if (o.weight_decay != 0) d = d + T(o.weight_decay) * p[i];
      m[i] = m[i] * T(o.beta1) + T(1 - o.beta1) * d;
      u[i] = std::max(u[i] * T(o.beta2), std::abs(d) + T(o.eps));
      p[i] = p[i] + clr * m[i] / u[i];
    }
  }
};

template <class T>
struct RefNAdam {
  kobai::NAdamOptions o;
  Array<T> m{}, v{};
  float product = 1.0f;
  int t = 0;
  KOBAI_SCALAR_ONLY void step(Array<T>& p, const Array<T>& g) {
    KOBAI_SCALAR_BODY
    if (t++ == 0) {
      m.assign(p.size(), T(0));
      v.assign(p.size(), T(0));
    }
    const double mu = o.beta1 * (1. - 0.5 * std::pow(0.96, t * o.momentum_decay));
    const double mu_next = o.beta1 * (1. - 0.5 * std::pow(0.96, (t + 1) * o.momentum_decay));
    product = product * float(mu);
    const float product_next = product * float(mu) * float(mu_next);
    const T cg = T(-o.lr * (1. - mu) / (1. - double(product)));
    const T cm = T(-o.lr * mu_next / (1. - double(product_next)));
    const T bc2 = T(1 - std::pow(o.beta2, double(t)));
    for (std::size_t i = 0; i < p.size(); ++i) {
      T d = g[i];
      if (o.weight_decay != 0) d = d + T(o.weight_decay) * p[i];
      m[i] = m[i] * T(o.beta1) + T(1 - o.beta1) * d;
      v[i] = v[i] * T(o.beta2) + T(1 - o.beta2) * d * d;
      const T r = std::sqrt(v[i] / bc2) + T(o.eps);
      p[i] = p[i] + cg * d / r;
      p[i] = p[i] + cm * m[i] / r;
    }
  }
};

// ---- the comparison -------------------------------------------------------------------------

template <class T>
Array<T> random_array(std::size_t n, unsigned seed, T lo, T hi) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  Array<T> out(n);
  for (T& x : out) x = T(dist(rng));
  return out;
}

class Threads {
 public:
  explicit Threads(int threads) : threads_(kobai::num_threads()), grain_(kobai::parallel_grain()) {
    kobai::set_num_threads(threads);
    kobai::set_parallel_grain(1);
  }
  ~Threads() {
    kobai::set_num_threads(threads_);
    kobai::set_parallel_grain(grain_);
  }

 private:
  int threads_;
  std::size_t grain_;
};

template <class T>
void expect_same(const Array<T>& got, const Array<T>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)  // bit for bit (or both NaN: none here)
    ASSERT_EQ(got[i], want[i]) << what << ", element " << i;
}

// Runs kobai's optimizer and the reference side by side for a few steps at every size and
// thread count.
template <class T, template <class> class Kobai, template <class> class Ref, class Options>
void compare(const Options& options, const std::string& name) {
  for (std::size_t n : {1u, 7u, 63u, 64u, 65u, 257u, 1000u, 4099u}) {
    for (int threads : {1, 2, 3}) {
      Threads scope(threads);
      Kobai<T> optimizer(options);
      Ref<T> reference{options};
      Array<T> p = random_array<T>(n, 1, T(-2), T(2));
      Array<T> q = p;
      for (unsigned k = 0; k < 4; ++k) {
        // The last step's gradient is zero, so AMSGrad's max and Adamax's decay branch are taken.
        Array<T> g = random_array<T>(n, 10 + k, T(-1), T(1));
        if (k == 3)
          for (std::size_t i = 0; i < n; i += 2) g[i] = T(0);
        optimizer.step(std::span<T>(p), std::span<const T>(g));
        reference.step(q, g);
      }
      expect_same(p, q, name + ", n = " + std::to_string(n) + ", threads = " + std::to_string(threads));
    }
  }
}

template <class T>
class Kernels : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(Kernels, Scalars);

TYPED_TEST(Kernels, GradientDescentMatchesReference) {
  using T = TypeParam;
  compare<T, kobai::GradientDescent, RefGradientDescent>(kobai::GradientDescentOptions{.lr = 0.1}, "gd");
  compare<T, kobai::GradientDescent, RefGradientDescent>(
      kobai::GradientDescentOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.2, .weight_decay = 0.01},
      "momentum");
  compare<T, kobai::GradientDescent, RefGradientDescent>(
      kobai::GradientDescentOptions{.lr = 0.1, .momentum = 0.9, .nesterov = true, .weight_decay = 0.01},
      "nesterov");
}

TYPED_TEST(Kernels, AdagradMatchesReference) {
  using T = TypeParam;
  compare<T, kobai::Adagrad, RefAdagrad>(kobai::AdagradOptions{}, "adagrad");
  compare<T, kobai::Adagrad, RefAdagrad>(
      kobai::AdagradOptions{.lr = 0.1, .lr_decay = 0.1, .weight_decay = 0.01, .initial_accumulator_value = 1},
      "adagrad wd");
}

TYPED_TEST(Kernels, AdadeltaMatchesReference) {
  using T = TypeParam;
  compare<T, kobai::Adadelta, RefAdadelta>(kobai::AdadeltaOptions{}, "adadelta");
  compare<T, kobai::Adadelta, RefAdadelta>(
      kobai::AdadeltaOptions{.weight_decay = 0.01, .initial_accumulator_value = 1}, "adadelta wd");
}

TYPED_TEST(Kernels, RmsPropMatchesReference) {
  using T = TypeParam;
  compare<T, kobai::RmsProp, RefRmsProp>(kobai::RmsPropOptions{}, "rmsprop");
  compare<T, kobai::RmsProp, RefRmsProp>(kobai::RmsPropOptions{.centered = true}, "centered");
  compare<T, kobai::RmsProp, RefRmsProp>(kobai::RmsPropOptions{.weight_decay = 0.01, .momentum = 0.9},
                                         "momentum");
  compare<T, kobai::RmsProp, RefRmsProp>(
      kobai::RmsPropOptions{.momentum = 0.5, .centered = true, .initial_square_avg = 1}, "both");
}

TYPED_TEST(Kernels, AdamFamilyMatchesReference) {
  using T = TypeParam;
  compare<T, kobai::Adam, RefAdam>(kobai::AdamOptions{}, "adam");
  compare<T, kobai::Adam, RefAdam>(kobai::AdamOptions{.lr = 0.01, .weight_decay = 0.1, .amsgrad = true},
                                   "amsgrad");
  compare<T, kobai::AdamW, RefAdamW>(kobai::AdamWOptions{}, "adamw");
  compare<T, kobai::AdamW, RefAdamW>(kobai::AdamWOptions{.amsgrad = true}, "adamw amsgrad");
  compare<T, kobai::Adamax, RefAdamax>(kobai::AdamaxOptions{.weight_decay = 0.01}, "adamax");
  compare<T, kobai::NAdam, RefNAdam>(kobai::NAdamOptions{.weight_decay = 0.01}, "nadam");
}

// A build that should get packs gets them: a kernel that silently fell back to the scalar loop
// would still pass the tests above, at a third of the speed (KOBAI_EXPECTED_SIMD_BYTES is set by
// tests/optimizer_kernels_consumer.cmake for the variants built there, on x86-64).
TEST(Packs, HaveTheWidthThisBuildShouldGet) {
#ifdef KOBAI_EXPECTED_SIMD_BYTES
  EXPECT_EQ(KOBAI_SIMD_BYTES, KOBAI_EXPECTED_SIMD_BYTES);
#endif
  const std::size_t bytes = KOBAI_SIMD_BYTES;
  EXPECT_EQ(kobai::simd::pack_lanes<float>, bytes == 0 ? 1 : bytes / sizeof(float));
  EXPECT_EQ(kobai::simd::pack_lanes<double>, bytes == 0 ? 1 : bytes / sizeof(double));
}

// ---- thread pool and flat buffer ------------------------------------------------------------

TEST(ParallelFor, CoversEveryIndexOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 5}) {
    for (std::size_t n : {0u, 1u, 127u, 128u, 129u, 1000u, 100003u}) {
      std::vector<int> hits(n, 0);
      kobai::parallel_for(n, threads, [&](std::size_t begin, std::size_t end) {
        EXPECT_EQ(begin % 64, 0u);
        for (std::size_t i = begin; i < end; ++i) ++hits[i];
      });
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i], 1) << "n " << n << " index " << i;
    }
  }
}

TEST(ParallelFor, DefaultsToOneThreadBelowTheGrain) {
  EXPECT_EQ(kobai::threads_for(1000), 1);
  EXPECT_EQ(kobai::threads_for(kobai::parallel_grain() - 1), 1);
  EXPECT_THROW(kobai::set_num_threads(0), kobai::InvalidArgument);
}

TEST(FlatBuffer, ViewsShareOneContiguousArray) {
  kobai::FlatBuffer<double> model;
  const auto w = model.add("W", 2, 3);
  const auto b = model.add("b", 3);
  ASSERT_EQ(model.size(), 9u);
  model.matrix(w) << 1, 2, 3, 4, 5, 6;
  model.vector(b) << 7, 8, 9;
  EXPECT_EQ(model.matrix("W")(1, 2), 6.0);  // column-major, like Eigen
  EXPECT_EQ(model.data()[6], 7.0);
  EXPECT_EQ(model.vector("b")[2], 9.0);
  EXPECT_EQ(model.entry("W").rows, 2);
  EXPECT_THROW(model.add("W", 1), kobai::InvalidArgument);
  EXPECT_THROW((void)model.matrix("nope"), kobai::InvalidArgument);

  // One step over the whole model = one step per array with its own optimizer.
  kobai::FlatBuffer<double> grads = model.zeros_like();
  grads.matrix("W").setConstant(0.5);
  grads.vector("b").setConstant(-1.0);
  kobai::Adam whole({.lr = 0.1});
  whole.step(model.span(), grads.cspan());
  kobai::Adam<double> only_b({.lr = 0.1});
  kobai::Vector bias{{7.0, 8.0, 9.0}};
  only_b.step(bias, kobai::Vector::Constant(3, -1.0));
  EXPECT_EQ(model.vector("b"), bias);
}

}  // namespace
