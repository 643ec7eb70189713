// Saving and restoring an optimizer's state (kobai/optim/state.hpp): a run that is stopped,
// saved with state(), loaded with load_state() into a fresh optimizer and continued must end with
// the same bits as the run that never stopped — for every optimizer and variant, in double and
// float, whatever step it is stopped at (also the steps where the bias corrections round to 1 and
// the kept coefficients take over), across set_lr and a schedule. Then the names (torch.optim's;
// tests/optimizer_state_names.py checks them against torch itself) and the errors of load_state.
//
// "Same bits" is checked with memcmp on the iterate and on every buffer and scalar of the final
// state: a state restored to the nearest value only, a coefficient cache that is stale or a step
// count off by one all show up as a difference within a few steps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/registry.hpp"
#include "kobai/optim/schedule.hpp"
#include "kobai/optim/state.hpp"
#include "kobai/problems/two_dimensional.hpp"

namespace {

template <class T>
using Params = std::vector<T>;

// Chained Rosenbrock Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²: curved, so the path depends on every bit of
// the state; 5 parameters leave a remainder after any vector width.
template <class T>
void gradient(const Params<T>& x, Params<T>& g) {
  for (T& gi : g) gi = 0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const T t = x[i + 1] - x[i] * x[i];
    g[i] += T(-400) * x[i] * t - T(2) * (T(1) - x[i]);
    g[i + 1] += T(200) * t;
  }
}

template <class T>
Params<T> start() {
  return {T(-1.2), T(1), T(-0.5), T(0.8), T(0.3)};
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

template <class T>
bool same_bits(const kobai::OptimizerState<T>& a, const kobai::OptimizerState<T>& b) {
  if (a.step != b.step || a.buffers.size() != b.buffers.size() || a.scalars.size() != b.scalars.size())
    return false;
  for (const auto& [name, values] : a.buffers) {
    const auto it = b.buffers.find(name);
    if (it == b.buffers.end() || !same_bits(values, it->second)) return false;
  }
  for (const auto& [name, value] : a.scalars) {
    const auto it = b.scalars.find(name);
    if (it == b.scalars.end() || std::memcmp(&value, &it->second, sizeof(double)) != 0) return false;
  }
  return true;
}

// Steps `o` from its current step count up to `until`; `before_step(o)` runs before each step
// (set_lr, a schedule).
template <class O, class T, class Hook>
void advance(O& o, Params<T>& x, std::int64_t until, Hook&& before_step) {
  Params<T> g(x.size());
  while (o.steps() < until) {
    before_step(o);
    gradient(x, g);
    o.step(std::span<T>(x), std::span<const T>(g));
  }
}

// Runs `total` steps without a stop, then for every stop k in `stops`: k steps, save, load into
// an optimizer, the remaining steps; the iterate and the final state must be the same bits.
template <class O, class Make, class Hook>
void expect_resumes_bit_for_bit(const std::string& what, Make make, std::int64_t total,
                                const std::vector<std::int64_t>& stops, Hook before_step) {
  using T = typename O::Scalar;
  O whole = make();
  Params<T> x_whole = start<T>();
  advance(whole, x_whole, total, before_step);
  for (const T v : x_whole) ASSERT_TRUE(std::isfinite(static_cast<double>(v))) << what << " diverged";
  const kobai::OptimizerState<T> final_state = whole.state();

  for (const std::int64_t k : stops) {
    O first = make();
    Params<T> x = start<T>();
    advance(first, x, k, before_step);
    const kobai::OptimizerState<T> saved = first.state();
    ASSERT_EQ(saved.step, k) << what;
    // Loaded into a fresh optimizer, or (odd stops) into one that has run on elsewhere: its
    // coefficients settled, its bias corrections saturated — none of which may leak into the run.
    O resumed = make();
    if (k % 2 == 1) {
      Params<T> elsewhere = start<T>();
      for (T& v : elsewhere) v = v * T(0.5);
      advance(resumed, elsewhere, total + 1, before_step);
    }
    resumed.load_state(saved);
    ASSERT_TRUE(same_bits(resumed.state(), saved)) << what << ": state() after load_state at step " << k;
    advance(resumed, x, total, before_step);
    ASSERT_TRUE(same_bits(x, x_whole)) << what << ": iterate differs when stopped at step " << k;
    ASSERT_TRUE(same_bits(resumed.state(), final_state)) << what << ": state differs when stopped at step " << k;
  }
}

std::vector<std::int64_t> every_step_up_to(std::int64_t total) {
  std::vector<std::int64_t> out;
  for (std::int64_t k = 0; k <= total; ++k) out.push_back(k);
  return out;
}

// Every optimizer and the variants that change its state or its coefficient caching. β₁ = 0.5
// and β₂ = 0.6 make the bias corrections round to 1 within the run (after 55 and 74 steps), so the
// stops cover steps before, at and after the coefficients settle.
template <class T, class F>
void for_each_variant(F&& f) {
  using namespace kobai;
  f("gd", [] { return GradientDescent<T>({.lr = 2e-4}); });
  f("gd weight_decay", [] { return GradientDescent<T>({.lr = 2e-4, .weight_decay = 0.1}); });
  f("momentum dampening", [] { return GradientDescent<T>({.lr = 1e-4, .momentum = 0.9, .dampening = 0.3}); });
  f("nesterov", [] { return GradientDescent<T>({.lr = 1e-4, .momentum = 0.8, .nesterov = true}); });
  f("adagrad", [] { return Adagrad<T>({.lr = 0.05}); });
  f("adagrad lr_decay", [] { return Adagrad<T>({.lr = 0.05, .lr_decay = 0.01, .weight_decay = 0.01}); });
  f("adadelta", [] { return Adadelta<T>(); });
  f("adadelta from 1", [] { return Adadelta<T>({.lr = 0.1, .initial_accumulator_value = 1}); });
  f("rmsprop", [] { return RmsProp<T>({.lr = 1e-3}); });
  f("rmsprop centered", [] { return RmsProp<T>({.lr = 1e-3, .centered = true}); });
  f("rmsprop momentum", [] { return RmsProp<T>({.lr = 1e-4, .weight_decay = 0.01, .momentum = 0.5}); });
  f("rmsprop centered momentum from 1", [] {
    return RmsProp<T>({.lr = 1e-4, .alpha = 0.9, .momentum = 0.5, .centered = true, .initial_square_avg = 1});
  });
  f("adam", [] { return Adam<T>({.lr = 1e-2, .beta1 = 0.5, .beta2 = 0.6}); });
  f("adam weight_decay", [] { return Adam<T>({.lr = 1e-2, .beta1 = 0.9, .beta2 = 0.6, .weight_decay = 0.1}); });
  f("amsgrad", [] { return Adam<T>({.lr = 1e-2, .beta1 = 0.5, .beta2 = 0.6, .amsgrad = true}); });
  f("adamw", [] { return AdamW<T>({.lr = 1e-2, .beta1 = 0.5, .beta2 = 0.6}); });
  f("adamw amsgrad", [] { return AdamW<T>({.lr = 1e-2, .beta1 = 0.5, .beta2 = 0.6, .amsgrad = true}); });
  f("adamax", [] { return Adamax<T>({.lr = 1e-2, .beta1 = 0.5}); });
  f("adamax weight_decay", [] { return Adamax<T>({.lr = 1e-2, .beta2 = 0.9, .weight_decay = 0.01}); });
  f("nadam", [] { return NAdam<T>({.lr = 1e-2}); });
  f("nadam weight_decay", [] { return NAdam<T>({.lr = 1e-2, .beta2 = 0.6, .weight_decay = 0.01, .momentum_decay = 1e-2}); });
}

constexpr auto no_hook = [](auto&) {};

template <class T>
void resumes_at_every_step() {
  for_each_variant<T>([](const char* name, auto make) {
    using O = decltype(make());
    expect_resumes_bit_for_bit<O>(name, make, 120, every_step_up_to(120), no_hook);
  });
}

}  // namespace

TEST(OptimizerState, EveryOptimizerResumesBitForBitFromEveryStepDouble) { resumes_at_every_step<double>(); }
TEST(OptimizerState, EveryOptimizerResumesBitForBitFromEveryStepFloat) { resumes_at_every_step<float>(); }

// PyTorch's default β₂ = 0.999 rounds 1 − β₂ᵗ to 1 only after ~36,000 steps: stop just before,
// at and after that step (and β₁ = 0.9's, ~350), where the kept coefficients take over.
TEST(OptimizerState, ResumesAcrossTheStepWhereDefaultBiasCorrectionsSettle) {
  const auto settles = [](double beta) {
    std::int64_t t = 1;
    while (1 - std::pow(beta, static_cast<double>(t)) != 1.0) ++t;
    return t;
  };
  const std::int64_t t1 = settles(0.9), t2 = settles(0.999);
  ASSERT_GT(t2, 30000);
  const std::vector<std::int64_t> stops{t1 - 1, t1, t1 + 1, t2 - 1, t2, t2 + 1};
  expect_resumes_bit_for_bit<kobai::Adam<double>>("adam defaults", [] { return kobai::Adam<double>(); },
                                                  t2 + 20, stops, no_hook);
  expect_resumes_bit_for_bit<kobai::AdamW<float>>("adamw amsgrad float",
                                                  [] { return kobai::AdamW<float>({.amsgrad = true}); },
                                                  t2 + 20, stops, no_hook);
  expect_resumes_bit_for_bit<kobai::Adamax<double>>("adamax defaults", [] { return kobai::Adamax<double>(); },
                                                    t1 + 20, {t1 - 1, t1, t1 + 1}, no_hook);
}

// The learning rate is an option, not state (as torch's param_groups): the caller gives the
// resumed optimizer the lr the saved one had — here set before or after load_state — and a
// schedule continues from steps(), which load_state restores.
TEST(OptimizerState, ResumesAcrossSetLrAndASchedule) {
  for (const std::string& name : kobai::first_order_names()) {
    const kobai::OptimizerSettings settings{.lr = name == "gd" || name == "momentum" || name == "nesterov" ? 1e-4 : 1e-2};
    const auto make = [&] { return kobai::make_first_order(name, settings); };
    const double base = *settings.lr;
    // set_lr at step 50 (after Adam's fast coefficients would have settled, had β allowed)
    const auto halve_at_50 = [&](kobai::AnyFirstOrder& o) {
      o.set_lr(o.steps() < 50 ? base : base / 2);
    };
    expect_resumes_bit_for_bit<kobai::AnyFirstOrder>(name + " set_lr", make, 90, {10, 49, 50, 51, 70},
                                                     halve_at_50);
    for (const kobai::Schedule& schedule : {kobai::Schedule::step(7, 0.5), kobai::Schedule::cosine(60, 1e-6)}) {
      const auto scheduled = [&](kobai::AnyFirstOrder& o) { o.set_lr(schedule.lr_at(base, o.steps())); };
      expect_resumes_bit_for_bit<kobai::AnyFirstOrder>(name + " schedule " + schedule.name(), make, 90,
                                                       {1, 7, 13, 33, 61}, scheduled);
    }
  }
}

TEST(OptimizerState, SetLrAfterLoadStateIsTheSameAsBefore) {
  kobai::Adam<double> original({.lr = 1e-2, .beta1 = 0.5, .beta2 = 0.6});
  Params<double> x = start<double>();
  advance(original, x, 100, no_hook);  // coefficients settled
  original.set_lr(3e-3);
  kobai::Adam<double> lr_first({.lr = 1e-2, .beta1 = 0.5, .beta2 = 0.6}), lr_last = lr_first;
  lr_first.set_lr(3e-3);
  lr_first.load_state(original.state());
  lr_last.load_state(original.state());
  lr_last.set_lr(3e-3);
  Params<double> a = x, b = x;
  advance(original, x, 150, no_hook);
  advance(lr_first, a, 150, no_hook);
  advance(lr_last, b, 150, no_hook);
  EXPECT_TRUE(same_bits(a, x));
  EXPECT_TRUE(same_bits(b, x));
}

// minimize's schedule runs at t = the optimizer's steps(), so a run split in two — minimize, save,
// load into a fresh optimizer, minimize on — is the whole run, bit for bit.
TEST(OptimizerState, MinimizeResumesItsScheduleFromTheRestoredStep) {
  const auto beale = kobai::problems::beale();
  kobai::MinimizeOptions options{.max_iterations = 300, .gradient_tolerance = 0,
                                 .schedule = kobai::Schedule::step(50, 0.5)};
  kobai::Adam<double> whole({.lr = 1e-2});
  const kobai::MinimizeResult all = kobai::minimize(beale, kobai::Vector{{3.0, 4.0}}, whole, options);
  ASSERT_EQ(all.iterations, 300);

  kobai::Adam<double> first({.lr = 1e-2});
  options.max_iterations = 120;
  const kobai::MinimizeResult part = kobai::minimize(beale, kobai::Vector{{3.0, 4.0}}, first, options);
  kobai::Adam<double> resumed({.lr = 1e-2});
  resumed.load_state(first.state());
  options.max_iterations = 180;
  const kobai::MinimizeResult rest = kobai::minimize(beale, part.x, resumed, options);
  EXPECT_EQ(rest.x[0], all.x[0]);
  EXPECT_EQ(rest.x[1], all.x[1]);
  EXPECT_EQ(resumed.lr(), whole.lr());  // 1e-2 · 0.5⁵, the schedule's lr at t = 299
  EXPECT_TRUE(same_bits(resumed.state(), whole.state()));
}

// Large arrays are split across threads; the state is the same arrays whoever computed them.
TEST(OptimizerState, ResumesBitForBitWhenTheStepIsSplitAcrossThreads) {
  const std::size_t threads = kobai::num_threads(), grain = kobai::parallel_grain();
  kobai::set_num_threads(2);
  kobai::set_parallel_grain(64);
  const std::size_t n = 1001;
  Params<double> g(n);
  for (std::size_t i = 0; i < n; ++i) g[i] = std::sin(0.37 * static_cast<double>(i));
  const auto run = [&](kobai::NAdam<double>& o, Params<double>& x, int steps) {
    for (int k = 0; k < steps; ++k) o.step(std::span<double>(x), std::span<const double>(g));
  };
  kobai::NAdam<double> whole, first, resumed;
  Params<double> x(n, 1.0), y(n, 1.0);
  run(whole, x, 30);
  run(first, y, 12);
  resumed.load_state(first.state());
  run(resumed, y, 18);
  kobai::set_num_threads(threads);
  kobai::set_parallel_grain(grain);
  EXPECT_TRUE(same_bits(x, y));
  EXPECT_TRUE(same_bits(whole.state(), resumed.state()));
}

// ---- names ----------------------------------------------------------------------------------

TEST(OptimizerState, NeverSteppedAndResetStatesAreStepZeroAndNothingElse) {
  for (const std::string& name : kobai::first_order_names()) {
    kobai::AnyFirstOrder o = kobai::make_first_order(name, {});
    EXPECT_EQ(o.state(), kobai::OptimizerState<double>{}) << name;
    Params<double> x = start<double>();
    advance(o, x, 3, no_hook);
    EXPECT_EQ(o.state().step, 3) << name;
    o.reset();
    EXPECT_EQ(o.state(), kobai::OptimizerState<double>{}) << name;
  }
}

// torch.optim's names (their state_dict()['state'][0] keys besides "step"); the script test
// tests/optimizer_state_names.py compares them with torch itself, values included.
TEST(OptimizerState, NamesAreTorchOptimsPerVariant) {
  using Names = std::vector<std::string>;
  const auto names = [](const std::string& name, const kobai::OptimizerSettings& s = {}) {
    return kobai::make_first_order(name, s).state_names();
  };
  EXPECT_EQ(names("gd"), Names{});
  EXPECT_EQ(names("momentum"), Names{"momentum_buffer"});
  EXPECT_EQ(names("nesterov"), Names{"momentum_buffer"});
  EXPECT_EQ(names("adagrad"), Names{"sum"});
  EXPECT_EQ(names("adadelta"), (Names{"square_avg", "acc_delta"}));
  EXPECT_EQ(names("rmsprop"), Names{"square_avg"});
  EXPECT_EQ(names("rmsprop", {.momentum = 0.9, .centered = true}),
            (Names{"square_avg", "grad_avg", "momentum_buffer"}));
  EXPECT_EQ(names("adam"), (Names{"exp_avg", "exp_avg_sq"}));
  EXPECT_EQ(names("amsgrad"), (Names{"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}));
  EXPECT_EQ(names("adamw", {.amsgrad = true}), (Names{"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}));
  EXPECT_EQ(names("adamax"), (Names{"exp_avg", "exp_inf"}));
  EXPECT_EQ(names("nadam"), (Names{"exp_avg", "exp_avg_sq", "mu_product"}));
  // Every name a class can keep, for a UI that lists them without an instance.
  EXPECT_EQ(kobai::Adam<float>::buffer_names.size(), 3u);
  EXPECT_EQ(kobai::RmsProp<double>::buffer_names[2], "momentum_buffer");
  EXPECT_EQ(kobai::NAdam<double>::scalar_names[0], "mu_product");
}

TEST(OptimizerState, StateHoldsExactlyTheNamedArraysAfterAStep) {
  for (const std::string& name : kobai::first_order_names()) {
    kobai::AnyFirstOrder o = kobai::make_first_order(name, {});
    Params<double> x = start<double>();
    advance(o, x, 2, no_hook);
    const kobai::OptimizerState<double> s = o.state();
    std::vector<std::string> keys;
    for (const auto& [key, values] : s.buffers) {
      keys.push_back(key);
      EXPECT_EQ(values.size(), x.size()) << name << " " << key;
    }
    for (const auto& [key, value] : s.scalars) keys.push_back(key);
    std::vector<std::string> expected = o.state_names();
    std::sort(keys.begin(), keys.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(keys, expected) << name;
    EXPECT_EQ(s.step, 2) << name;
  }
}

// The values, checked by hand on the first step: m = (1 − β₁)g, v = (1 − β₂)g², Π₁ = μ₁ in float.
TEST(OptimizerState, ValuesAreTheFormulasBuffers) {
  kobai::NAdam<double> nadam({.lr = 1e-2});
  std::vector<double> x{1.0, -2.0};
  const std::vector<double> g{0.5, 4.0};
  nadam.step(std::span<double>(x), std::span<const double>(g));
  const kobai::OptimizerState<double> s = nadam.state();
  EXPECT_EQ(s.buffers.at("exp_avg"), (std::vector<double>{(1 - 0.9) * 0.5, (1 - 0.9) * 4.0}));
  EXPECT_EQ(s.buffers.at("exp_avg_sq")[1], (1 - 0.999) * 16);
  EXPECT_EQ(s.scalars.at("mu_product"), static_cast<double>(static_cast<float>(0.9 * (1 - 0.5 * std::pow(0.96, 0.004)))));
}

// ---- load_state's errors --------------------------------------------------------------------

namespace {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const kobai::InvalidArgument& e) {
    return e.what();
  }
  return "(no exception)";
}

kobai::OptimizerState<double> adam_state_after(int steps) {
  kobai::Adam<double> adam({.lr = 1e-2});
  Params<double> x = start<double>();
  advance(adam, x, steps, no_hook);
  return adam.state();
}

}  // namespace

TEST(OptimizerState, LoadStateNamesTheBadEntry) {
  kobai::Adam<double> adam({.lr = 1e-2});
  const kobai::OptimizerState<double> good = adam_state_after(4);
  auto bad = good;

  bad.step = -1;
  EXPECT_EQ(error_of([&] { adam.load_state(bad); }), "optimizer state: step must be >= 0, got -1");

  bad = good;
  bad.buffers["exp_avg_sqr"] = bad.buffers.at("exp_avg_sq");
  EXPECT_EQ(error_of([&] { adam.load_state(bad); }),
            "optimizer state: unexpected buffer 'exp_avg_sqr'; with these options the state has buffers "
            "exp_avg, exp_avg_sq");

  bad = good;
  bad.buffers["max_exp_avg_sq"] = bad.buffers.at("exp_avg_sq");  // amsgrad is off
  EXPECT_NE(error_of([&] { adam.load_state(bad); }).find("unexpected buffer 'max_exp_avg_sq'"), std::string::npos);

  bad = good;
  bad.buffers.erase("exp_avg_sq");
  EXPECT_EQ(error_of([&] { adam.load_state(bad); }), "optimizer state: missing buffer 'exp_avg_sq' (step 4 > 0)");

  bad = good;
  bad.buffers.at("exp_avg_sq").pop_back();
  EXPECT_EQ(error_of([&] { adam.load_state(bad); }),
            "optimizer state: buffer 'exp_avg_sq' has 4 elements, 'exp_avg' has 5");

  bad = good;
  bad.step = 0;
  EXPECT_EQ(error_of([&] { adam.load_state(bad); }),
            "optimizer state: step is 0 but buffer 'exp_avg' is given; before its first step an optimizer has "
            "no buffers");

  bad = good;
  bad.scalars["mu_product"] = 0.5;  // NAdam's, not Adam's
  EXPECT_EQ(error_of([&] { adam.load_state(bad); }), "optimizer state: unexpected scalar 'mu_product'");

  kobai::GradientDescent<double> gd;
  EXPECT_EQ(error_of([&] { gd.load_state(good); }),
            "optimizer state: unexpected buffer 'exp_avg'; with these options the state has no buffers");
}

TEST(OptimizerState, LoadStateChecksScalars) {
  kobai::NAdam<double> nadam;
  Params<double> x = start<double>();
  advance(nadam, x, 3, no_hook);
  auto bad = nadam.state();
  bad.scalars.erase("mu_product");
  EXPECT_EQ(error_of([&] { nadam.load_state(bad); }), "optimizer state: missing scalar 'mu_product' (step 3 > 0)");
  bad.scalars["mu_product"] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_of([&] { nadam.load_state(bad); }), "optimizer state: scalar 'mu_product' must be finite, got nan");
}

TEST(OptimizerState, AFailedLoadLeavesTheOptimizerAsItWas) {
  kobai::Adam<double> adam({.lr = 1e-2});
  Params<double> x = start<double>();
  advance(adam, x, 6, no_hook);
  const kobai::OptimizerState<double> before = adam.state();
  auto bad = adam_state_after(3);
  bad.buffers.at("exp_avg").push_back(0.0);
  EXPECT_THROW(adam.load_state(bad), kobai::InvalidArgument);
  EXPECT_TRUE(same_bits(adam.state(), before));
}

// A loaded state fixes the parameter count like a first step does; an optimizer that keeps no
// arrays (plain gradient descent) learns it on its next step.
TEST(OptimizerState, LoadedBuffersFixTheParameterCount) {
  kobai::Adam<double> adam;
  adam.load_state(adam_state_after(2));
  std::vector<double> x(3, 1.0), g(3, 1.0);
  EXPECT_NE(error_of([&] { adam.step(std::span<double>(x), std::span<const double>(g)); })
                .find("params must keep the size of the first step (5), got 3"),
            std::string::npos);

  kobai::GradientDescent<double> gd;
  gd.load_state({.step = 7});
  EXPECT_EQ(gd.steps(), 7);
  gd.step(std::span<double>(x), std::span<const double>(g));
  EXPECT_EQ(gd.state(), (kobai::OptimizerState<double>{.step = 8}));

  kobai::Adam<double> fresh;
  fresh.load_state({});  // step 0: as constructed
  EXPECT_EQ(fresh.steps(), 0);
  EXPECT_NO_THROW(fresh.step(std::span<double>(x), std::span<const double>(g)));
}
