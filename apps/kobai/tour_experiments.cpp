// kobai/tour_experiments.cpp — the list of the seed tour's experiments (see tour.hpp).
//
// Each entry: what the seed did and printed (verbatim from seeds/*.txt), and a small function
// that runs the same experiment with kobai. Where the seed's algorithm is the standard one, kobai
// must reproduce its printed numbers (tests/cli_test.cpp checks the key rows); where it is not,
// the note says what differs and, where an option recovers the seed's behaviour, uses it.
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kobai/common.hpp"
#include "kobai/interrupt.hpp"
#include "kobai/multi_run.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/line_search_registry.hpp"
#include "kobai/optim/registry.hpp"
#include "kobai/problems/models/linear_regression.hpp"
#include "kobai/problems/models/simple_net.hpp"
#include "kobai/problems/registry.hpp"
#include "kobai/report/progress_bar.hpp"
#include "kobai/tour.hpp"

namespace kobai::cli {

namespace {

bool g_progress = false;
bool g_record = false;
// Runs made by the experiment being run (tour_experiments' lambdas call descend, which appends),
// and the verdict of each (kobai/minimize/verdict.hpp).
std::vector<report::RunRecord> g_runs;
std::vector<RunVerdict> g_verdicts;

std::string number(double v, const char* format = "%.9g") {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

std::string ended(const MinimizeResult& r) {
  switch (r.status) {
    case Status::converged:
      return "converged after " + std::to_string(r.iterations) + (r.iterations == 1 ? " iteration" : " iterations");
    case Status::iteration_limit: return "iteration limit (" + std::to_string(r.iterations) + " iterations)";
    case Status::diverged: return "diverged at iteration " + std::to_string(r.diverged_at.value_or(r.iterations));
    default: return std::string(to_string(r.status)) + " after " + std::to_string(r.iterations) + " iterations";
  }
}

Vector point(std::initializer_list<double> values) {
  Vector v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v[i++] = x;
  return v;
}

// The `kobai run` line that makes the same run: the problem, start and stopping rules, and every
// hyperparameter the experiment sets (such as seed 003's --initial-accumulator 1).
std::string run_line(const ProblemChoice& problem, const Vector& x0, const MinimizeOptions& options,
                     const std::string& optimizer, const OptimizerSettings& settings) {
  StoppingArguments stopping;
  stopping.iterations = options.max_iterations;
  if (options.gradient_tolerance != 1e-8) stopping.tolerance = format_number(options.gradient_tolerance);
  if (options.value_tolerance != 0) stopping.value_tolerance = format_number(options.value_tolerance);
  if (options.step_tolerance != 0) stopping.step_tolerance = format_number(options.step_tolerance);
  if (options.divergence_bound != 1e20)
    stopping.divergence_bound =
        std::isinf(options.divergence_bound) ? std::string("inf") : format_number(options.divergence_bound);
  OptimizerArguments arguments;
  arguments.name = optimizer;
  const std::vector<std::pair<const std::optional<double>*, std::optional<std::string> OptimizerArguments::*>> values = {
      {&settings.lr, &OptimizerArguments::lr},
      {&settings.momentum, &OptimizerArguments::momentum},
      {&settings.dampening, &OptimizerArguments::dampening},
      {&settings.beta1, &OptimizerArguments::beta1},
      {&settings.beta2, &OptimizerArguments::beta2},
      {&settings.eps, &OptimizerArguments::eps},
      {&settings.rho, &OptimizerArguments::rho},
      {&settings.alpha, &OptimizerArguments::alpha},
      {&settings.weight_decay, &OptimizerArguments::weight_decay},
      {&settings.initial_accumulator, &OptimizerArguments::initial_accumulator},
      {&settings.lr_decay, &OptimizerArguments::lr_decay},
      {&settings.momentum_decay, &OptimizerArguments::momentum_decay}};
  for (const auto& [value, text] : values)
    if (*value) arguments.*text = format_number(**value);
  arguments.nesterov = settings.nesterov.value_or(false);
  arguments.amsgrad = settings.amsgrad.value_or(false);
  arguments.centered = settings.centered.value_or(false);
  return reproducing_command(problem, x0, stopping, arguments);
}

// A built-in problem as --function (and --dimension where it is not the problem's default).
ProblemChoice built_in(const problems::Problem& p) {
  return {.function = p.name, .expr = std::nullopt,
          .dimension = p.dimension() == problems::make(p.name).dimension() ? 0 : p.dimension()};
}

// One kobai run, with a progress bar on a terminal for the long ones. `command`: the kobai run
// line that repeats it, or a sentence saying why no command can.
template <class Optimizer>
MinimizeResult descend(const problems::Problem& objective, const Vector& x0, Optimizer&& optimizer,
                       MinimizeOptions options, const std::string& label, std::string command,
                       std::vector<std::pair<std::string, std::string>> hyperparameters = {},
                       std::optional<report::Rerun> rerun = std::nullopt) {
  report::ProgressBar bar(label, g_progress && options.max_iterations >= 100'000);
  options.record_history = true;              // the verdict reads the history
  options.interrupt = &interrupt_flag();      // Ctrl-C ends the run at its iterate
  MinimizeResult r = minimize(objective, x0, optimizer, options, bar);
  bar.finish();
  g_verdicts.push_back(report::judge(r, objective));
  if (g_record)
    g_runs.push_back({.label = label, .problem = objective, .optimizer = label.substr(label.rfind(' ') + 1),
                      .hyperparameters = std::move(hyperparameters), .result = r, .command = std::move(command),
                      .rerun = std::move(rerun)});
  return r;
}

MinimizeResult descend(const problems::Problem& p, const Vector& x0, const std::string& optimizer,
                       const OptimizerSettings& settings, MinimizeOptions options,
                       const std::optional<ProblemChoice>& as = std::nullopt) {
  AnyFirstOrder o = make_first_order(optimizer, settings);
  std::vector<std::pair<std::string, std::string>> hyperparameters;
  for (const auto& [name, value] : o.hyperparameters()) hyperparameters.emplace_back(name, number(value, "%.12g"));
  const ProblemChoice choice = as ? *as : built_in(p);
  std::string command = run_line(choice, x0, options, optimizer, settings);
  // The live page reruns it with the engine (a named first-order optimizer, as `kobai run` takes it).
  report::Rerun rerun{.function = choice.expr ? std::string() : choice.function, .expression = choice.expr.value_or(""),
                      .dimension = choice.dimension, .start = x0, .options = options};
  return descend(p, x0, o, options, p.name + " " + optimizer, std::move(command), std::move(hyperparameters),
                 std::move(rerun));
}

TourOutcome outcome(const MinimizeResult& r, std::string facts = {}) {
  return {r.x, ended(r), std::move(facts), {}};
}

// ---- seed 000 -----------------------------------------------------------------------------------

// Seed 000's own loop: central difference with h = 1e-4 divided by 2h (kobai's numerical_gradient
// divides by the step actually taken, (x+h) − (x−h), which is the better choice but a different
// number once x is large), no stopping rule, no divergence check.
Vector seed000_gradient_descent(double lr, int steps) {
  auto f = [](const Vector& x) { return x[0] * x[0] + x[1] * x[1]; };
  Vector x = point({-3.0, 4.0});
  Vector grad(2);
  const double h = 1e-4;
  for (int step = 0; step < steps; ++step) {
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double saved = x[i];
      x[i] = saved + h;
      const double f_plus = f(x);
      x[i] = saved - h;
      const double f_minus = f(x);
      grad[i] = (f_plus - f_minus) / (2 * h);
      x[i] = saved;
    }
    x -= lr * grad;
  }
  return x;
}

TourOutcome sphere_run(double lr, double divergence_bound) {
  const auto p = problems::sphere(2);
  MinimizeOptions o{.max_iterations = 100, .gradient_tolerance = 0, .divergence_bound = divergence_bound};
  const MinimizeResult r = descend(p, point({-3, 4}), "gd", {.lr = lr}, o);
  return outcome(r);
}

// ---- seed 002 -----------------------------------------------------------------------------------

// 30 plain gradient-descent steps (the seed's loop has no stopping rule), with the whole path.
MinimizeResult seed002_run(const problems::Problem& p, double lr) {
  MinimizeOptions o{.max_iterations = 30, .gradient_tolerance = 0, .record_history = true,
                    .history_stride = 1};
  return descend(p, p.start, "gd", {.lr = lr}, o);
}

// How many consecutive steps jumped across `center` (a sign change of x − center).
int crossings(const History& h, double center) {
  int n = 0;
  for (std::size_t k = 1; k < h.size(); ++k)
    if ((h.points[k][0] - center) * (h.points[k - 1][0] - center) < 0) ++n;
  return n;
}

TourOutcome quadratic_run(double lr) {
  const auto p = problems::quadratic1d();
  const MinimizeResult r = seed002_run(p, lr);
  const double factor = 1 - 2 * lr;
  std::string facts = "Each step multiplies x − 5 by 1 − 2·lr = " + number(factor, "%g") + ": x crossed 5 in " +
                      std::to_string(crossings(r.history, 5.0)) + " of 30 steps; |x − 5| went from 10 to " +
                      number(std::abs(r.x[0] - 5), "%.4g") + ".";
  if (std::abs(factor) > 1) {
    MinimizeOptions longer{.max_iterations = 100'000, .gradient_tolerance = 0};
    const MinimizeResult l = descend(p, p.start, "gd", {.lr = lr}, longer);
    facts += " Run on, kobai reports it " + ended(l) + " (f passed the divergence bound 1e20).";
  }
  return {r.x, ended(r), facts, {}};
}

TourOutcome sine_bowl_run(double lr) {
  const auto p = problems::sine_bowl();
  const MinimizeResult r = seed002_run(p, lr);
  // The nearest known minimizer, and the spread of the last 10 iterates.
  std::vector<std::pair<double, std::string>> minima;
  for (const Vector& m : p.global_minimizers) minima.push_back({m[0], "global"});
  for (const Vector& m : p.local_minimizers) minima.push_back({m[0], "local"});
  double lo = r.history.points.back()[0], hi = lo;
  for (std::size_t k = r.history.size() >= 10 ? r.history.size() - 10 : 0; k < r.history.size(); ++k) {
    lo = std::min(lo, r.history.points[k][0]);
    hi = std::max(hi, r.history.points[k][0]);
  }
  std::string facts;
  if (hi - lo < 1e-3) {
    const auto* nearest = &minima.front();
    for (const auto& m : minima)
      if (std::abs(m.first - r.x[0]) < std::abs(nearest->first - r.x[0])) nearest = &m;
    facts = "Settled at the " + nearest->second + " minimum x = " + number(nearest->first, "%.6f") +
            " (f = " + number(p.value(point({nearest->first})), "%.6f") + "); the global minimum is x = " +
            number(p.global_minimizers.front()[0], "%.6f") + " (f = " + number(p.minimum_value, "%.6f") + ").";
  } else {
    facts = "Still jumping after 30 steps: the last 10 iterates span [" + number(lo, "%.3f") + ", " +
            number(hi, "%.3f") + "], across the global minimum x = " +
            number(p.global_minimizers.front()[0], "%.4f") + ".";
  }
  return {r.x, ended(r), facts, {}};
}

// ---- seed 003 -----------------------------------------------------------------------------------

const Vector beale_start = point({3, 4});

TourOutcome beale_run(const std::string& optimizer, const OptimizerSettings& s, std::int64_t iterations,
                      double tolerance = 1e-8) {
  const auto p = problems::beale();
  MinimizeOptions o{.max_iterations = iterations, .gradient_tolerance = tolerance};
  const MinimizeResult r = descend(p, beale_start, optimizer, s, o);
  return outcome(r, "kobai ends at f = " + number(r.value, "%.6g") + ", max|grad| = " +
                        number(r.gradient_max_abs, "%.3g") + ".");
}

// Seed 003's Adam, kept only to show what its bias correction does: m̂ = m / (1 − β1^(t+1))
// (one power too many; PyTorch and the Adam paper use β1^t), v̂ = v / (1 − β2^t).
class Seed003Adam {
 public:
  using Scalar = double;
  Seed003Adam(double lr, double beta1, double beta2, double eps) : lr_(lr), b1_(beta1), b2_(beta2), eps_(eps) {}
  void step(std::span<double> x, std::span<const double> g) {
    if (m_.empty()) m_.assign(x.size(), 0.0), v_.assign(x.size(), 0.0);
    ++t_;
    const double c1 = 1 - std::pow(b1_, static_cast<double>(t_ + 1));
    const double c2 = 1 - std::pow(b2_, static_cast<double>(t_));
    for (std::size_t i = 0; i < x.size(); ++i) {
      m_[i] = b1_ * m_[i] + (1 - b1_) * g[i];
      v_[i] = b2_ * v_[i] + (1 - b2_) * g[i] * g[i];
      x[i] = x[i] - lr_ * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + eps_);
    }
  }
  void reset() { m_.clear(), v_.clear(), t_ = 0; }
  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }

 private:
  double lr_, b1_, b2_, eps_;
  std::int64_t t_ = 0;
  std::vector<double> m_, v_;
};

TourOutcome elliptic_gd(std::int64_t iterations) {
  const auto p = problems::elliptic();
  MinimizeOptions o{.max_iterations = iterations, .gradient_tolerance = 1e-8};
  return outcome(descend(p, point({-2.4, 0.2}), "gd", {.lr = 0.1}, o));
}

// ---- seed 004 -----------------------------------------------------------------------------------

// Seed 004's own update w ← w + η·Σ_i (y_i − ŷ_i) (no factor x_i), 5 steps; returns (w, MSE of
// its last printed iteration).
Vector seed004_update() {
  const auto data = problems::seed004_data();
  double w = problems::seed004_initial_weight();
  double mse = 0;
  for (int i = 0; i < 5; ++i) {
    const Vector residual = data.y - data.X.col(0) * w;
    mse = 0.5 * residual.squaredNorm() / static_cast<double>(residual.size());
    w = w + 0.1 * residual.sum();
  }
  return point({w, mse});
}

// L(w) = (1/2n) Σ (y_i − x_i w)² on seed 004's data, as text for `kobai run --expr`.
std::string seed004_loss_text() {
  const auto data = problems::seed004_data();
  std::string sum;
  for (Eigen::Index i = 0; i < data.y.size(); ++i)
    sum += (i ? " + " : "") + std::string("(") + format_number(data.y[i]) + " - " + format_number(data.X(i, 0)) +
           "*x)^2";
  return "(" + sum + ")/" + format_number(2.0 * static_cast<double>(data.y.size()));
}

}  // namespace

std::vector<TourExperiment> tour_experiments(bool progress, bool record) {
  g_progress = progress;
  g_record = record;
  std::vector<TourExperiment> list;

  // ---- seed 000: the learning rate on x0² + x1² ------------------------------------------------
  list.push_back({
      .id = "000-sphere-lr0.1",
      .seed = "000",
      .what = "sphere x0²+x1² from (-3, 4), gradient descent lr 0.1, 100 steps",
      .seed_printed = "array([ -6.11110793e-10,   8.14814391e-10])",
      .seed_values = {-6.11110793e-10, 8.14814391e-10},
      .note = "The seed differentiates numerically (central difference, h = 1e-4); kobai uses the "
              "analytic gradient 2x, so x_k = 0.8^k·(-3, 4). A central difference is exact for a "
              "quadratic up to rounding, so both agree to every printed digit.",
      .run = [] { return sphere_run(0.1, 1e20); },
  });
  list.push_back({
      .id = "000-sphere-lr10",
      .seed = "000",
      .what = "the same with lr 10.0 (\"too large\"), default divergence bound",
      .seed_printed = "array([ -2.58983747e+13,  -1.29524862e+12])",
      .seed_values = {-2.58983747e+13, -1.29524862e+12},
      .note = "Each step multiplies x by 1 - 2·10 = -19. kobai stops the run as diverged as soon "
              "as f passes the divergence bound (1e20) and returns the last iterate below it; the "
              "seed's loop has no such check.",
      .run = [] { return sphere_run(10.0, 1e20); },
  });
  list.push_back({
      .id = "000-sphere-lr10-unbounded",
      .seed = "000",
      .what = "lr 10.0 with the divergence bound disabled (--divergence-bound inf), 100 steps",
      .seed_printed = "array([ -2.58983747e+13,  -1.29524862e+12])",
      .seed_values = {-2.58983747e+13, -1.29524862e+12},
      .note = "With the exact gradient x_100 = (-19)^100·(-3, 4) ≈ (-2.3e128, 3.0e128). The seed's "
              "much smaller numbers are an artefact of its numerical gradient: once |x| > ~1e12, "
              "x ± 1e-4 rounds and (f(x+h) - f(x-h))/2h is no longer 2x (it is 0 or a multiple of "
              "ulp(x²)/2h). The next row runs the seed's own loop and reproduces its numbers.",
      .run = [] { return sphere_run(10.0, std::numeric_limits<double>::infinity()); },
  });
  list.push_back({
      .id = "000-sphere-lr10-seed-gradient",
      .seed = "000",
      .what = "lr 10.0 with the seed's own central difference (h = 1e-4, divided by 2h), 100 steps",
      .seed_printed = "array([ -2.58983747e+13,  -1.29524862e+12])",
      .seed_values = {-2.58983747e+13, -1.29524862e+12},
      .note = "Same arithmetic as the seed's numpy code, so the same rounding artefacts: this is "
              "why the seed's lr = 10 run ends near 1e13 instead of 1e128.",
      .run = [] { return TourOutcome{seed000_gradient_descent(10.0, 100), "100 steps (seed's loop: no stopping rule)", {}, {}}; },
  });
  list.push_back({
      .id = "000-simplenet-predict",
      .seed = "000",
      .what = "simpleNet (2x3 weights W as printed, x = (0.6, 0.9)): p = xW",
      .seed_printed = "array([-0.31485453, -0.86886191,  1.10254728])",
      .seed_values = {-0.31485453, -0.86886191, 1.10254728},
      .note = "",
      .run = [] { return TourOutcome{problems::SimpleNet{}.predict(problems::seed000_simple_net_weights()), "evaluated", {}, {}}; },
  });
  list.push_back({
      .id = "000-simplenet-loss",
      .seed = "000",
      .what = "simpleNet cross-entropy loss for t = (0, 0, 1)",
      .seed_printed = "0.32324465476914266",
      .seed_values = {0.32324465476914266},
      .tolerance = 1e-8,
      .note = "The seed printed W to 8 decimals; that rounding moves the loss by up to ~4e-9, so "
              "kobai (exact cross-entropy at the printed W) agrees to ~2e-9, not to the last digit.",
      .run = [] { return TourOutcome{point({problems::SimpleNet{}.loss(problems::seed000_simple_net_weights())}), "evaluated", {}, {}}; },
  });
  list.push_back({
      .id = "000-simplenet-gradient",
      .seed = "000",
      .what = "simpleNet dL/dW (seed: numerical_gradient, h = 1e-4; kobai: analytic xᵀ(softmax(xW) − t))",
      .seed_printed = "[[0.10524418, 0.06047777, -0.16572195], [0.15786627, 0.09071665, -0.24858292]]",
      .seed_values = {0.10524418, 0.06047777, -0.16572195, 0.15786627, 0.09071665, -0.24858292},
      .tolerance = 1e-7,
      .note = "Row-major, as NumPy prints. kobai's analytic gradient agrees with the seed's central "
              "differences to ~4e-9 (their truncation error plus the rounding of the printed W).",
      .run = [] {
        const Matrix g = problems::SimpleNet{}.loss_gradient(problems::seed000_simple_net_weights());
        Vector row_major(g.size());
        for (Eigen::Index i = 0; i < g.rows(); ++i)
          for (Eigen::Index j = 0; j < g.cols(); ++j) row_major[i * g.cols() + j] = g(i, j);
        return TourOutcome{row_major, "evaluated", {}, {}};
      },
  });
  list.push_back({
      .id = "000-sphere-lr0.001",
      .seed = "000",
      .what = "the same with lr 0.001 (\"too small\"), 100 steps",
      .seed_printed = "array([-2.45570041,  3.27426722])",
      .seed_values = {-2.45570041, 3.27426722},
      .note = "x_100 = 0.998^100·(-3, 4): barely moved.",
      .run = [] { return sphere_run(0.001, 1e20); },
  });

  // ---- seed 002: learning rates on (5 - x)², local minima on sin x + 0.05(5 - x)² --------------
  const std::string seed002_printed = "";  // the notebook's output cells are empty (In [None])
  for (double lr : {0.1, 0.9, 1.0, 1.1}) {
    const std::string lr_text = number(lr, "%g");
    const char* what = lr == 0.1 ? "converges" : lr == 0.9 ? "oscillates" : lr == 1.0 ? "never converges" : "diverges";
    list.push_back({
        .id = "002-quadratic-lr" + lr_text,
        .seed = "002",
        .what = "quadratic1d (5 - x)² from -5, lr " + lr_text + ", 30 steps (seed: \"" + what + "\")",
        .seed_printed = seed002_printed,
        .note = "The seed prints x before each of its 30 updates (x_0…x_29) with 3 decimals but its "
                "output cells were not saved; kobai shows x_30.",
        .run = [lr] { return quadratic_run(lr); },
    });
  }
  for (double lr : {1.0, 3.0}) {
    const std::string lr_text = number(lr, "%g");
    list.push_back({
        .id = "002-sine-bowl-lr" + lr_text,
        .seed = "002",
        .what = "sine_bowl sin x + 0.05(5 - x)² from -10, lr " + lr_text + ", 30 steps (seed: " +
                (lr == 1.0 ? "\"trapped in a local minimum\")" : "\"oscillates\")"),
        .seed_printed = seed002_printed,
        .note = "",
        .run = [lr] { return sine_bowl_run(lr); },
    });
  }

  // ---- seed 003: the cubic, Beale with every optimizer, the elliptic bowl ----------------------
  list.push_back({
      .id = "003-cubic",
      .seed = "003",
      .what = "cubic x³ - 3x² - 9x + 2 from 1, lr 0.01, at most 200 steps, stop when |f'| < 1e-8",
      .seed_printed = "勾配は十分に小さいです！ 2.999999999256501",
      .seed_values = {2.999999999256501},
      .tolerance = 0,
      .digits = 16,
      .note = "The seed's algorithm is kobai's: same iterates to the last bit; the seed's "
              "\"gradient small enough\" comes after 176 steps too.",
      .run = [] {
        const auto p = problems::cubic();
        return outcome(descend(p, point({1.0}), "gd", {.lr = 0.01},
                               {.max_iterations = 200, .gradient_tolerance = 1e-8}));
      },
  });
  list.push_back({
      .id = "003-beale-gd",
      .seed = "003",
      .what = "Beale from (3, 4), gradient descent lr 5e-6, 300000 steps",
      .seed_printed = "極点: [2.70735828 0.41689171]",
      .seed_values = {2.70735828, 0.41689171},
      .note = "Standard algorithm; the run is still crawling along Beale's curved valley (the "
              "minimum is (3, 0.5)).",
      .run = [] { return beale_run("gd", {.lr = 5e-6}, 300'000); },
  });
  list.push_back({
      .id = "003-beale-momentum",
      .seed = "003",
      .what = "Beale, momentum: v = 0.8v + 5e-6·∇f, x = x - v, 300000 steps (tolerance 1e-6)",
      .seed_printed = "[2.96324633 0.49067782]",
      .seed_values = {2.96324633, 0.49067782},
      .tolerance = 1e-6,
      .note = "kobai's momentum is PyTorch's: b = 0.8b + ∇f, x = x - lr·b with lr 5e-6, the same "
              "iteration with v = lr·b (rounding differs in the last bits).",
      .run = [] { return beale_run("momentum", {.lr = 5e-6, .momentum = 0.8}, 300'000, 1e-6); },
  });
  list.push_back({
      .id = "003-beale-adagrad-seed",
      .seed = "003",
      .what = "Beale, AdaGrad lr 0.1, accumulator started at 1, eps 1e-8, 300000 steps",
      .seed_printed = "[-0.69240717  1.76233766]",
      .seed_values = {-0.69240717, 1.76233766},
      .tolerance = 1e-6,
      .note = "The seed starts its accumulator at 1 (np.ones_like); PyTorch (and kobai by default) "
              "at 0. kobai runs with --initial-accumulator 1 --eps 1e-8 to reproduce it.",
      .run = [] { return beale_run("adagrad", {.lr = 0.1, .eps = 1e-8, .initial_accumulator = 1.0}, 300'000); },
  });
  list.push_back({
      .id = "003-beale-adagrad-torch",
      .seed = "003",
      .what = "the same AdaGrad with PyTorch's defaults (accumulator 0, eps 1e-10)",
      .seed_printed = "",
      .note = "What torch.optim.Adagrad(lr=0.1) does on the same problem: the same point to 9 "
              "digits, because the seed's extra 1 in the accumulator is negligible next to the first "
              "squared gradients (25625² ≈ 6.6e8 and 57519² ≈ 3.3e9).",
      .run = [] { return beale_run("adagrad", {.lr = 0.1}, 300'000); },
  });
  list.push_back({
      .id = "003-beale-adadelta-seed",
      .seed = "003",
      .what = "Beale, Adadelta lr (alpha) 1.0, rho 0.9, eps 1e-8, both accumulators started at 1",
      .seed_printed = "[2.9386002 0.45044889]",
      .seed_values = {2.9386002, 0.45044889},
      .tolerance = 1e-6,
      .note = "The seed's update is PyTorch's Adadelta except that E[g²] and E[Δx²] start at 1 "
              "instead of 0 (its text says 0; its code uses np.ones_like): with accumulators at 0 "
              "the first steps are ~sqrt(eps) long, with 1 they are ~lr·g/sqrt(0.1g²) long. kobai "
              "reproduces it with --initial-accumulator 1 --eps 1e-8.",
      .run = [] { return beale_run("adadelta", {.lr = 1.0, .eps = 1e-8, .rho = 0.9, .initial_accumulator = 1.0}, 300'000); },
  });
  list.push_back({
      .id = "003-beale-adadelta-torch",
      .seed = "003",
      .what = "the same Adadelta with PyTorch's defaults (accumulators 0, eps 1e-6)",
      .seed_printed = "",
      .note = "What torch.optim.Adadelta(lr=1.0, rho=0.9) does: starting from zero accumulators "
              "its steps begin at ~sqrt(eps)·lr and grow only slowly.",
      .run = [] { return beale_run("adadelta", {.lr = 1.0, .rho = 0.9}, 300'000); },
  });
  for (std::int64_t iterations : {300'000, 900'000}) {
    const bool long_run = iterations == 900'000;
    list.push_back({
        .id = long_run ? "003-beale-rmsprop-900k" : "003-beale-rmsprop-300k",
        .seed = "003",
        .what = "Beale, RMSprop lr 5e-6, beta 0.999999999999, eps 1e-8, v started at 1, " +
                std::to_string(iterations) + " steps",
        .seed_printed = long_run ? "[2.9082809 0.47616156]" : "[2.70162562 0.41500366]",
        .seed_values = long_run ? std::vector<double>{2.9082809, 0.47616156}
                                : std::vector<double>{2.70162562, 0.41500366},
        .tolerance = 1e-6,
        .note = std::string("The seed's beta is PyTorch's alpha (smoothing constant) and its v starts at 1, "
                "not 0: kobai runs rmsprop --alpha 0.999999999999 --initial-accumulator 1 --eps 1e-8. "
                "Running the seed's own code (NumPy, /usr/bin/python3 on this machine) gives ") +
                (long_run ? "[2.91020908 0.47668802]" : "[2.70678216 0.4167025]") +
                ", kobai's numbers to every digit: the printed output must come from a different run "
                "of the notebook than the code shown.",
        .run = [iterations] {
          return beale_run("rmsprop", {.lr = 5e-6, .eps = 1e-8, .alpha = 0.999999999999, .initial_accumulator = 1.0}, iterations);
        },
    });
  }
  list.push_back({
      .id = "003-beale-adam",
      .seed = "003",
      .what = "Beale, Adam lr 0.001, betas (0.9, 0.8), eps 1e-8, 100000 steps",
      .seed_printed = "[2.99999653 0.50000329]",
      .seed_values = {2.99999653, 0.50000329},
      .tolerance = 1e-6,
      .note = "kobai's Adam is PyTorch's: m̂ = m/(1 - β1^t). The seed divides by 1 - β1^(t+1) "
              "(its t is incremented before use), so its early steps are ~1.9x too large; both "
              "reach the minimum (3, 0.5), where Adam with β2 = 0.8 keeps jittering chaotically "
              "(DESIGN.md: two correct implementations drift apart by ~1e-5), so the last digits "
              "cannot match.",
      .run = [] { return beale_run("adam", {.lr = 0.001, .beta1 = 0.9, .beta2 = 0.8, .eps = 1e-8}, 100'000); },
  });
  list.push_back({
      .id = "003-beale-adam-seed-rule",
      .seed = "003",
      .what = "the seed's Adam rule (bias correction 1 - β1^(t+1)) replicated, 100000 steps",
      .seed_printed = "[2.99999653 0.50000329]",
      .seed_values = {2.99999653, 0.50000329},
      .tolerance = 1e-6,
      .note = "Only to show the off-by-one is harmless here: it also ends at the minimum, with "
              "the same chaotic last digits.",
      .run = [] {
        const auto p = problems::beale();
        return outcome(descend(p, beale_start, Seed003Adam(0.001, 0.9, 0.8, 1e-8),
                               {.max_iterations = 100'000, .gradient_tolerance = 1e-8}, "beale seed-adam",
                               "(no kobai command: this run replays seed 003's own Adam code, whose bias "
                               "correction 1 - β1^(t+1) is off by one step; kobai's adam is PyTorch's, "
                               "kobai run --function beale --start 3,4 --iterations 100000 --optimizer adam "
                               "--lr 0.001 --beta1 0.9 --beta2 0.8 --eps 1e-08)"));
      },
  });
  list.push_back({
      .id = "003-elliptic-gd-100",
      .seed = "003",
      .what = "elliptic x²/16 + 9y² from (-2.4, 0.2), SGD lr 0.1, 100 steps (as the seed's code says)",
      .seed_printed = "[-8.26638332e-06  2.46046384e-98]",
      .seed_values = {-8.26638332e-06, 2.46046384e-98},
      .note = "x_k = (0.9875^k·(-2.4), (-0.8)^k·0.2): after 100 steps x is still -0.68. The seed's "
              "printed numbers are what 1000 steps give (next row): its output cell was evidently "
              "produced by a run with 1000 iterations.",
      .run = [] { return elliptic_gd(100); },
  });
  list.push_back({
      .id = "003-elliptic-gd-1000",
      .seed = "003",
      .what = "the same SGD lr 0.1 with 1000 steps",
      .seed_printed = "[-8.26638332e-06  2.46046384e-98]",
      .seed_values = {-8.26638332e-06, 2.46046384e-98},
      .note = "Standard algorithm: reproduced.",
      .run = [] { return elliptic_gd(1000); },
  });
  list.push_back({
      .id = "003-elliptic-momentum",
      .seed = "003",
      .what = "elliptic from (-2.4, 0.2), SGD_Momentum lr 0.1, gamma 0.8, at most 1000 steps",
      .seed_printed = "勾配は十分に小さいです! [-1.49829905e-08 -4.74284398e-10]",
      .seed_values = {-1.49829905e-08, -4.74284398e-10},
      .tolerance = 1e-6,
      .note = "Standard momentum (kobai's b = 0.8b + ∇f, x -= 0.1·b is the seed's v = 0.8v + "
              "0.1∇f, x -= v); both stop when max|∇f| < 1e-8, after 177 steps.",
      .run = [] {
        const auto p = problems::elliptic();
        return outcome(descend(p, point({-2.4, 0.2}), "momentum", {.lr = 0.1, .momentum = 0.8},
                               {.max_iterations = 1000, .gradient_tolerance = 1e-8}));
      },
  });

  // ---- seed 004: linear regression -------------------------------------------------------------
  list.push_back({
      .id = "004-linreg-seed-update",
      .seed = "004",
      .what = "linear regression y ≈ wx on x = 1..5, the seed's update w ← w + 0.1·Σ(y − ŷ), 5 steps: (w, last MSE)",
      .seed_printed = "estimated weights: [3.17241493]; Iteration 4 MSE = 0.338",
      .seed_values = {3.17241493, 0.338},
      .tolerance = 2e-3,
      .note = "The seed's update, replayed on its data (w0 = -0.977277879876411, the seed's "
              "np.random draw): reproduces its printout (MSE is printed with 3 decimals). Its "
              "direction Σ(y − ŷ) lacks the factor x_i of the true gradient.",
      .run = [] { return TourOutcome{seed004_update(), "5 steps (seed's loop)", {}, {}}; },
  });
  list.push_back({
      .id = "004-linreg-gd",
      .seed = "004",
      .what = "the same data, kobai gd lr 0.1 on L(w) = (1/2n)‖y − Xw‖² (true gradient), 5 steps: (w, MSE)",
      .seed_printed = "estimated weights: [3.17241493]; Iteration 4 MSE = 0.338",
      .seed_values = {3.17241493, 0.338},
      .note = "With the true gradient (1/n)Xᵀ(Xw − y) each step multiplies w − w* by 1 − 0.1·11 = "
              "-0.1, so 5 steps land within 1e-4 of the least-squares w* = Σxy/Σx² = 3.041818; "
              "the seed's rule heads for Σy/Σx = 3.046667 instead and is still at 3.17 after 5 "
              "steps.",
      .run = [] {
        const auto p = problems::linear_regression(problems::seed004_data());
        // The seed's data set is no built-in problem; the same function typed as text is.
        const ProblemChoice typed{.function = "", .expr = seed004_loss_text(), .dimension = 0};
        const MinimizeResult r = descend(p, point({problems::seed004_initial_weight()}), "gd", {.lr = 0.1},
                                         {.max_iterations = 5, .gradient_tolerance = 0}, typed);
        return TourOutcome{point({r.x[0], r.value}), ended(r),
                           "kobai: w = " + number(r.x[0], "%.6f") + ", MSE = " + number(r.value, "%.3g") + ".", {}};
      },
  });

  // ---- seed 004: Newton's method on f = x² ------------------------------------------------------
  list.push_back({
      .id = "004-newton-x2",
      .seed = "004",
      .what = "Newton's method x ← x − f'(x)/f''(x) on f = x² from 0.7 (the seed's last plot)",
      .seed_printed = "",  // the seed only plots (legend \"Iter0 | x=0.0, f(x)=0.000\")
      .note = "On a quadratic the Newton step lands on the minimizer in one step: x_1 = 0.7 − 1.4/2 "
              "= 0. (The seed's earlier plot uses x − f/f', Newton's root-finding step for f = 0, "
              "which only halves x each step: 0.35, 0.175, ….)",
      .run = [] {
        const auto p = problems::sphere(1);
        const MinimizeOptions o{.max_iterations = 5, .gradient_tolerance = 1e-8};
        return outcome(descend(p, point({0.7}), make_line_search_method("newton", {}), o, "x^2 newton",
                               run_line(built_in(p), point({0.7}), o, "newton", {})));
      },
  });
  for (TourExperiment& e : list) {
    e.run = [run = std::move(e.run)] {
      g_runs.clear();
      g_verdicts.clear();
      TourOutcome o = run();
      o.runs = std::move(g_runs);
      // The experiment's own run is its first; later ones (a longer rerun) only add facts.
      if (!g_verdicts.empty()) o.verdict = g_verdicts.front();
      g_runs.clear();
      g_verdicts.clear();
      return o;
    };
  }
  return list;
}

}  // namespace kobai::cli
