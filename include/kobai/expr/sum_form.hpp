// kobai/expr/sum_form.hpp — fast value and gradient of a long sum of terms of the same shape.
//
// Functions of many variables are mostly typed as sums: the extended Rosenbrock function,
//   100*(x1 - x0^2)^2 + (1 - x0)^2 + 100*(x3 - x2^2)^2 + (1 - x2)^2 + …,
// is 5,000 copies of one term over different variables at n = 10⁴. The program interpreter
// (program.hpp) runs such a sum as 25,000 instructions, each reading its operands' slot numbers
// from memory and, in the reverse sweep, scattering adjoints into a 35,000-slot array it must
// first clear; at this size that costs ~10× the hand-written gradient. Here the sum is split into
//
//   the spine   the additions, subtractions and negations from the result down to the terms
//               (the parser's pairwise summation tree), each with the program's operands, so f
//               has the same roundings as the program's; run ordered by height, and as packed
//               sums of neighbours where it is such runs (sum_form_spine.hpp);
//   the terms   what hangs off the spine. Terms are grouped by *shape*: the same instructions on
//               the same constants, differing only in which variables they read. One shape is
//               compiled once into a small local program (a "template") and run over a block of
//               64 terms at a time, lane by lane: each instruction is one loop over 64 lanes of
//               contiguous arrays (SIMD packs, core/simd.hpp; in a baseline x86-64 build an
//               AVX2 copy of the lane programs is chosen at run time, core/simd_avx2_copy.hpp), its
//               operation dispatched once per block, not per term. The term's gradient is its
//               local reverse sweep, seeded with the term's sign in the sum (±1), and written
//               into ∇f at the term's variables (sum_form_rows.hpp).
//
// Same results as the program: every instruction does the same operation on the same values
// (the reverse rules are Program::adjoint_step's, or spell out the same arithmetic), so each
// term's value, f and each term's partial derivatives are bit for bit the program's. Only where a
// variable appears in several terms can ∂f/∂x_i differ, by rounding: the program adds its
// contributions in reverse instruction order across all terms, the sum form term by term
// (tests/expr_sum_form_test.cpp compares both).
//
// A program without such a structure (fewer than min_terms terms, mostly different shapes, or
// temporaries shared between terms) has no sum form; Expression then runs the program.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <type_traits>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/simd_avx2_copy.hpp"
#include "kobai/expr/program.hpp"
#include "kobai/expr/sum_form_rows.hpp"
#include "kobai/expr/sum_form_spine.hpp"

KOBAI_AVX2_COPY_BEGIN

namespace kobai::expr {

class SumForm {
 public:
  // Below this many terms the program is fast enough and the set-up is not worth it.
  static constexpr std::size_t min_terms = 16;
  // Terms evaluated together, lane by lane.
  static constexpr int block = 64;

  // The sum form of p, or null when p is not a long sum of terms of few shapes.
  static std::shared_ptr<const SumForm> analyse(const Program& p);

  int dimension() const { return dimension_; }
  std::size_t term_count() const { return leaf_count_; }
  std::size_t shape_count() const { return shapes_.size(); }

  // f(x); x has dimension() entries.
  double value(const double* x) const { return evaluate(x, nullptr); }
  // f(x), and ∇f(x) into g (dimension() entries).
  double value_and_gradient(const double* x, double* g) const { return evaluate(x, g); }

 private:
  // One shape of term: a local program over [inputs | constants | temporaries].
  struct Shape {
    int inputs = 0;                 // distinct variables a term reads
    std::vector<double> constants;  // local slots [inputs, inputs + constants.size())
    std::vector<Instruction> code;  // local operand slots; instruction j writes slot first_temporary() + j
    std::int32_t result = 0;        // local slot of the term's value
    std::size_t terms = 0;
    std::vector<std::int32_t> variables;  // input-major: variables[k * terms + t] is term t's input k
    std::vector<std::int32_t> leaves;     // where term t's value goes among the spine's operands
    std::vector<double> seeds;            // ∂f/∂(term t): +1 or −1
    // Typed sums usually walk the variables in steps (x0, x2, x4, …): input k of term t is then
    // first[k] + step[k]·t, read without the index array. step[k] is meaningful where strided[k].
    std::vector<char> strided;
    std::vector<std::int32_t> first, step;
    bool contiguous_leaves = false;       // leaves[t] = leaves[0] + t
    // How the reverse pass writes each instruction's operands' adjoint rows (operands a, b, c:
    // flow[3j + k]): the first contribution a row gets in the reverse sweep is stored (0 + v, the
    // same bits as adding v to a cleared row), later ones added, and a constant's is not computed
    // (no one reads it). Rows whose first contribution comes from an operation without a
    // vectorized rule (Program::adjoint_step adds into them) are cleared every block instead.
    std::vector<std::uint8_t> flow;
    std::vector<std::int32_t> cleared_rows;
    bool uniform_seeds = false;  // every seed is seeds[0]: the result's row is filled once
    // Per input: its adjoints are the first contributions its variables' ∂f/∂x_i get, so they are
    // stored into ∇f (0 + v: the bits of adding to a cleared entry) instead of added (plan_gradient_writes).
    std::vector<char> stores_first;
    // Inputs that read neighbours (x0, x2, … and x1, x3, …: both step 2, the second starting one
    // after the first) move together, one pass over the variables for both (sum_form_rows.hpp):
    // partner[k] is the odd one's index for the even one k, −2 for the odd one, −1 for the rest.
    std::vector<std::int32_t> partner;

    int first_temporary() const { return inputs + static_cast<int>(constants.size()); }
    int slot_count() const { return first_temporary() + static_cast<int>(code.size()); }
  };

  double evaluate(const double* x, double* g) const;
  // Sets s.flow and s.cleared_rows (see Shape).
  static void plan_adjoint_flow(Shape& s);
  // Sets every shape's stores_first and clears_gradient_.
  void plan_gradient_writes();
  // Reorders the spine by height (see the definition); returns the result's new position.
  static std::int32_t order_by_height(std::vector<Instruction>& spine, std::int32_t leaf_count, std::int32_t result);
  enum Flow : std::uint8_t { add_in = 0, store_first = 1, skip = 2 };
  // Operations the reverse pass runs in packs (the others go through Program::adjoint_step).
  static bool vectorized(Op op) {
    return op == Op::add || op == Op::sub || op == Op::mul || op == Op::square || op == Op::sqdiff ||
           op == Op::muladd;
  }
  // The lane programs, at the build's width or in their AVX2 copy (core/simd_avx2_copy.hpp).
  static void forward(const Shape& s, double* lanes, int count);
  static void backward(const Shape& s, const double* lanes, double* adjoints, int count);
  template <class P>
  static void forward_lanes(const Shape& s, double* lanes, int count);
  template <class P>
  static void backward_lanes(const Shape& s, const double* lanes, double* adjoints, int count);
#if KOBAI_AVX2_COPY
  static void forward_avx2(const Shape& s, double* lanes, int count);
  static void backward_avx2(const Shape& s, const double* lanes, double* adjoints, int count);
#endif
  // Sets s.partner (see Shape).
  static void plan_pairs(Shape& s);

  int dimension_ = 0;
  // ∇f is cleared before the shapes add into it, unless each variable's first contribution is
  // stored (Shape::stores_first): at n = 10⁴ the clearing was ~5% of an evaluation.
  bool clears_gradient_ = true;
  std::size_t leaf_count_ = 0;
  std::vector<Shape> shapes_;
  // The spine: instructions (add, sub, neg) over values [leaves | spine results], ordered by height
  // (order_by_height).
  std::vector<Instruction> spine_;
  SpineSums spine_sums_;  // the same, when all are additions (sum_form_spine.hpp)
  std::int32_t result_ = 0;
};

namespace sum_form_detail {

template <class T>
std::vector<T>& scratch(int which) {
  thread_local std::vector<T> buffers[3];
  return buffers[which];
}

inline bool is_spine_op(Op op) { return op == Op::add || op == Op::sub || op == Op::neg; }

}  // namespace sum_form_detail

inline std::shared_ptr<const SumForm> SumForm::analyse(const Program& p) {
  const std::int32_t base = p.first_temporary();
  const auto m = static_cast<std::int32_t>(p.code.size());
  auto is_temporary = [&](std::int32_t slot) { return slot >= base; };
  auto operands = [](const Instruction& c) { return c.op == Op::muladd ? 3 : arity(c.op); };
  auto operand = [](const Instruction& c, int k) { return k == 0 ? c.a : k == 1 ? c.b : c.c; };

  // Uses of each temporary: terms must be trees hanging off the spine, sharing no temporary.
  std::vector<std::int32_t> uses(static_cast<std::size_t>(m), 0);
  for (const Instruction& c : p.code)
    for (int k = 0; k < operands(c); ++k)
      if (is_temporary(operand(c, k))) ++uses[static_cast<std::size_t>(operand(c, k) - base)];
  if (!is_temporary(p.result)) return nullptr;

  // The spine: from the result through add/sub/neg instructions used once.
  std::vector<char> in_spine(static_cast<std::size_t>(m), 0);
  std::vector<std::int32_t> stack{p.result};
  while (!stack.empty()) {
    const std::int32_t slot = stack.back();
    stack.pop_back();
    const std::int32_t j = slot - base;
    const Instruction& c = p.code[static_cast<std::size_t>(j)];
    if (!sum_form_detail::is_spine_op(c.op) || (slot != p.result && uses[static_cast<std::size_t>(j)] != 1))
      continue;
    in_spine[static_cast<std::size_t>(j)] = 1;
    for (int k = 0; k < operands(c); ++k)
      if (is_temporary(operand(c, k))) stack.push_back(operand(c, k));
  }
  if (!in_spine[static_cast<std::size_t>(p.result - base)]) return nullptr;

  // Leaves: the spine's operands that are not spine instructions, numbered in program order.
  auto form = std::make_shared<SumForm>();
  form->dimension_ = p.dimension;
  std::vector<std::int32_t> spine_index(static_cast<std::size_t>(m), -1);  // program instruction → spine position
  struct Leaf {
    std::int32_t slot;
  };
  std::vector<Leaf> leaves;
  std::vector<std::int32_t> spine_program;  // program indices of the spine, in order
  for (std::int32_t j = 0; j < m; ++j)
    if (in_spine[static_cast<std::size_t>(j)]) {
      spine_index[static_cast<std::size_t>(j)] = static_cast<std::int32_t>(spine_program.size());
      spine_program.push_back(j);
    }
  std::vector<Instruction> spine;  // operands: leaf number, or −1 − spine position (fixed below)
  for (std::int32_t j : spine_program) {
    Instruction c = p.code[static_cast<std::size_t>(j)];
    auto place = [&](std::int32_t slot) -> std::int32_t {
      if (is_temporary(slot) && in_spine[static_cast<std::size_t>(slot - base)])
        return -1 - spine_index[static_cast<std::size_t>(slot - base)];
      leaves.push_back(Leaf{slot});
      return static_cast<std::int32_t>(leaves.size() - 1);
    };
    c.a = place(c.a);
    c.b = arity(c.op) >= 2 ? place(c.b) : c.a;
    c.c = c.a;
    spine.push_back(c);
  }
  if (leaves.size() < min_terms) return nullptr;
  const auto leaf_count = static_cast<std::int32_t>(leaves.size());
  for (Instruction& c : spine) {
    auto fix = [&](std::int32_t r) { return r < 0 ? leaf_count + (-1 - r) : r; };
    c.a = fix(c.a);
    c.b = fix(c.b);
    c.c = fix(c.c);
  }
  form->leaf_count_ = leaves.size();
  form->result_ = leaf_count + spine_index[static_cast<std::size_t>(p.result - base)];

  // Each leaf's adjoint: the spine's reverse sweep from ∂f/∂f = 1 (±1 on a tree of ±).
  std::vector<double> value_adjoint(leaves.size() + spine.size(), 0.0);
  value_adjoint[static_cast<std::size_t>(form->result_)] = 1;
  for (std::size_t s = spine.size(); s-- > 0;) {
    const Instruction& c = spine[s];
    const double w = value_adjoint[leaves.size() + s];
    double unused = 0;
    Program::adjoint_step(c.op, 0.0, 0.0, 0.0, w, value_adjoint[static_cast<std::size_t>(c.a)],
                          arity(c.op) >= 2 ? value_adjoint[static_cast<std::size_t>(c.b)] : unused, unused);
  }

  // Terms: the instructions under each leaf, in program order, as a local program; grouped by shape.
  std::vector<std::int32_t> owner(static_cast<std::size_t>(m), -1);
  std::map<std::vector<std::int64_t>, std::size_t> shape_of;  // shape key → index in shapes_
  std::vector<std::int32_t> term_code;
  std::vector<std::int32_t> local(static_cast<std::size_t>(p.slot_count()), -1);
  std::vector<std::int32_t> touched;
  std::vector<std::int32_t> inputs;
  std::vector<double> constants;
  std::vector<std::int64_t> key;
  std::vector<Instruction> code;
  for (std::int32_t leaf = 0; leaf < leaf_count; ++leaf) {
    const std::int32_t root = leaves[static_cast<std::size_t>(leaf)].slot;
    term_code.clear();
    if (is_temporary(root)) {
      stack.assign(1, root);
      while (!stack.empty()) {
        const std::int32_t j = stack.back() - base;
        stack.pop_back();
        if (owner[static_cast<std::size_t>(j)] != -1 || in_spine[static_cast<std::size_t>(j)]) return nullptr;
        owner[static_cast<std::size_t>(j)] = leaf;
        term_code.push_back(j);
        const Instruction& c = p.code[static_cast<std::size_t>(j)];
        for (int k = 0; k < operands(c); ++k) {
          const std::int32_t slot = operand(c, k);
          if (!is_temporary(slot)) continue;
          if (uses[static_cast<std::size_t>(slot - base)] != 1) return nullptr;  // shared
          stack.push_back(slot);
        }
      }
      std::sort(term_code.begin(), term_code.end());
    }
    // Local numbering: inputs and constants in order of first use, then the temporaries.
    inputs.clear();
    constants.clear();
    for (std::int32_t slot : touched) local[static_cast<std::size_t>(slot)] = -1;
    touched.clear();
    auto see = [&](std::int32_t slot) {
      if (is_temporary(slot) || local[static_cast<std::size_t>(slot)] != -1) return;
      touched.push_back(slot);
      if (slot < p.dimension) {
        local[static_cast<std::size_t>(slot)] = static_cast<std::int32_t>(inputs.size());
        inputs.push_back(slot);
      } else {
        local[static_cast<std::size_t>(slot)] = -2 - static_cast<std::int32_t>(constants.size());
        constants.push_back(p.constants[static_cast<std::size_t>(slot - p.dimension)]);
      }
    };
    if (!is_temporary(root)) see(root);
    for (std::int32_t j : term_code) {
      const Instruction& c = p.code[static_cast<std::size_t>(j)];
      for (int k = 0; k < operands(c); ++k) see(operand(c, k));
    }
    const auto n_inputs = static_cast<std::int32_t>(inputs.size());
    const auto first_temporary = n_inputs + static_cast<std::int32_t>(constants.size());
    for (std::size_t t = 0; t < term_code.size(); ++t)
      local[static_cast<std::size_t>(base + term_code[t])] = first_temporary + static_cast<std::int32_t>(t);
    auto local_slot = [&](std::int32_t slot) {
      const std::int32_t l = local[static_cast<std::size_t>(slot)];
      return l <= -2 ? n_inputs + (-2 - l) : l;
    };
    // The term's local program, and its shape's key: input count, constants (bits), code, result.
    code.clear();
    for (std::int32_t j : term_code) {
      const Instruction& c = p.code[static_cast<std::size_t>(j)];
      const std::int32_t a = local_slot(c.a);
      const int k = operands(c);
      code.push_back(Instruction{c.op, a, k >= 2 ? local_slot(c.b) : a, k >= 3 ? local_slot(c.c) : a});
    }
    const std::int32_t result = local_slot(root);
    for (std::int32_t j : term_code) local[static_cast<std::size_t>(base + j)] = -1;
    key.clear();
    key.push_back(n_inputs);
    key.push_back(static_cast<std::int64_t>(constants.size()));
    for (double v : constants) {
      std::int64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      key.push_back(bits);
    }
    for (const Instruction& c : code) {
      key.push_back(static_cast<std::int64_t>(c.op));
      key.push_back(c.a);
      key.push_back(c.b);
      key.push_back(c.c);
    }
    key.push_back(result);

    auto [it, inserted] = shape_of.try_emplace(key, form->shapes_.size());
    if (inserted) {
      Shape s;
      s.inputs = n_inputs;
      s.constants = constants;
      s.code = code;
      s.result = result;
      form->shapes_.push_back(std::move(s));
    }
    Shape& s = form->shapes_[it->second];
    // Term-major for now; made input-major below.
    s.variables.insert(s.variables.end(), inputs.begin(), inputs.end());
    s.leaves.push_back(leaf);
    s.seeds.push_back(value_adjoint[static_cast<std::size_t>(leaf)]);
    ++s.terms;
  }
  // Many shapes of one or two terms each: the lanes would stay empty; the program is faster.
  if (form->shapes_.size() * 4 > leaves.size()) return nullptr;
  for (Shape& s : form->shapes_) {
    std::vector<std::int32_t> by_input(s.variables.size());
    for (std::size_t t = 0; t < s.terms; ++t)
      for (int k = 0; k < s.inputs; ++k)
        by_input[static_cast<std::size_t>(k) * s.terms + t] = s.variables[t * static_cast<std::size_t>(s.inputs) + static_cast<std::size_t>(k)];
    s.variables = std::move(by_input);
    for (int k = 0; k < s.inputs; ++k) {
      const std::int32_t* v = s.variables.data() + static_cast<std::size_t>(k) * s.terms;
      const std::int32_t step = s.terms > 1 ? v[1] - v[0] : 0;
      bool strided = true;
      for (std::size_t t = 0; t < s.terms && strided; ++t)
        strided = static_cast<std::int64_t>(v[t]) == v[0] + static_cast<std::int64_t>(step) * static_cast<std::int64_t>(t);
      s.strided.push_back(strided ? 1 : 0);
      s.first.push_back(v[0]);
      s.step.push_back(step);
    }
    s.contiguous_leaves = true;
    for (std::size_t t = 0; t < s.terms; ++t)
      s.contiguous_leaves = s.contiguous_leaves && s.leaves[t] == s.leaves[0] + static_cast<std::int32_t>(t);
    s.uniform_seeds = std::all_of(s.seeds.begin(), s.seeds.end(), [&](double v) { return v == s.seeds[0]; });
    plan_adjoint_flow(s);
  }
  form->plan_gradient_writes();
  for (Shape& s : form->shapes_) plan_pairs(s);
  form->result_ = order_by_height(spine, leaf_count, form->result_);
  if (std::all_of(spine.begin(), spine.end(), [](const Instruction& c) { return c.op == Op::add; })) {
    std::vector<std::int32_t> left, right;
    for (const Instruction& c : spine) {
      left.push_back(c.a);
      right.push_back(c.b);
    }
    form->spine_sums_ = SpineSums(std::move(left), std::move(right), leaf_count);
  }
  form->spine_ = std::move(spine);
  return form;
}

inline void SumForm::plan_adjoint_flow(Shape& s) {
  const auto slots = static_cast<std::size_t>(s.slot_count());
  std::vector<char> written(slots, 0);
  s.flow.assign(3 * s.code.size(), add_in);
  s.cleared_rows.clear();
  auto is_constant = [&](std::int32_t slot) { return slot >= s.inputs && slot < s.first_temporary(); };
  for (std::size_t j = s.code.size(); j-- > 0;) {
    const Instruction& c = s.code[j];
    // The operands adjoint_step writes, in its order (a unary operation writes only a's row).
    const int operands = c.op == Op::muladd ? 3 : arity(c.op);
    for (int k = 0; k < operands; ++k) {
      const std::int32_t slot = k == 0 ? c.a : k == 1 ? c.b : c.c;
      char& seen = written[static_cast<std::size_t>(slot)];
      if (is_constant(slot)) {
        s.flow[3 * j + static_cast<std::size_t>(k)] = vectorized(c.op) ? skip : add_in;
      } else if (vectorized(c.op)) {
        s.flow[3 * j + static_cast<std::size_t>(k)] = seen ? add_in : store_first;
        seen = 1;
      } else {
        if (!seen) s.cleared_rows.push_back(slot);
        seen = 1;
      }
    }
  }
}

// The spine in program order is a tree walked depth first: most additions need the one just
// before them, so each waited for the last one's store and add (~3 cycles each, a quarter of
// a 10⁴-variable evaluation). Ordered by height (leaves 0, an instruction one more than its
// highest operand; stable within a height), the instructions of one height are independent and
// overlap. Each adds the same operands as before: the same bits. Operands and the result are
// renumbered to the new positions; returns the result's.
inline std::int32_t SumForm::order_by_height(std::vector<Instruction>& spine, std::int32_t leaf_count,
                                             std::int32_t result) {
  const std::size_t count = spine.size();
  std::vector<std::int32_t> height(count, 0);
  auto height_of = [&](std::int32_t r) { return r < leaf_count ? 0 : height[static_cast<std::size_t>(r - leaf_count)]; };
  for (std::size_t j = 0; j < count; ++j)  // operands come before their uses
    height[j] = 1 + std::max(height_of(spine[j].a), height_of(spine[j].b));
  std::vector<std::int32_t> order(count);
  for (std::size_t j = 0; j < count; ++j) order[j] = static_cast<std::int32_t>(j);
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t p, std::int32_t q) {
    return height[static_cast<std::size_t>(p)] < height[static_cast<std::size_t>(q)];
  });
  std::vector<std::int32_t> position(count);
  for (std::size_t k = 0; k < count; ++k) position[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
  auto renumber = [&](std::int32_t r) {
    return r < leaf_count ? r : leaf_count + position[static_cast<std::size_t>(r - leaf_count)];
  };
  std::vector<Instruction> ordered;
  ordered.reserve(count);
  for (std::int32_t j : order) {
    Instruction c = spine[static_cast<std::size_t>(j)];
    c.a = renumber(c.a);
    c.b = renumber(c.b);
    c.c = renumber(c.c);
    ordered.push_back(c);
  }
  spine = std::move(ordered);
  return renumber(result);
}

// An input may store its adjoints into ∇f when it is the first to write each of its variables,
// in the order evaluate() writes: shape by shape, and within a shape block by block, input by
// input. So it must own its variables — read no variable twice, none an earlier shape reads, none
// another input of its shape reads (their blocks interleave) — and when every variable of f is
// owned by such an input, ∇f needs no clearing. Otherwise everything adds into a cleared ∇f.
inline void SumForm::plan_gradient_writes() {
  const auto n = static_cast<std::size_t>(dimension_);
  std::vector<std::int32_t> owner(n, -1);  // the first input (numbered over all shapes) to read x_i
  std::vector<std::int32_t> shape_of_input;
  std::vector<char> owns;                  // still a candidate
  for (std::size_t si = 0; si < shapes_.size(); ++si) {
    const Shape& s = shapes_[si];
    for (int k = 0; k < s.inputs; ++k) {
      const auto id = static_cast<std::int32_t>(owns.size());
      owns.push_back(1);
      shape_of_input.push_back(static_cast<std::int32_t>(si));
      const std::int32_t* v = s.variables.data() + static_cast<std::size_t>(k) * s.terms;
      for (std::size_t t = 0; t < s.terms; ++t) {
        std::int32_t& o = owner[static_cast<std::size_t>(v[t])];
        if (o == -1) {
          o = id;
        } else if (o == id) {  // read twice
          owns[static_cast<std::size_t>(id)] = 0;
        } else {
          owns[static_cast<std::size_t>(id)] = 0;  // an earlier input wrote it first
          if (shape_of_input[static_cast<std::size_t>(o)] == static_cast<std::int32_t>(si))
            owns[static_cast<std::size_t>(o)] = 0;
        }
      }
    }
  }
  clears_gradient_ = !std::all_of(owner.begin(), owner.end(),
                                  [&](std::int32_t o) { return o != -1 && owns[static_cast<std::size_t>(o)]; });
  std::size_t id = 0;
  for (Shape& s : shapes_) {
    s.stores_first.assign(static_cast<std::size_t>(s.inputs), 0);
    for (int k = 0; k < s.inputs; ++k, ++id)
      s.stores_first[static_cast<std::size_t>(k)] = !clears_gradient_ && owns[id];
  }
}

// Pairs are planned after stores_first: the two of a pair write ∇f alike (both store or both add).
inline void SumForm::plan_pairs(Shape& s) {
  s.partner.assign(static_cast<std::size_t>(s.inputs), -1);
  for (int k = 0; k < s.inputs; ++k) {
    const auto ku = static_cast<std::size_t>(k);
    if (!s.strided[ku] || s.step[ku] != 2 || s.partner[ku] != -1) continue;
    for (int j = 0; j < s.inputs; ++j) {
      const auto ju = static_cast<std::size_t>(j);
      if (j != k && s.strided[ju] && s.step[ju] == 2 && s.partner[ju] == -1 && s.first[ju] == s.first[ku] + 1 &&
          s.stores_first[ju] == s.stores_first[ku]) {
        s.partner[ku] = j;
        s.partner[ju] = -2;
        break;
      }
    }
  }
}

// The forward pass of one block: lanes holds slot_count() rows of `block` values, the inputs and
// constants filled in; each instruction fills its row. Same arithmetic as Program::run.
template <class P>
KOBAI_SIMD_INLINE void SumForm::forward_lanes(const Shape& s, double* lanes, int count) {
  KOBAI_KERNEL_BODY
  const auto n = static_cast<std::size_t>(count);
  double* out = lanes + static_cast<std::size_t>(s.first_temporary()) * block;
  for (const Instruction& c : s.code) {
    const double* a = lanes + static_cast<std::size_t>(c.a) * block;
    const double* b = lanes + static_cast<std::size_t>(c.b) * block;
    const double* d = lanes + static_cast<std::size_t>(c.c) * block;
    switch (c.op) {
      case Op::add:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          simd::store_lanes(out + i, simd::load_lanes<V>(a + i) + simd::load_lanes<V>(b + i));
        });
        break;
      case Op::sub:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          simd::store_lanes(out + i, simd::load_lanes<V>(a + i) - simd::load_lanes<V>(b + i));
        });
        break;
      case Op::mul:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          simd::store_lanes(out + i, simd::load_lanes<V>(a + i) * simd::load_lanes<V>(b + i));
        });
        break;
      case Op::square:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          const V v = simd::load_lanes<V>(a + i);
          simd::store_lanes(out + i, v * v);
        });
        break;
      case Op::sqdiff:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          const V v = simd::load_lanes<V>(a + i) - simd::load_lanes<V>(b + i);
          simd::store_lanes(out + i, v * v);
        });
        break;
      case Op::muladd:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          simd::store_lanes(out + i, simd::load_lanes<V>(a + i) * simd::load_lanes<V>(b + i) + simd::load_lanes<V>(d + i));
        });
        break;
      default:
        for (std::size_t i = 0; i < n; ++i) out[i] = apply(c.op, a[i], b[i]);
        break;
    }
    out += block;
  }
}

// The reverse pass of one block: adjoints has a row per slot, zero except the result's row
// (the seeds). Instructions from last to first, with Program::adjoint_step's arithmetic.
template <class P>
KOBAI_SIMD_INLINE void SumForm::backward_lanes(const Shape& s, const double* lanes, double* adjoints, int count) {
  KOBAI_KERNEL_BODY
  const auto n = static_cast<std::size_t>(count);
  const auto first = static_cast<std::size_t>(s.first_temporary());
  // row[i] (+)= v or (−)= v by the operand's flow; rows may coincide (x·x): each is loaded after
  // the previous one's store.
  auto add = [](double* row, std::size_t i, std::uint8_t flow, const auto& v) {
    using V = std::remove_cvref_t<decltype(v)>;
    if (flow == store_first) simd::store_lanes(row + i, V(0.0 + v));
    else if (flow == add_in) simd::store_lanes(row + i, V(simd::load_lanes<V>(row + i) + v));
  };
  auto subtract = [](double* row, std::size_t i, std::uint8_t flow, const auto& v) {
    using V = std::remove_cvref_t<decltype(v)>;
    if (flow == store_first) simd::store_lanes(row + i, V(0.0 - v));
    else if (flow == add_in) simd::store_lanes(row + i, V(simd::load_lanes<V>(row + i) - v));
  };
  for (std::size_t j = s.code.size(); j-- > 0;) {
    const Instruction& c = s.code[j];
    const std::uint8_t fa = s.flow[3 * j], fb = s.flow[3 * j + 1], fc = s.flow[3 * j + 2];
    const double* w = adjoints + (first + j) * block;
    const double* r = lanes + (first + j) * block;
    const double* a = lanes + static_cast<std::size_t>(c.a) * block;
    const double* b = lanes + static_cast<std::size_t>(c.b) * block;
    double* da = adjoints + static_cast<std::size_t>(c.a) * block;
    double* db = adjoints + static_cast<std::size_t>(c.b) * block;
    double* dc = adjoints + static_cast<std::size_t>(c.c) * block;
    switch (c.op) {
      case Op::add:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          const V v = simd::load_lanes<V>(w + i);
          add(da, i, fa, v);
          add(db, i, fb, v);
        });
        break;
      case Op::sub:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          const V v = simd::load_lanes<V>(w + i);
          add(da, i, fa, v);
          subtract(db, i, fb, v);
        });
        break;
      case Op::mul:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          const V v = simd::load_lanes<V>(w + i);
          if (fa != skip) add(da, i, fa, V(v * simd::load_lanes<V>(b + i)));
          if (fb != skip) add(db, i, fb, V(v * simd::load_lanes<V>(a + i)));
        });
        break;
      case Op::square:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          add(da, i, fa, V(2.0 * simd::load_lanes<V>(a + i) * simd::load_lanes<V>(w + i)));
        });
        break;
      case Op::sqdiff:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          const V g = 2.0 * (simd::load_lanes<V>(a + i) - simd::load_lanes<V>(b + i)) * simd::load_lanes<V>(w + i);
          add(da, i, fa, g);
          subtract(db, i, fb, g);
        });
        break;
      case Op::muladd:
        simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
          const V v = simd::load_lanes<V>(w + i);
          if (fa != skip) add(da, i, fa, V(v * simd::load_lanes<V>(b + i)));
          if (fb != skip) add(db, i, fb, V(v * simd::load_lanes<V>(a + i)));
          add(dc, i, fc, v);
        });
        break;
      default:
        for (std::size_t i = 0; i < n; ++i) Program::adjoint_step(c.op, a[i], b[i], r[i], w[i], da[i], db[i], dc[i]);
        break;
    }
  }
}

// No FMA contraction in either copy (KOBAI_KERNEL; target "avx2" has none): Program's roundings.
KOBAI_KERNEL inline void SumForm::forward(const Shape& s, double* lanes, int count) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return forward_avx2(s, lanes, count);
#endif
  forward_lanes<simd::Pack<double>>(s, lanes, count);
}

KOBAI_KERNEL inline void SumForm::backward(const Shape& s, const double* lanes, double* adjoints, int count) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return backward_avx2(s, lanes, adjoints, count);
#endif
  backward_lanes<simd::Pack<double>>(s, lanes, adjoints, count);
}

#if KOBAI_AVX2_COPY
__attribute__((target("avx2"))) inline void SumForm::forward_avx2(const Shape& s, double* lanes, int count) {
  forward_lanes<simd::Avx2Pack>(s, lanes, count);
}
__attribute__((target("avx2"))) inline void SumForm::backward_avx2(const Shape& s, const double* lanes,
                                                                   double* adjoints, int count) {
  backward_lanes<simd::Avx2Pack>(s, lanes, adjoints, count);
}
#endif

inline double SumForm::evaluate(const double* x, double* g) const {
  std::vector<double>& values = sum_form_detail::scratch<double>(0);
  std::vector<double>& lanes = sum_form_detail::scratch<double>(1);
  std::vector<double>& adjoints = sum_form_detail::scratch<double>(2);
  values.resize(leaf_count_ + spine_.size());
  if (g && clears_gradient_) std::fill(g, g + dimension_, 0.0);
  for (const Shape& s : shapes_) {
    const auto rows = static_cast<std::size_t>(s.slot_count()) * block;
    if (lanes.size() < rows) lanes.resize(rows);
    if (g && adjoints.size() < rows) adjoints.resize(rows);
    double* v = lanes.data();
    for (std::size_t k = 0; k < s.constants.size(); ++k)
      std::fill_n(v + (static_cast<std::size_t>(s.inputs) + k) * block, block, s.constants[k]);
    const double* result = v + static_cast<std::size_t>(s.result) * block;
    if (g) {  // the constants' rows, never reset per block: kept finite and small from zero
      std::fill_n(adjoints.data() + static_cast<std::size_t>(s.inputs) * block, s.constants.size() * block, 0.0);
      if (s.uniform_seeds && s.terms > 0)  // nothing else writes the result's row
        std::fill_n(adjoints.data() + static_cast<std::size_t>(s.result) * block, block, s.seeds[0]);
    }
    for (std::size_t t0 = 0; t0 < s.terms; t0 += block) {
      const int count = static_cast<int>(std::min<std::size_t>(block, s.terms - t0));
      for (int k = 0; k < s.inputs; ++k) {
        double* row = v + static_cast<std::size_t>(k) * block;
        const std::int32_t partner = s.partner[static_cast<std::size_t>(k)];
        if (partner == -2) continue;  // moved with its partner
        if (partner >= 0) {
          sum_form_rows::gather_pair(row, v + static_cast<std::size_t>(partner) * block,
                                     x + s.first[static_cast<std::size_t>(k)] + 2 * static_cast<std::ptrdiff_t>(t0),
                                     count);
        } else if (s.strided[static_cast<std::size_t>(k)]) {
          const std::ptrdiff_t step = s.step[static_cast<std::size_t>(k)];
          sum_form_rows::gather(row, x + s.first[static_cast<std::size_t>(k)] + step * static_cast<std::ptrdiff_t>(t0),
                                step, count);
        } else {
          const std::int32_t* var = s.variables.data() + static_cast<std::size_t>(k) * s.terms + t0;
          for (int i = 0; i < count; ++i) row[i] = x[var[i]];
        }
      }
      forward(s, v, count);
      if (s.contiguous_leaves) {
        std::copy_n(result, count, values.data() + static_cast<std::size_t>(s.leaves[0]) + t0);
      } else {
        for (int i = 0; i < count; ++i) values[static_cast<std::size_t>(s.leaves[t0 + static_cast<std::size_t>(i)])] = result[i];
      }
      if (!g) continue;
      // Every row the reverse pass reads gets its first contribution stored (Shape::flow), except
      // those cleared here; the result's row holds the seeds.
      double* w = adjoints.data();
      for (std::int32_t row : s.cleared_rows) std::fill_n(w + static_cast<std::size_t>(row) * block, block, 0.0);
      if (!s.uniform_seeds) std::copy_n(s.seeds.data() + t0, count, w + static_cast<std::size_t>(s.result) * block);
      backward(s, v, w, count);
      for (int k = 0; k < s.inputs; ++k) {
        const double* row = w + static_cast<std::size_t>(k) * block;
        const bool store = s.stores_first[static_cast<std::size_t>(k)];
        const std::int32_t partner = s.partner[static_cast<std::size_t>(k)];
        if (partner == -2) continue;  // moved with its partner
        if (partner >= 0) {
          sum_form_rows::scatter_pair(g + s.first[static_cast<std::size_t>(k)] + 2 * static_cast<std::ptrdiff_t>(t0), row,
                                      w + static_cast<std::size_t>(partner) * block, count, store);
        } else if (s.strided[static_cast<std::size_t>(k)]) {
          const std::ptrdiff_t step = s.step[static_cast<std::size_t>(k)];
          sum_form_rows::scatter_add(g + s.first[static_cast<std::size_t>(k)] + step * static_cast<std::ptrdiff_t>(t0),
                                     row, step, count, store);
        } else {
          const std::int32_t* var = s.variables.data() + static_cast<std::size_t>(k) * s.terms + t0;
          if (store)
            for (int i = 0; i < count; ++i) g[var[i]] = 0.0 + row[i];
          else
            for (int i = 0; i < count; ++i) g[var[i]] += row[i];
        }
      }
    }
  }
  // The spine, as the program adds it up.
  double* out = values.data() + leaf_count_;
  if (!spine_sums_.empty()) {  // only additions (the usual case): no operation to test
    spine_sums_.run(values.data());
    return values[static_cast<std::size_t>(result_)];
  }
  for (const Instruction& c : spine_) {
    *out++ = c.op == Op::add   ? values[static_cast<std::size_t>(c.a)] + values[static_cast<std::size_t>(c.b)]
             : c.op == Op::sub ? values[static_cast<std::size_t>(c.a)] - values[static_cast<std::size_t>(c.b)]
                               : -values[static_cast<std::size_t>(c.a)];
  }
  return values[static_cast<std::size_t>(result_)];
}

}  // namespace kobai::expr

KOBAI_AVX2_COPY_END
