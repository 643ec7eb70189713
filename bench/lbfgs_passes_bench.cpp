// bench/lbfgs_passes_bench.cpp — what forming one L-BFGS direction costs in memory passes:
// the fused two-loop recursion (2m + 1 passes plus the pass that forms the new pair) against the
// vector-free form's two passes (gradient_products, combine; optim/lbfgs_gram.hpp), on one thread
// and on two, in the same process. m = 10 pairs of random vectors; medians of 15 timings of a loop.
//
//   lbfgs_passes_bench [n ...]     (default 2000 10000 100000)
//
// Prints µs per direction and the ratio of each row to the two-loop recursion's (> 1: faster).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/optim/lbfgs_kernels.hpp"
#include "kobai/optim/lbfgs_vector_free_kernels.hpp"

namespace {

namespace k = kobai::lbfgs_kernels;
constexpr int m = 10;

struct Vectors {
  explicit Vectors(std::size_t n) : n(n), g(n), g_old(n), d(n), x(n), x_old(n), new_s(n), new_y(n) {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    auto fill = [&](std::vector<double>& v) {
      for (double& e : v) e = normal(rng);
    };
    for (int j = 0; j < m; ++j) {
      s.emplace_back(n);
      y.emplace_back(n);
      fill(s.back());
      fill(y.back());
    }
    for (auto* v : {&g, &g_old, &d, &x, &x_old}) fill(*v);
  }
  std::size_t n;
  std::vector<std::vector<double>> s, y;
  std::vector<double> g, g_old, d, x, x_old, new_s, new_y;
};

// The two-loop recursion as Lbfgs runs it below vector_free_from, with the pass that forms the
// new pair; coefficients are arbitrary small numbers (the cost does not depend on them).
double two_loop(Vectors& v) {
  const std::size_t n = v.n;
  double sink = k::difference_pair(v.new_s.data(), v.new_y.data(), v.x.data(), v.x_old.data(), v.g.data(),
                                   v.g_old.data(), n).ys;
  double a = 1e-3 * k::dot(v.s[m - 1].data(), v.g.data(), n);
  const double* q = v.g.data();
  for (int i = m - 1; i > 0; --i) {
    a = 1e-3 * k::subtract_then_dot<false>(v.d.data(), q, a, v.y[i].data(), 1.0, v.s[i - 1].data(), n);
    q = v.d.data();
  }
  double b = 1e-3 * k::subtract_then_dot<true>(v.d.data(), q, a, v.y[0].data(), 0.5, v.y[0].data(), n);
  for (int i = 0; i < m - 1; ++i) b = 1e-3 * k::add_then_dot(v.d.data(), 1e-3 - b, v.s[i].data(), v.y[i + 1].data(), n);
  return sink + k::add_negate_then_dot(v.d.data(), 1e-3 - b, v.s[m - 1].data(), v.g.data(), n);
}

double vector_free(Vectors& v, std::vector<double>& scratch) {
  const std::size_t n = v.n;
  std::vector<const double*> stored;
  for (int j = 0; j < m; ++j) stored.push_back(v.s[j].data());
  for (int j = 0; j < m; ++j) stored.push_back(v.y[j].data());
  std::vector<double> out(2 * m), c(2 * m, 1e-3);
  const auto products = k::gradient_products(v.new_y.data(), v.x.data(), v.g.data(), v.g_old.data(), v.d.data(),
                                             stored.data(), stored.size(), out.data(), scratch.data(), n);
  const auto direction = k::combine(v.d.data(), -0.5, v.g.data(), stored.data(), c.data(), stored.size(),
                                    scratch.data(), n);
  return products.dg + direction.dd;
}

template <class Run>
double median_microseconds(std::size_t n, Run&& run) {
  const int reps = static_cast<int>(std::max<std::size_t>(20, 4'000'000 / n));
  std::vector<double> times;
  double sink = 0;
  for (int t = 0; t < 15; ++t) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < reps; ++r) sink += run();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps);
  }
  std::sort(times.begin(), times.end());
  if (sink == 0.125) std::puts("");  // keeps the work
  return times[times.size() / 2] * 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(static_cast<std::size_t>(std::atol(argv[i])));
  if (sizes.empty()) sizes = {2000, 10000, 100000};
  const int threads = kobai::num_threads();
  std::printf("one L-BFGS direction, m = %d (µs, median of 15; ratio: two-loop's time / the row's)\n", m);
  std::printf("%8s %22s %10s %10s %18s %10s\n", "n", "two-loop (1 thread)", "vf 1 thr", "ratio", "vf 2 threads", "ratio");
  for (std::size_t n : sizes) {
    Vectors v(n);
    std::vector<double> scratch(k::gradient_products_scratch(n, 2 * m));
    kobai::set_num_threads(1);
    const double reference = median_microseconds(n, [&] { return two_loop(v); });
    const double one = median_microseconds(n, [&] { return vector_free(v, scratch); });
    kobai::set_num_threads(2);
    const double two = median_microseconds(n, [&] { return vector_free(v, scratch); });
    std::printf("%8zu %22.1f %10.1f %9.2fx %18.1f %9.2fx%s\n", n, reference, one, reference / one, two,
                reference / two, k::pass_threads(n, 2 * m + 4) < 2 ? "  (2 threads not used at this n)" : "");
  }
  kobai::set_num_threads(threads);
}
