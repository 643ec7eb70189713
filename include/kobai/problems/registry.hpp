// kobai/problems/registry.hpp — every built-in problem by name, for the command line and the web.
//
//   for (const auto& info : kobai::problems::catalog()) ...   // name, dimension rule, formula
//   auto p = kobai::problems::make("rosenbrock", 4);           // 0 = the default dimension
//
// The catalog lists the seeds' functions first (in the order the issue names them), then the
// classic 2-D test functions, then the n-dimensional multimodal ones. `make` throws InvalidArgument for an unknown name (listing the valid ones) or a dimension
// the problem cannot have ("rosenbrock needs an even dimension, got 3").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/problems/dimension_rule.hpp"
#include "kobai/problems/multimodal.hpp"
#include "kobai/problems/one_dimensional.hpp"
#include "kobai/problems/problem.hpp"
#include "kobai/problems/quadratics.hpp"
#include "kobai/problems/rosenbrock.hpp"
#include "kobai/problems/two_dimensional.hpp"

namespace kobai::problems {

struct ProblemInfo {
  std::string name;
  std::string dimension_rule;  // "1", "2", "any" (n ≥ 1) or "any even" (n ≥ 2)
  int default_dimension = 0;
  std::string formula;
  std::string description;
};

namespace detail {

struct RegistryEntry {
  std::string_view name;
  std::string_view dimension_rule;
  int default_dimension;
  Problem (*make)(int dimension);  // called with a dimension already checked against the rule
};

inline const std::vector<RegistryEntry>& registry() {
  static const std::vector<RegistryEntry> entries = {
      {"quadratic1d", "1", 1, [](int) { return quadratic1d(); }},
      {"sphere", "any", 2, [](int n) { return sphere(n); }},
      {"elliptic", "2", 2, [](int) { return elliptic(); }},
      {"cubic", "1", 1, [](int) { return cubic(); }},
      {"sine_bowl", "1", 1, [](int) { return sine_bowl(); }},
      {"beale", "2", 2, [](int) { return beale(); }},
      {"rosenbrock", "any even", 2, [](int n) { return rosenbrock(n); }},
      {"himmelblau", "2", 2, [](int) { return himmelblau(); }},
      {"booth", "2", 2, [](int) { return booth(); }},
      {"matyas", "2", 2, [](int) { return matyas(); }},
      {"three_hump_camel", "2", 2, [](int) { return three_hump_camel(); }},
      {"goldstein_price", "2", 2, [](int) { return goldstein_price(); }},
      {"rastrigin", "any", 2, [](int n) { return rastrigin(n); }},
      {"ackley", "any", 2, [](int n) { return ackley(n); }},
      {"styblinski_tang", "any", 2, [](int n) { return styblinski_tang(n); }},
  };
  return entries;
}

inline std::string joined_names() {
  std::string out;
  for (const auto& e : registry()) {
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

}  // namespace detail

inline std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& e : detail::registry()) out.emplace_back(e.name);
  return out;
}

// Builds a problem by name. dimension 0 = the problem's default; fixed-dimension problems accept
// only 0 or their own dimension.
inline Problem make(std::string_view name, int dimension = 0) {
  for (const auto& e : detail::registry()) {
    if (e.name != name) continue;
    if (dimension == 0) return e.make(e.default_dimension);
    if (e.dimension_rule == "any") {
      detail::require_positive_dimension(name, dimension);
    } else if (e.dimension_rule == "any even") {
      detail::require_even_dimension(name, dimension);
    } else if (dimension != e.default_dimension) {
      throw InvalidArgument(std::string(name) + " has dimension " +
                            std::to_string(e.default_dimension) + ", got " +
                            std::to_string(dimension));
    }
    return e.make(dimension);
  }
  throw InvalidArgument("unknown problem '" + std::string(name) +
                        "'; valid names: " + detail::joined_names());
}

// Name, dimension rule, default dimension, formula and description of every problem, in
// catalog order (the formula and description come from the problem at its default dimension).
inline std::vector<ProblemInfo> catalog() {
  std::vector<ProblemInfo> out;
  for (const auto& e : detail::registry()) {
    Problem p = e.make(e.default_dimension);
    out.push_back({std::string(e.name), std::string(e.dimension_rule), e.default_dimension,
                   std::move(p.formula), std::move(p.description)});
  }
  return out;
}

}  // namespace kobai::problems
