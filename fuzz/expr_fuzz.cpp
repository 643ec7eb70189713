// libFuzzer target for the expression language: any byte string must either compile or throw
// kobai::expr::ParseError (anything else escaping is a crash), never overflow the stack, read out
// of bounds or hit undefined behaviour (ASan + UBSan), and a compiled expression must evaluate its
// value, gradient and Hessian consistently:
//   - value(x) and value_and_gradient(x) give the same bits (or both NaN),
//   - gradient and Hessian have the expression's dimension.
// (Hessian symmetry is not asserted: with cancellation, e.g. 1e20*x - 1e20*x, the two triangles
// come from different sweeps and may legitimately differ by more than any fixed tolerance.)
// Run it with scripts/test.sh (60 s) or by hand, see fuzz/CMakeLists.txt.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "kobai/expr/expression.hpp"

namespace {

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "expr_fuzz: %s for input '%.*s'\n", what, static_cast<int>(text.size()),
               text.data());
  std::abort();
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const kobai::expr::Expression f = kobai::expr::compile(text);
    const int n = f.dimension();
    if (n < 1) fail("dimension < 1", text);
    if (n > 64) return 0;  // evaluation of huge dimensions is legal but slow; parsing was the test
    kobai::Vector x(n);
    for (int i = 0; i < n; ++i) x[i] = 0.37 + 0.61 * i - (i % 3 == 2 ? 2.0 : 0.0);
    const double v = f.value(x);
    kobai::Vector g;
    const double w = f.value_and_gradient(x, g);
    if (!same(v, w)) fail("value and value_and_gradient differ", text);
    if (g.size() != n) fail("gradient of the wrong size", text);
    if (n <= 8) {
      kobai::Matrix h;
      f.hessian(x, h);
      if (h.rows() != n || h.cols() != n) fail("Hessian of the wrong size", text);
    }
  } catch (const kobai::expr::ParseError& e) {
    if (e.position() > size) fail("error position beyond the text", text);
    if (std::string_view(e.what()).find('^') == std::string_view::npos) fail("no caret", text);
  }
  return 0;
}
