// kobai/expr/parser.hpp — text to Program: the grammar, in one pass that emits code directly.
//
//   expression := term  (('+' | '-') term)*               (8 terms or more: summed pairwise)
//   term       := unary (('*' | '/') unary)*
//   unary      := ('-' | '+')* power                       so -x^2 = -(x^2), as in mathematics
//   power      := primary ('^' ('-' | '+')* primary)*      right-associative: 2^3^2 = 2^9
//   primary    := number | name | name '(' arguments ')' | '(' expression ')'
//
// Names: the variables x, y, z (= x0, x1, x2) and x0, x1, … (the dimension is the largest index
// + 1), the constants pi and e, and the functions sin cos tan exp log sqrt abs tanh sinh cosh asin
// acos atan (one argument), atan2(y, x), pow(a, b), min(a, b), max(a, b). `**` is accepted for `^`.
//
// Why this shape. Sums, products, prefix signs and power chains are loops, not recursion, so a
// 100,000-term sum parses in linear time on a constant stack; only parentheses and function
// calls nest, and nesting deeper than max_nesting (256) is a ParseError rather than a stack
// overflow. Code is emitted while parsing (no syntax tree): constant subexpressions are folded,
// equal constants share one slot, x^2 becomes a `square` instruction, x^c (c constant) a
// `pow_const`, and e^x an `exp`.
#pragma once

#include <algorithm>
#include <cstring>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kobai/expr/lexer.hpp"
#include "kobai/expr/parse_error.hpp"
#include "kobai/expr/program.hpp"

namespace kobai::expr {

struct CompileOptions {
  // 0: the dimension is inferred (largest variable index + 1, at least 1). Otherwise the
  // expression must not use variables beyond it (for gradient components, which may skip some).
  int dimension = 0;
};

// Variables beyond this index are rejected (x10000000 would ask for an 80 MB vector).
inline constexpr int max_variable_index = 9'999'999;
inline constexpr int max_nesting = 256;

inline const char* function_list() {
  return "sin cos tan exp log sqrt abs tanh sinh cosh asin acos atan atan2 pow min max";
}

namespace detail {

struct FunctionInfo {
  std::string_view name;
  Op op;
  int arguments;
};

inline const FunctionInfo* find_function(std::string_view name) {
  static constexpr FunctionInfo table[] = {
      {"sin", Op::sin, 1},     {"cos", Op::cos, 1},     {"tan", Op::tan, 1},
      {"exp", Op::exp, 1},     {"log", Op::log, 1},     {"sqrt", Op::sqrt, 1},
      {"abs", Op::abs, 1},     {"tanh", Op::tanh, 1},   {"sinh", Op::sinh, 1},
      {"cosh", Op::cosh, 1},   {"asin", Op::asin, 1},   {"acos", Op::acos, 1},
      {"atan", Op::atan, 1},   {"atan2", Op::atan2, 2}, {"pow", Op::pow, 2},
      {"min", Op::min, 2},     {"max", Op::max, 2},
  };
  for (const auto& f : table)
    if (f.name == name) return &f;
  return nullptr;
}

// A value while parsing: a variable, a constant or a temporary. Slots are assigned at the end,
// when the number of variables and constants is known.
struct Ref {
  enum Kind : std::uint8_t { variable, constant, temporary } kind = constant;
  std::int32_t index = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text), text_(text) { advance(); }

  Program parse(const CompileOptions& options) {
    if (token_.kind == TokenKind::end)
      fail(token_.position, "expected an expression, got end of input");
    const Ref result = expression();
    if (token_.kind != TokenKind::end) {
      const char* what = token_.kind == TokenKind::right
                             ? "unmatched ')'; expected an operator (+ - * / ^) or end of input"
                             : "expected an operator (+ - * / ^) or end of input";
      fail(token_.position, std::string(what) + ", got " + describe(token_));
    }
    int dimension = max_variable_ + 1;
    if (options.dimension > 0) {
      if (options.dimension < dimension)
        fail(max_variable_position_,
             "the expression uses x" + std::to_string(max_variable_) + " but the dimension is " +
                 std::to_string(options.dimension) + " (variables x0 … x" +
                 std::to_string(options.dimension - 1) + ")");
      dimension = options.dimension;
    }
    if (dimension < 1) dimension = 1;
    return link(result, dimension);
  }

 private:
  [[noreturn]] void fail(std::size_t position, std::string reason) const {
    throw ParseError(text_, position, std::move(reason));
  }
  void advance() { token_ = lexer_.next(); }
  void expect(TokenKind kind, std::string_view what, std::size_t opened_at) {
    if (token_.kind != kind) {
      std::string reason = "expected " + std::string(what);
      if (opened_at != npos) reason += " to close the '(' at column " + std::to_string(opened_at + 1);
      fail(token_.position, reason + ", got " + describe(token_));
    }
    advance();
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // ---- grammar ----------------------------------------------------------------------------
  // Short sums fold left to right, as written. A long sum (at least long_sum terms) is added
  // pairwise instead: a balanced tree has depth log n instead of n, so the evaluation is not one
  // long dependency chain, and pairwise summation's rounding error grows as log n, not n.
  static constexpr std::size_t long_sum = 8;
  Ref expression() {
    Ref left = term();
    if (token_.kind != TokenKind::plus && token_.kind != TokenKind::minus) return left;
    std::vector<std::pair<Ref, bool>> terms{{left, false}};  // (term, subtracted)
    while (token_.kind == TokenKind::plus || token_.kind == TokenKind::minus) {
      const bool minus = token_.kind == TokenKind::minus;
      advance();
      terms.emplace_back(term(), minus);
    }
    if (terms.size() < long_sum) {
      Ref acc = terms[0].first;
      for (std::size_t k = 1; k < terms.size(); ++k)
        acc = emit(terms[k].second ? Op::sub : Op::add, acc, terms[k].first);
      return acc;
    }
    while (terms.size() > 1) {
      std::size_t out = 0;
      for (std::size_t k = 0; k + 1 < terms.size(); k += 2) {
        const auto [a, a_minus] = terms[k];
        const auto [b, b_minus] = terms[k + 1];
        if (a_minus == b_minus) terms[out++] = {emit(Op::add, a, b), a_minus};
        else if (b_minus) terms[out++] = {emit(Op::sub, a, b), false};
        else terms[out++] = {emit(Op::sub, b, a), false};
      }
      if (terms.size() % 2) terms[out++] = terms.back();
      terms.resize(out);
    }
    return terms[0].second ? emit(Op::neg, terms[0].first, terms[0].first) : terms[0].first;
  }

  Ref term() {
    Ref left = unary();
    while (token_.kind == TokenKind::star || token_.kind == TokenKind::slash) {
      const Op op = token_.kind == TokenKind::star ? Op::mul : Op::div;
      advance();
      left = emit(op, left, unary());
    }
    return left;
  }

  // Counts leading signs; an odd number of minuses negates the power that follows.
  bool signs() {
    bool negative = false;
    while (token_.kind == TokenKind::minus || token_.kind == TokenKind::plus) {
      if (token_.kind == TokenKind::minus) negative = !negative;
      advance();
    }
    return negative;
  }

  Ref unary() {
    const bool negative = signs();
    const Ref value = power();
    return negative ? emit(Op::neg, value, value) : value;
  }

  // primary ^ s1 primary ^ s2 primary … folded from the right: a ^ s1(b ^ s2(c)).
  Ref power() {
    const Ref first = primary();
    if (token_.kind != TokenKind::caret) return first;
    std::vector<std::pair<Ref, bool>> chain;
    while (token_.kind == TokenKind::caret) {
      advance();
      const bool negative = signs();
      chain.emplace_back(primary(), negative);
    }
    Ref acc = chain.back().first;
    if (chain.back().second) acc = emit(Op::neg, acc, acc);
    for (std::size_t k = chain.size() - 1; k-- > 0;) {
      acc = emit_power(chain[k].first, acc);
      if (chain[k].second) acc = emit(Op::neg, acc, acc);
    }
    return emit_power(first, acc);
  }

  Ref primary() {
    const Token t = token_;
    switch (t.kind) {
      case TokenKind::number:
        advance();
        return constant(t.number);
      case TokenKind::left: {
        enter(t.position);
        advance();
        const Ref inner = expression();
        expect(TokenKind::right, "')'", t.position);
        --depth_;
        return inner;
      }
      case TokenKind::name: {
        advance();
        if (token_.kind == TokenKind::left) return call(t);
        return name(t);
      }
      default:
        fail(t.position, "expected a number, a variable, a function or '(', got " + describe(t));
    }
  }

  void enter(std::size_t position) {
    if (++depth_ > max_nesting)
      fail(position, "parentheses and function calls nested more than " +
                         std::to_string(max_nesting) + " deep");
  }

  Ref call(const Token& name) {
    const FunctionInfo* f = find_function(name.text);
    if (!f) {
      if (name.text == "pi" || name.text == "e" || variable_index(name.text) >= 0)
        fail(token_.position, "'" + std::string(name.text) +
                                  "' is not a function; expected an operator (write '*' to "
                                  "multiply), got '('");
      fail(name.position, "unknown function '" + std::string(name.text) +
                              "'; the functions are " + function_list());
    }
    const std::size_t open = token_.position;
    enter(open);
    advance();  // '('
    Ref args[2];
    int count = 0;
    for (;;) {
      if (count == f->arguments) {
        if (token_.kind == TokenKind::comma)
          fail(token_.position, std::string(f->name) + " takes " + arguments(f->arguments) +
                                    ", got more");
        expect(TokenKind::right, "')'", open);
        break;
      }
      if (count > 0) {
        if (token_.kind == TokenKind::right)
          fail(token_.position, std::string(f->name) + " takes " + arguments(f->arguments) +
                                    ", got " + std::to_string(count));
        expect(TokenKind::comma, "','", npos);
      }
      if (token_.kind == TokenKind::right && count == 0)
        fail(token_.position, std::string(f->name) + " takes " + arguments(f->arguments) +
                                  ", got none");
      args[count++] = expression();
    }
    --depth_;
    if (f->op == Op::pow) return emit_power(args[0], args[1]);
    return emit(f->op, args[0], f->arguments == 2 ? args[1] : args[0]);
  }
  static std::string arguments(int n) { return n == 1 ? "1 argument" : std::to_string(n) + " arguments"; }

  // x, y, z → 0, 1, 2; x<digits> → the index (no leading zeros); otherwise −1.
  static int variable_index(std::string_view s) {
    if (s == "x") return 0;
    if (s == "y") return 1;
    if (s == "z") return 2;
    if (s.size() < 2 || s[0] != 'x') return -1;
    if (s[1] == '0' && s.size() > 2) return -1;
    std::int64_t v = 0;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
      if (v > max_variable_index) return -2;
    }
    return static_cast<int>(v);
  }

  Ref name(const Token& t) {
    if (t.text == "pi") return constant(std::numbers::pi);
    if (t.text == "e") return constant(std::numbers::e);
    if (find_function(t.text))
      fail(token_.position, "expected '(' after the function '" + std::string(t.text) + "', got " +
                                describe(token_));
    const int index = variable_index(t.text);
    if (index == -2)
      fail(t.position, "variable '" + std::string(t.text) + "' is beyond the largest index, x" +
                           std::to_string(max_variable_index));
    if (index < 0)
      fail(t.position, "unknown variable '" + std::string(t.text) +
                           "'; the variables are x, y, z (= x0, x1, x2) or x0, x1, x2, …, and "
                           "the constants pi and e");
    if (index > max_variable_) {
      max_variable_ = index;
      max_variable_position_ = t.position;
    }
    return Ref{Ref::variable, index};
  }

  // ---- code generation ----------------------------------------------------------------------
  Ref constant(double v) {
    std::uint64_t bits;  // std::bit_cast, which Emscripten 3.1's libc++ lacks
    std::memcpy(&bits, &v, sizeof bits);
    auto [it, inserted] = constant_index_.try_emplace(bits, static_cast<std::int32_t>(constants_.size()));
    if (inserted) constants_.push_back(v);
    return Ref{Ref::constant, it->second};
  }
  bool is_constant(Ref r, double* v = nullptr) const {
    if (r.kind != Ref::constant) return false;
    if (v) *v = constants_[static_cast<std::size_t>(r.index)];
    return true;
  }

  Ref emit_power(Ref base, Ref exponent) {
    double c = 0, b = 0;
    if (is_constant(exponent, &c) && !is_constant(base)) {
      if (c == 2) return emit(Op::square, base, base);
      if (c == 1) return base;
      return emit(Op::pow_const, base, exponent);
    }
    if (is_constant(base, &b) && b == std::numbers::e && !is_constant(exponent))
      return emit(Op::exp, exponent, exponent);
    return emit(Op::pow, base, exponent);
  }

  Ref emit(Op op, Ref a, Ref b) {
    double va = 0, vb = 0;
    if (is_constant(a, &va) && is_constant(b, &vb)) return constant(apply(op, va, vb));
    if (code_.size() >= static_cast<std::size_t>(INT32_MAX / 2))
      fail(token_.position, "expression too long");
    code_.push_back(Pending{op, a, b});
    return Ref{Ref::temporary, static_cast<std::int32_t>(code_.size() - 1)};
  }

  // Assigns slots and fuses (a − b)² and a·b + c where the inner result has no other use.
  Program link(Ref result, int dimension) const {
    Program p;
    p.dimension = dimension;
    p.constants = constants_;
    const std::int64_t base = p.first_temporary();
    if (base + static_cast<std::int64_t>(code_.size()) >= INT32_MAX)
      throw ParseError(text_, 0, "expression too long");

    const std::size_t m = code_.size();
    std::vector<std::int32_t> uses(m, 0);
    auto count = [&](Ref r) {
      if (r.kind == Ref::temporary) ++uses[static_cast<std::size_t>(r.index)];
    };
    for (const Pending& c : code_) {
      count(c.a);
      if (arity(c.op) >= 2) count(c.b);
    }
    count(result);
    auto single_use = [&](Ref r, Op op) {
      return r.kind == Ref::temporary && uses[static_cast<std::size_t>(r.index)] == 1 &&
             code_[static_cast<std::size_t>(r.index)].op == op;
    };
    struct Fused {
      Op op;
      Ref a, b, c;
    };
    std::vector<Fused> fused(m);
    std::vector<char> dead(m, 0);
    for (std::size_t k = 0; k < m; ++k) {
      const Pending& c = code_[k];
      fused[k] = Fused{c.op, c.a, c.b, c.a};
      if (c.op == Op::square && single_use(c.a, Op::sub)) {
        const Pending& s = code_[static_cast<std::size_t>(c.a.index)];
        fused[k] = Fused{Op::sqdiff, s.a, s.b, s.a};
        dead[static_cast<std::size_t>(c.a.index)] = 1;
      } else if (c.op == Op::add && (single_use(c.a, Op::mul) || single_use(c.b, Op::mul))) {
        const bool left = single_use(c.a, Op::mul);
        const Ref product = left ? c.a : c.b;
        const Pending& q = code_[static_cast<std::size_t>(product.index)];
        fused[k] = Fused{Op::muladd, q.a, q.b, left ? c.b : c.a};
        dead[static_cast<std::size_t>(product.index)] = 1;
      }
    }
    // Order: by depth in the dependency graph (ASAP level), then by operation. Any topological
    // order evaluates correctly (and its reverse sweeps correctly); this one puts independent
    // instructions with the same operation next to each other, so the interpreter's dispatch
    // branch sees long runs of one target instead of a pattern it must predict.
    std::vector<std::int32_t> level(m, 0);
    std::int32_t max_level = 0;
    auto level_of = [&](Ref r) {
      return r.kind == Ref::temporary ? level[static_cast<std::size_t>(r.index)] : 0;
    };
    for (std::size_t k = 0; k < m; ++k) {
      if (dead[k]) continue;
      const Fused& f = fused[k];
      const int n_operands = f.op == Op::muladd ? 3 : arity(f.op);
      std::int32_t l = level_of(f.a);
      if (n_operands >= 2) l = std::max(l, level_of(f.b));
      if (n_operands >= 3) l = std::max(l, level_of(f.c));
      level[k] = l + 1;
      max_level = std::max(max_level, l + 1);
    }
    std::vector<std::size_t> order;
    order.reserve(m);
    for (std::size_t k = 0; k < m; ++k)
      if (!dead[k]) order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
      if (level[i] != level[j]) return level[i] < level[j];
      return static_cast<int>(fused[i].op) < static_cast<int>(fused[j].op);
    });
    std::vector<std::int32_t> renumber(m, -1);
    std::int32_t next = 0;
    for (std::size_t k : order) renumber[k] = next++;
    auto slot = [&](Ref r) -> std::int32_t {
      switch (r.kind) {
        case Ref::variable: return r.index;
        case Ref::constant: return dimension + r.index;
        case Ref::temporary:
          return static_cast<std::int32_t>(base + renumber[static_cast<std::size_t>(r.index)]);
      }
      return 0;
    };
    p.code.reserve(static_cast<std::size_t>(next));
    for (std::size_t k : order) {
      const Fused& f = fused[k];
      p.code.push_back(Instruction{f.op, slot(f.a), slot(f.b), slot(f.c)});
    }
    p.result = slot(result);
    p.index_runs();
    return p;
  }

  struct Pending {
    Op op;
    Ref a, b;
  };

  Lexer lexer_;
  std::string_view text_;
  Token token_;
  int depth_ = 0;
  int max_variable_ = -1;
  std::size_t max_variable_position_ = 0;
  std::vector<double> constants_;
  std::unordered_map<std::uint64_t, std::int32_t> constant_index_;
  std::vector<Pending> code_;
};

}  // namespace detail

// Compiles text to a Program. Throws ParseError (a kobai::InvalidArgument) on a syntax error, an
// unknown name, or nesting deeper than max_nesting.
inline Program compile_program(std::string_view text, const CompileOptions& options = {}) {
  return detail::Parser(text).parse(options);
}

}  // namespace kobai::expr
