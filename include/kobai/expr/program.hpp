// kobai/expr/program.hpp — a compiled expression: a flat instruction tape and its evaluators.
//
// The parser (parser.hpp) turns text into straight-line code in single-assignment form. Every
// value lives in a slot of one flat array:
//
//   [ x_0 … x_{n−1} | constants | t_0 t_1 … t_{m−1} ]      instruction i writes t_i
//
// and an instruction is {op, a, b, c}: t_i = op(slot a, slot b[, slot c]). Evaluating is one loop over the
// instructions with a switch, reading and writing that array — no tree walk, no recursion, no
// allocation (the array is a per-thread scratch buffer that keeps its size). Constants are folded
// at compile time, identical constants share a slot, and two patterns are fused (a squared
// difference, a product added), so `100*(x1-x0^2)^2+(1-x0)^2` is five instructions.
//
// Gradient: the reverse sweep. After the value pass every t_i is known, so walking the
// instructions from last to first and adding each one's local partials times its adjoint into its
// operands' adjoints gives ∇f exactly, at the cost of about two value passes.
//
// Hessian: forward over reverse. The same two passes run with Dual<double, 4> in every slot,
// the inputs seeded with 4 unit directions; the adjoints' derivative parts are 4 columns of ∇²f.
//
// Domain errors follow IEEE arithmetic: log(−1) is NaN, 1/0 is inf, and so are the derivatives
// that touch them; nothing throws and nothing traps, and the descent loop reports divergence.
// Conventions at kinks as in kobai::forward::Dual: abs'(0) = 0; min/max pass the adjoint to the
// first argument on a tie.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/diff/dual.hpp"

namespace kobai::expr {

enum class Op : std::uint8_t {
  add, sub, mul, div, neg,
  square,     // a²   (x^2, the common case, exact derivative 2a everywhere)
  pow_const,  // a^c  with c a constant slot
  pow,        // a^b
  sin, cos, tan, exp, log, sqrt, abs, tanh, sinh, cosh, asin, acos, atan,
  atan2,      // atan2(a, b): a is y, b is x
  min, max,
  // Fused by the compiler (never typed): fewer instructions, the same arithmetic.
  sqdiff,     // (a − b)²      from a square of a difference used nowhere else
  muladd      // a·b + c       from a sum with a product used nowhere else
};

inline int arity(Op op) {
  switch (op) {
    case Op::add: case Op::sub: case Op::mul: case Op::div: case Op::pow_const: case Op::pow:
    case Op::atan2: case Op::min: case Op::max: case Op::sqdiff:
      return 2;
    case Op::muladd:
      return 3;
    default:
      return 1;
  }
}

struct Instruction {
  Op op = Op::add;
  std::int32_t a = 0, b = 0, c = 0;  // operand slots (b, c unused by ops with fewer operands)
};

// op(a, b) for doubles or duals. One definition for values, constant folding and Hessians.
template <class T>
T apply(Op op, const T& a, const T& b) {
  using std::abs; using std::acos; using std::asin; using std::atan; using std::atan2;
  using std::cos; using std::cosh; using std::exp; using std::log; using std::pow; using std::sin;
  using std::sinh; using std::sqrt; using std::tan; using std::tanh;
  switch (op) {
    case Op::add: return a + b;
    case Op::sub: return a - b;
    case Op::mul: return a * b;
    case Op::div: return a / b;
    case Op::neg: return -a;
    case Op::square: return a * a;
    case Op::pow_const: return pow(a, b);
    case Op::pow: return pow(a, b);
    case Op::sin: return sin(a);
    case Op::cos: return cos(a);
    case Op::tan: return tan(a);
    case Op::exp: return exp(a);
    case Op::log: return log(a);
    case Op::sqrt: return sqrt(a);
    case Op::abs: return abs(a);
    case Op::tanh: return tanh(a);
    case Op::sinh: return sinh(a);
    case Op::cosh: return cosh(a);
    case Op::asin: return asin(a);
    case Op::acos: return acos(a);
    case Op::atan: return atan(a);
    case Op::atan2: return atan2(a, b);
    case Op::min: return b < a ? b : a;
    case Op::max: return b > a ? b : a;
    case Op::sqdiff: return (a - b) * (a - b);
    case Op::muladd: break;  // three operands: evaluated in Program::run
  }
  return a;
}

struct Program {
  int dimension = 0;               // inputs: slots [0, dimension)
  std::vector<double> constants;   // slots [dimension, dimension + constants.size())
  std::vector<Instruction> code;   // instruction i writes slot first_temporary() + i
  std::int32_t result = 0;         // the slot holding f

  std::int32_t first_temporary() const {
    return static_cast<std::int32_t>(dimension + static_cast<std::int64_t>(constants.size()));
  }
  std::size_t slot_count() const { return static_cast<std::size_t>(first_temporary()) + code.size(); }

  // Fills the inputs and constants; `inputs` has `dimension` entries.
  template <class T>
  void load(T* slots, const T* inputs) const {
    for (int i = 0; i < dimension; ++i) slots[i] = inputs[i];
    for (std::size_t k = 0; k < constants.size(); ++k) slots[dimension + k] = T(constants[k]);
  }

  // Maximal stretches of consecutive instructions with the same operation (see run()).
  struct Run {
    Op op = Op::add;
    std::uint32_t end = 0;  // one past the run's last instruction
  };
  std::vector<Run> runs;
  // The operands of `code` packed for the value pass: arity(op) slots per instruction, nothing
  // else (the operation is the run's). Half the bytes of `code` on typical programs, and the
  // value pass of a long program is limited by how many bytes it streams.
  std::vector<std::int32_t> packed;

  // Recomputes `runs` and `packed` from `code` (the compiler calls it once after emitting code).
  void index_runs() {
    runs.clear();
    packed.clear();
    for (std::size_t i = 0; i < code.size(); ++i) {
      const Instruction& c = code[i];
      if (runs.empty() || runs.back().op != c.op) runs.push_back(Run{c.op, 0});
      runs.back().end = static_cast<std::uint32_t>(i + 1);
      const int k = arity(c.op);
      packed.push_back(c.a);
      if (k >= 2) packed.push_back(c.b);
      if (k >= 3) packed.push_back(c.c);
    }
  }

  // The value pass: every temporary, in order. The compiler orders independent instructions
  // with the same operation next to each other, so the interpreter dispatches once per run of
  // one operation and then loops over it: no per-instruction branch on the operation.
  template <class T>
  void run(T* slots) const {
    T* out = slots + first_temporary();
    const std::int32_t* p = packed.data();
    std::size_t i = 0;
    for (const Run& r : runs) {
      const std::size_t end = r.end;
      switch (r.op) {
        case Op::add:
          for (; i < end; ++i, p += 2) out[i] = slots[p[0]] + slots[p[1]];
          break;
        case Op::sub:
          for (; i < end; ++i, p += 2) out[i] = slots[p[0]] - slots[p[1]];
          break;
        case Op::mul:
          for (; i < end; ++i, p += 2) out[i] = slots[p[0]] * slots[p[1]];
          break;
        case Op::square:
          for (; i < end; ++i, ++p) out[i] = slots[p[0]] * slots[p[0]];
          break;
        case Op::sqdiff:
          for (; i < end; ++i, p += 2) {
            const T d = slots[p[0]] - slots[p[1]];
            out[i] = d * d;
          }
          break;
        case Op::muladd:
          for (; i < end; ++i, p += 3) out[i] = slots[p[0]] * slots[p[1]] + slots[p[2]];
          break;
        default:
          if (arity(r.op) == 1) {
            for (; i < end; ++i, ++p) out[i] = apply(r.op, slots[p[0]], slots[p[0]]);
          } else {
            for (; i < end; ++i, p += 2) out[i] = apply(r.op, slots[p[0]], slots[p[1]]);
          }
          break;
      }
    }
  }

  // The reverse sweep: adjoints (zeroed by the caller, adjoint[result] = 1) flow to the operands.
  // Runs are walked backwards, each with its operation fixed, as in run().
  template <class T>
  void sweep(const T* v, T* adjoint) const {
    const std::int32_t base = first_temporary();
    const Instruction* in = code.data();
    auto each = [&](std::size_t begin, std::size_t end, auto&& body) {
      for (std::size_t j = end; j-- > begin;)
        body(in[j], adjoint[static_cast<std::size_t>(base) + j]);
    };
    for (std::size_t r = runs.size(); r-- > 0;) {
      const std::size_t begin = r ? runs[r - 1].end : 0, end = runs[r].end;
      switch (runs[r].op) {
        case Op::add:
          each(begin, end, [&](const Instruction& c, const T& w) {
            adjoint[c.a] += w;
            adjoint[c.b] += w;
          });
          break;
        case Op::sub:
          each(begin, end, [&](const Instruction& c, const T& w) {
            adjoint[c.a] += w;
            adjoint[c.b] -= w;
          });
          break;
        case Op::mul:
          each(begin, end, [&](const Instruction& c, const T& w) {
            adjoint[c.a] += w * v[c.b];
            adjoint[c.b] += w * v[c.a];
          });
          break;
        case Op::square:
          each(begin, end, [&](const Instruction& c, const T& w) { adjoint[c.a] += T(2) * v[c.a] * w; });
          break;
        case Op::sqdiff:
          each(begin, end, [&](const Instruction& c, const T& w) {
            const T g = T(2) * (v[c.a] - v[c.b]) * w;
            adjoint[c.a] += g;
            adjoint[c.b] -= g;
          });
          break;
        case Op::muladd:
          each(begin, end, [&](const Instruction& c, const T& w) {
            adjoint[c.a] += w * v[c.b];
            adjoint[c.b] += w * v[c.a];
            adjoint[c.c] += w;
          });
          break;
        default:
          for (std::size_t j = end; j-- > begin;) step_back(in[j], v, adjoint, base + static_cast<std::int32_t>(j));
          break;
      }
    }
  }

  // One instruction's adjoint step (any operation); `k` is its result slot.
  template <class T>
  static void step_back(const Instruction& c, const T* v, T* adjoint, std::int32_t k) {
    const T w = adjoint[k];
    adjoint_step(c.op, v[c.a], v[c.b], v[k], w, adjoint[c.a], adjoint[c.b], adjoint[c.c]);
  }

  // The local rule of reverse mode for one operation: its result r = op(a, b[, c]) has adjoint w;
  // adds w·∂r/∂a into da (and w·∂r/∂b into db, w·∂r/∂c into dc). One definition for the whole
  // program's sweep and for the sum form's term-by-term sweep (sum_form.hpp), so both do the same
  // roundings. da, db and dc may be the same variable (x·x): they are updated one after another.
  template <class T>
  static void adjoint_step(Op op, const T& a, const T& b, const T& r, const T w, T& da, T& db, T& dc) {
    using std::cos; using std::cosh; using std::log; using std::pow; using std::sin;
    using std::sinh; using std::sqrt;
    switch (op) {
      case Op::add: da += w; db += w; break;
      case Op::sub: da += w; db -= w; break;
      case Op::mul: da += w * b; db += w * a; break;
      case Op::div: {
        const T q = w / b;
        da += q;
        db -= q * r;
        break;
      }
      case Op::neg: da -= w; break;
      case Op::square: da += T(2) * a * w; break;
      case Op::pow_const: da += w * b * pow(a, T(b - T(1))); break;
      case Op::pow:
        da += w * b * pow(a, T(b - T(1)));
        db += w * r * log(a);
        break;
      case Op::sin: da += w * cos(a); break;
      case Op::cos: da -= w * sin(a); break;
      case Op::tan: da += w * (T(1) + r * r); break;
      case Op::exp: da += w * r; break;
      case Op::log: da += w / a; break;
      case Op::sqrt: da += w * T(0.5) / r; break;
      case Op::abs:
        if (a > T(0)) da += w;
        else if (a < T(0)) da -= w;
        break;
      case Op::tanh: da += w * (T(1) - r * r); break;
      case Op::sinh: da += w * cosh(a); break;
      case Op::cosh: da += w * sinh(a); break;
      case Op::asin: da += w / sqrt(T(1) - a * a); break;
      case Op::acos: da -= w / sqrt(T(1) - a * a); break;
      case Op::atan: da += w / (T(1) + a * a); break;
      case Op::atan2: {
        const T q = w / (a * a + b * b);
        da += q * b;
        db -= q * a;
        break;
      }
      case Op::min:
        if (b < a) db += w;
        else da += w;
        break;
      case Op::max:
        if (b > a) db += w;
        else da += w;
        break;
      case Op::sqdiff: {
        const T g = T(2) * (a - b) * w;
        da += g;
        db -= g;
        break;
      }
      case Op::muladd:
        da += w * b;
        db += w * a;
        dc += w;
        break;
    }
  }
};

namespace detail {

// Per-thread scratch: evaluation allocates nothing once these have grown to the largest program.
template <class T>
std::vector<T>& scratch(int which) {
  thread_local std::vector<T> buffers[2];
  return buffers[which];
}

inline void check_dimension(const Program& p, const Vector& x) {
  if (x.size() != p.dimension)
    throw InvalidArgument("x must have dimension " + std::to_string(p.dimension) +
                          " (the expression's), got " + std::to_string(x.size()));
}

}  // namespace detail

inline double evaluate(const Program& p, const Vector& x) {
  detail::check_dimension(p, x);
  std::vector<double>& slots = detail::scratch<double>(0);
  if (slots.size() < p.slot_count()) slots.resize(p.slot_count());
  p.load(slots.data(), x.data());
  p.run(slots.data());
  return slots[static_cast<std::size_t>(p.result)];
}

inline double evaluate_with_gradient(const Program& p, const Vector& x, Vector& g) {
  detail::check_dimension(p, x);
  std::vector<double>& slots = detail::scratch<double>(0);
  std::vector<double>& adjoint = detail::scratch<double>(1);
  const std::size_t count = p.slot_count();
  if (slots.size() < count) slots.resize(count);
  p.load(slots.data(), x.data());
  p.run(slots.data());
  adjoint.assign(count, 0.0);
  adjoint[static_cast<std::size_t>(p.result)] = 1.0;
  p.sweep(slots.data(), adjoint.data());
  g.resize(p.dimension);
  for (int i = 0; i < p.dimension; ++i) g[i] = adjoint[static_cast<std::size_t>(i)];
  return slots[static_cast<std::size_t>(p.result)];
}

// Forward over reverse, 4 Hessian columns per pass.
inline void evaluate_hessian(const Program& p, const Vector& x, Matrix& h) {
  detail::check_dimension(p, x);
  constexpr int K = 4;
  using D = forward::Dual<double, K>;
  const int n = p.dimension;
  h.resize(n, n);
  std::vector<D>& slots = detail::scratch<D>(0);
  std::vector<D>& adjoint = detail::scratch<D>(1);
  const std::size_t count = p.slot_count();
  if (slots.size() < count) slots.resize(count);
  std::vector<D> inputs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) inputs[static_cast<std::size_t>(i)] = D(x[i]);
  for (int start = 0; start < n; start += K) {
    const int columns = std::min(K, n - start);
    for (int k = 0; k < columns; ++k) inputs[static_cast<std::size_t>(start + k)].d[static_cast<std::size_t>(k)] = 1;
    p.load(slots.data(), inputs.data());
    p.run(slots.data());
    adjoint.assign(count, D(0.0));
    adjoint[static_cast<std::size_t>(p.result)] = D(1.0);
    p.sweep(slots.data(), adjoint.data());
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < columns; ++k)
        h(i, start + k) = adjoint[static_cast<std::size_t>(i)].d[static_cast<std::size_t>(k)];
    for (int k = 0; k < columns; ++k) inputs[static_cast<std::size_t>(start + k)].d[static_cast<std::size_t>(k)] = 0;
  }
}

}  // namespace kobai::expr
