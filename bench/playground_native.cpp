// The native side of the playground's speed benchmark (web/bench/playground_speed.mjs): the run the
// page's engine times, through the same code path (problems::make, make_first_order, minimize,
// no history), so the two per-iteration times compare the compilers, not the programs.
//
//   build/bench/playground_native [ITERATIONS] [REPEATS]   → one JSON line
// Beale from (3, 4), Adam lr 1e-3, β = (0.9, 0.8) (seed 003), gradient tolerance 0. Prints every
// repeat's ns/iteration, the fastest, the median and the final x (which must equal the page's, bit for bit).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/registry.hpp"
#include "kobai/problems/registry.hpp"

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 100'000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 7;
  const kobai::problems::Problem beale = kobai::problems::make("beale");
  const kobai::Vector x0{{3.0, 4.0}};
  const kobai::MinimizeOptions options{.max_iterations = iterations, .gradient_tolerance = 0};
  std::vector<double> ns;
  kobai::MinimizeResult r;
  for (int k = 0; k < repeats; ++k) {
    kobai::AnyFirstOrder adam = kobai::make_first_order("adam", {.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8, .eps = 1e-8});
    const auto t0 = std::chrono::steady_clock::now();
    r = kobai::minimize(beale, x0, adam, options);
    const auto t1 = std::chrono::steady_clock::now();
    ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(iterations));
  }
  std::vector<double> sorted = ns;
  std::sort(sorted.begin(), sorted.end());
  std::printf("{\"ns_per_iteration\": [");
  for (std::size_t k = 0; k < ns.size(); ++k) std::printf("%s%.3f", k ? ", " : "", ns[k]);
  std::printf("], \"min\": %.3f, \"median\": %.3f, \"x\": [%.17g, %.17g], \"value\": %.17g}\n", sorted.front(), sorted[sorted.size() / 2], r.x[0], r.x[1], r.value);
}
