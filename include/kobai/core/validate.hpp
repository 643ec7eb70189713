// kobai/core/validate.hpp — checks that name the bad value in their message.
//
// Every message has the shape "<name> must be <rule>, got <value>" so a user reading one line on
// standard error knows what to change.
#pragma once

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "kobai/core/error.hpp"
#include "kobai/core/reductions.hpp"
#include "kobai/core/types.hpp"

namespace kobai::validate {

inline std::string format_number(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

[[noreturn]] inline void fail(std::string_view name, std::string_view rule, double got) {
  throw InvalidArgument(std::string(name) + " must be " + std::string(rule) + ", got " +
                        format_number(got));
}

inline void finite(std::string_view name, double v) {
  if (!std::isfinite(v)) fail(name, "a finite number", v);
}
inline void positive(std::string_view name, double v) {
  if (!(v > 0) || !std::isfinite(v)) fail(name, "> 0", v);
}
inline void non_negative(std::string_view name, double v) {
  if (!(v >= 0) || !std::isfinite(v)) fail(name, ">= 0", v);
}
// lo <= v < hi, the rule for PyTorch's betas, rho, alpha and momentum-like coefficients.
inline void in_half_open(std::string_view name, double v, double lo, double hi) {
  if (!(v >= lo && v < hi))
    fail(name, "in [" + format_number(lo) + ", " + format_number(hi) + ")", v);
}
inline void in_closed(std::string_view name, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi))
    fail(name, "in [" + format_number(lo) + ", " + format_number(hi) + "]", v);
}
inline void positive_count(std::string_view name, std::int64_t v) {
  if (v <= 0) fail(name, "> 0", static_cast<double>(v));
}

// A start point must have the problem's dimension and finite entries.
inline void point(std::string_view name, const Vector& x, Eigen::Index expected_dimension) {
  if (expected_dimension > 0 && x.size() != expected_dimension)
    throw InvalidArgument(std::string(name) + " must have dimension " +
                          std::to_string(expected_dimension) + ", got " +
                          std::to_string(x.size()));
  // One test over all entries in packs (a branch per entry took 8 µs at n = 10⁴), then the search
  // for the bad entry only when there is one.
  if (reductions::all_finite(x.data(), x.data(), static_cast<std::size_t>(x.size()))) return;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      throw InvalidArgument(std::string(name) + "[" + std::to_string(i) +
                            "] must be a finite number, got " + format_number(x[i]));
}

}  // namespace kobai::validate
