// bench/lbfgs_vs_scipy.cpp — the kobai side of bench/lbfgs_vs_scipy.py.
//
// Minimizes the extended (paired) Rosenbrock function, kobai::problems::rosenbrock(n), from
// (−1.2, 1, −1.2, 1, …) with kobai's L-BFGS (memory 10, strong Wolfe c1 = 1e-4, c2 = 0.9) and
// BFGS, and prints one JSON object per run: method, n, iterations, function and gradient
// evaluations, final f, max |g|, status, and the median wall time of `repeats` runs.
//
//   lbfgs_vs_scipy [--tolerance 1e-6] [--repeats 0] [--lbfgs 2,100,1000,10000] [--bfgs 2,100]
//                  [--expr 1000,10000]
//
// --expr: L-BFGS on the same function typed as text (kobai::expr::make_problem, evaluated as a
// sum of one term shape, expr/sum_form.hpp), "L-BFGS expr" in the output.
//
// repeats 0 (the default) repeats each run until 0.3 s have passed (at least 5, at most 10,000
// times). The stopping rule is minimize's: max_i |∂f/∂x_i| < tolerance.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "kobai/kobai.hpp"

namespace {

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(std::stoi(item));
  return out;
}

// The extended Rosenbrock function typed as text: the same function, evaluated by kobai::expr.
std::string rosenbrock_text(int n) {
  std::string text;
  // Appended piece by piece ("x" + std::to_string(i) trips GCC 12's false -Wrestrict at -O3).
  for (int i = 0; i < n; i += 2) {
    if (i > 0) text += " + ";
    text += "100*(x";
    text += std::to_string(i + 1);
    text += " - x";
    text += std::to_string(i);
    text += "^2)^2 + (1 - x";
    text += std::to_string(i);
    text += ")^2";
  }
  return text;
}

template <class Method>
void run(const char* label, Method make, int n, double tolerance, int repeats, bool typed = false) {
  auto problem = kobai::problems::rosenbrock(n);
  if (typed) {
    const kobai::Vector start = problem.start;
    problem = kobai::expr::make_problem(rosenbrock_text(n), {.start = start});
  }
  const kobai::MinimizeOptions options{.max_iterations = 100'000, .gradient_tolerance = tolerance};
  std::vector<double> seconds;
  kobai::MinimizeResult result;
  const auto begin = std::chrono::steady_clock::now();
  for (int k = 0;; ++k) {
    auto method = make();
    const auto t0 = std::chrono::steady_clock::now();
    result = kobai::minimize(problem, problem.start, method, options);
    const auto t1 = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
    const double elapsed = std::chrono::duration<double>(t1 - begin).count();
    if (repeats > 0 ? k + 1 >= repeats : (k + 1 >= 5 && elapsed > 0.3) || k + 1 >= 10'000) break;
  }
  std::nth_element(seconds.begin(), seconds.begin() + seconds.size() / 2, seconds.end());
  std::printf(
      "{\"side\": \"kobai\", \"method\": \"%s\", \"n\": %d, \"iterations\": %lld, "
      "\"function_evaluations\": %lld, \"gradient_evaluations\": %lld, \"value\": %.17g, "
      "\"gradient_max_abs\": %.6g, \"status\": \"%s\", \"seconds\": %.9g, \"repeats\": %zu}\n",
      label, n, static_cast<long long>(result.iterations),
      static_cast<long long>(result.function_evaluations),
      static_cast<long long>(result.gradient_evaluations), result.value, result.gradient_max_abs,
      std::string(kobai::to_string(result.status)).c_str(), seconds[seconds.size() / 2],
      seconds.size());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  double tolerance = 1e-6;
  int repeats = 0;
  std::vector<int> lbfgs_sizes = {2, 100, 1000, 10000}, bfgs_sizes = {2, 100}, expr_sizes = {1000, 10000};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--tolerance") tolerance = std::stod(value);
    else if (flag == "--repeats") repeats = std::stoi(value);
    else if (flag == "--lbfgs") lbfgs_sizes = parse_list(value);
    else if (flag == "--bfgs") bfgs_sizes = parse_list(value);
    else if (flag == "--expr") expr_sizes = parse_list(value);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  for (int n : lbfgs_sizes) run("L-BFGS", [] { return kobai::Lbfgs(); }, n, tolerance, repeats);
  for (int n : bfgs_sizes) run("BFGS", [] { return kobai::Bfgs(); }, n, tolerance, repeats);
  for (int n : expr_sizes) run("L-BFGS expr", [] { return kobai::Lbfgs(); }, n, tolerance, repeats, true);
}
