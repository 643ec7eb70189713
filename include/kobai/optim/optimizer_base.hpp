// kobai/optim/optimizer_base.hpp — the plumbing every first-order optimizer shares.
//
// Options validated at construction, lr()/set_lr(), the step count, the state arrays by
// torch.optim's names (allocated on the first step, cleared by reset(), saved and restored by
// state()/load_state(), optim/state.hpp), and the step's coefficients kept while they do not
// change. Written once here, so that an optimizer's own file is its options, its formulas and its
// kernel (as Optax's scale_by_adam is one screen).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/state.hpp"

namespace kobai {

// Which of an optimizer's state arrays its options keep, and the value each starts at
// (std::nullopt: not kept with these options, e.g. Adam's max_exp_avg_sq without amsgrad).
template <std::size_t N>
using BufferStarts = std::array<std::optional<double>, N>;

// CRTP: an optimizer derives from OptimizerBase<itself, T, its Options, number of state arrays>
// and declares its state's names, its formulas and its kernel:
//
//   class Adam : public OptimizerBase<Adam<T>, T, AdamOptions, 3> {
//    public:
//     static constexpr std::array<std::string_view, 3> buffer_names{"exp_avg", …};  // torch's names
//     static BufferStarts<3> buffer_starts(const AdamOptions&);   // kept with these options, start
//    private:
//     friend OptimizerBase<…>;
//     bool compute_coefficients();   // the step's scalars at t = steps(); true: the same for every
//                                    // later step until set_lr (they are then not recomputed)
//     void apply(std::size_t n, T* p, const T* g);   // the kernel over buffer(k), split in threads
//   };
//
// Extra scalar state (NAdam's running product): kScalars > 0 and
//   static constexpr std::array<std::string_view, kScalars> scalar_names; static constexpr
//   std::array<double, kScalars> scalar_starts;   the optimizer reads and writes scalar(k).
// compute_coefficients() runs once per step for as long as it returns false, so it may advance
// such a scalar.
template <class Derived, class T, class OptionsT, std::size_t kBuffers, std::size_t kScalars = 0>
class OptimizerBase {
 public:
  using Scalar = T;
  using Options = OptionsT;

  explicit OptimizerBase(Options options) : options_(options) {
    options_.validate();
    reset_scalars();
  }

  void step(std::span<T> params, std::span<const T> grads) {
    const std::size_t n = params.size();
    // Two compares on the usual step; the first step (or a wrong size) goes out of line.
    if (n != size_ || grads.size() != n) [[unlikely]] first_step(n, grads.size());
    ++steps_;
    if (!settled_) [[unlikely]] settle();
    self().apply(n, params.data(), grads.data());
  }
  // Step an Eigen vector in place.
  void step(VectorX<T>& params, const VectorX<T>& grads) { step(as_span(params), as_span(grads)); }

  // Back to the just-constructed state (the options, and lr, stay as they are).
  void reset() {
    steps_ = 0;
    size_ = kUnsized;
    settled_ = false;
    for (std::vector<T>& b : buffers_) b.clear();
    reset_scalars();
  }

  double lr() const { return options_.lr; }
  void set_lr(double lr) {
    validate::positive("lr", lr);
    options_.lr = lr;
    settled_ = false;
  }
  const Options& options() const { return options_; }

  // Number of steps taken since construction, the last reset(), or as loaded by load_state().
  std::int64_t steps() const { return steps_; }

  // The names of the state these options keep, as torch.optim's state_dict() has them (besides
  // "step", which every kobai optimizer counts and torch.optim.SGD does not): buffers, then scalars.
  std::vector<std::string> state_names() const {
    std::vector<std::string> names;
    const BufferStarts<kBuffers> starts = Derived::buffer_starts(options_);
    for (std::size_t k = 0; k < kBuffers; ++k)
      if (starts[k]) names.emplace_back(Derived::buffer_names[k]);
    if constexpr (kScalars > 0)
      for (std::string_view name : Derived::scalar_names) names.emplace_back(name);
    return names;
  }

  // The state by name: step 0 and nothing else before the first step.
  OptimizerState<T> state() const {
    OptimizerState<T> out;
    out.step = steps_;
    if (steps_ == 0) return out;
    const BufferStarts<kBuffers> starts = Derived::buffer_starts(options_);
    for (std::size_t k = 0; k < kBuffers; ++k)
      if (starts[k] && size_ != kUnsized) out.buffers.emplace(Derived::buffer_names[k], buffers_[k]);
    if constexpr (kScalars > 0)
      for (std::size_t k = 0; k < kScalars; ++k) out.scalars.emplace(Derived::scalar_names[k], scalars_[k]);
    return out;
  }

  // Continue from a saved state: the next step is step s.step + 1 and, given the same gradients,
  // computes the same bits as the optimizer that saved it would have. Checks the whole state first
  // (throws InvalidArgument naming the bad entry and leaves this optimizer unchanged): step ≥ 0;
  // with step 0, nothing else; otherwise every buffer these options keep, all of one size, every
  // scalar, finite, and no name these options do not keep.
  void load_state(const OptimizerState<T>& s) {
    const std::size_t size = checked_size(s);
    reset();
    steps_ = s.step;
    if (s.step == 0) return;
    const BufferStarts<kBuffers> starts = Derived::buffer_starts(options_);
    for (std::size_t k = 0; k < kBuffers; ++k)
      if (starts[k]) buffers_[k] = s.buffers.find(Derived::buffer_names[k])->second;
    if (size != kUnsized) size_ = size;  // an optimizer that keeps no arrays learns it on its next step
    if constexpr (kScalars > 0)
      for (std::size_t k = 0; k < kScalars; ++k) scalars_[k] = s.scalars.find(Derived::scalar_names[k])->second;
  }

 protected:
  T* buffer(std::size_t k) { return buffers_[k].data(); }
  double& scalar(std::size_t k) { return scalars_[k]; }

 private:
  static constexpr std::size_t kUnsized = std::numeric_limits<std::size_t>::max();

  Derived& self() { return static_cast<Derived&>(*this); }

  void reset_scalars() {
    if constexpr (kScalars > 0) scalars_ = Derived::scalar_starts;
  }

  // Out of line, like settle(), so that what is left of a step is small enough for the compiler to
  // inline into a descent loop.
  [[gnu::noinline]] void first_step(std::size_t params_size, std::size_t grads_size) {
    if (params_size != grads_size || size_ != kUnsized) throw_size_mismatch(params_size, grads_size);
    const BufferStarts<kBuffers> starts = Derived::buffer_starts(options_);
    for (std::size_t k = 0; k < kBuffers; ++k)
      if (starts[k]) buffers_[k].assign(params_size, static_cast<T>(*starts[k]));
    size_ = params_size;
  }

  [[gnu::noinline]] void settle() { settled_ = self().compute_coefficients(); }

  [[noreturn, gnu::cold, gnu::noinline]] void throw_size_mismatch(std::size_t params_size,
                                                                 std::size_t grads_size) const {
    if (params_size != grads_size)
      throw InvalidArgument("grads must have the size of params (" + std::to_string(params_size) +
                            "), got " + std::to_string(grads_size));
    throw InvalidArgument("params must keep the size of the first step (" + std::to_string(size_) +
                          "), got " + std::to_string(params_size) +
                          "; call reset() to optimize a different parameter vector");
  }

  // The parameter count the state's buffers give (kUnsized when it keeps none), or an error.
  std::size_t checked_size(const OptimizerState<T>& s) const {
    const auto fail = [](const std::string& what) -> void {
      throw InvalidArgument("optimizer state: " + what);
    };
    if (s.step < 0) fail("step must be >= 0, got " + std::to_string(s.step));
    const BufferStarts<kBuffers> starts = Derived::buffer_starts(options_);
    std::string kept;
    for (std::size_t k = 0; k < kBuffers; ++k)
      if (starts[k]) kept += (kept.empty() ? "" : ", ") + std::string(Derived::buffer_names[k]);
    for (const auto& [name, values] : s.buffers) {
      std::size_t k = 0;
      while (k < kBuffers && !(starts[k] && Derived::buffer_names[k] == name)) ++k;
      if (k == kBuffers)
        fail("unexpected buffer '" + name + "'; with these options the state has " +
             (kept.empty() ? std::string("no buffers") : "buffers " + kept));
      if (s.step == 0) fail("step is 0 but buffer '" + name + "' is given; before its first step an "
                            "optimizer has no buffers");
    }
    for (const auto& entry : s.scalars) {
      const std::string& name = entry.first;
      bool known = false;
      if constexpr (kScalars > 0)
        for (std::string_view n : Derived::scalar_names) known = known || n == name;
      if (!known) fail("unexpected scalar '" + name + "'");
      if (s.step == 0) fail("step is 0 but scalar '" + name + "' is given");
      if (!std::isfinite(entry.second))
        fail("scalar '" + name + "' must be finite, got " + validate::format_number(entry.second));
    }
    if (s.step == 0) return kUnsized;
    std::size_t size = kUnsized;
    std::string first;
    for (std::size_t k = 0; k < kBuffers; ++k) {
      if (!starts[k]) continue;
      const std::string name(Derived::buffer_names[k]);
      const auto it = s.buffers.find(name);
      if (it == s.buffers.end())
        fail("missing buffer '" + name + "' (step " + std::to_string(s.step) + " > 0)");
      if (size == kUnsized) {
        size = it->second.size();
        first = name;
      } else if (it->second.size() != size) {
        fail("buffer '" + name + "' has " + std::to_string(it->second.size()) + " elements, '" +
             first + "' has " + std::to_string(size));
      }
    }
    if constexpr (kScalars > 0)
      for (std::string_view name : Derived::scalar_names)
        if (s.scalars.find(name) == s.scalars.end())
          fail("missing scalar '" + std::string(name) + "' (step " + std::to_string(s.step) + " > 0)");
    return size;
  }

  Options options_;
  std::int64_t steps_ = 0;
  std::size_t size_ = kUnsized;  // the parameter count, once the first step (or a load) told it
  bool settled_ = false;         // the derived class's coefficients hold for this step
  std::array<std::vector<T>, kBuffers> buffers_{};
  std::array<double, kScalars> scalars_{};
};

}  // namespace kobai
