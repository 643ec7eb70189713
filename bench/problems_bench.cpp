// Cost of the built-in problems' value-and-gradient through Problem's std::function, measured as
// a dependent chain (x ← x − 1e-4·∇f(x), what a descent loop does) against the same chain with
// the textbook Beale gradient inlined (the reference, measured in the same run), and the cost of
// a numerical gradient relative to the analytic one.
//   build-<you>/bench/problems_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <string>

#include "kobai/diff/numerical_gradient.hpp"
#include "kobai/problems/registry.hpp"

namespace {

using kobai::Vector;

// Reference: seed 003's Beale gradient, written as printed, inlined into the loop.
void BealeTextbookInline(benchmark::State& state) {
  Vector x{{1.0, 1.0}}, g(2);
  for (auto _ : state) {
    const double a = x[0], b = x[1];
    g[0] = 2 * (1.5 - a + a * b) * (b - 1) + 2 * (2.25 - a + a * b * b) * (b * b - 1) +
           2 * (2.625 - a + a * b * b * b) * (b * b * b - 1);
    g[1] = 2 * (1.5 - a + a * b) * a + 2 * (2.25 - a + a * b * b) * (2 * b * a) +
           2 * (2.625 - a + a * b * b * b) * (3 * b * b * a);
    x -= 1e-4 * g;
    benchmark::DoNotOptimize(x.data());
  }
}
BENCHMARK(BealeTextbookInline);

void ProblemChain(benchmark::State& state, const std::string& name) {
  const auto p = kobai::problems::make(name);
  Vector x = p.start, g(p.dimension());
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.value_and_gradient(x, g));
    x -= 1e-4 * g;
  }
}
BENCHMARK_CAPTURE(ProblemChain, beale, std::string("beale"));
BENCHMARK_CAPTURE(ProblemChain, rosenbrock, std::string("rosenbrock"));
BENCHMARK_CAPTURE(ProblemChain, himmelblau, std::string("himmelblau"));
BENCHMARK_CAPTURE(ProblemChain, goldstein_price, std::string("goldstein_price"));
BENCHMARK_CAPTURE(ProblemChain, rastrigin, std::string("rastrigin"));
BENCHMARK_CAPTURE(ProblemChain, ackley, std::string("ackley"));

void BealeNumericalGradient(benchmark::State& state) {
  const auto p = kobai::problems::beale();
  const Vector x = p.start;
  for (auto _ : state)
    benchmark::DoNotOptimize(kobai::numerical_gradient([&](const Vector& v) { return p.value(v); }, x));
}
BENCHMARK(BealeNumericalGradient);

}  // namespace

BENCHMARK_MAIN();
