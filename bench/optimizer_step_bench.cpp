// optimizer_step_bench — how close each optimizer step comes to the memory-bandwidth limit, and
// how it compares with torch.optim (issue 6), in the project's build and in a user's (issue 14).
// One command, one table:
//
//   cmake --build build --target optimizer_step_bench optimizer_step_consumers
//   build/bench/optimizer_step_bench            # full run (~3 minutes on 2 cores, ~5 with consumers)
//   build/bench/optimizer_step_bench --quick    # n = 10⁶ only, fewer repetitions
//   build/bench/optimizer_step_bench --beale-only  # only part 5 (15 runs, ~20 s with torch)
//   options: --sizes 1e6,1e7 --threads 1,2 --no-torch --no-consumers --optimizers adam,gd --beale-runs N
//            --seconds S (time per row, default 0.3; more steps give a loaded machine more chances)
//            --clock cpu (one-thread rows, kobai's and torch's, timed by the thread's CPU time,
//            not wall time: for a machine shared with busy processes; optimizer_step_timing.hpp)
//
// 1. Bandwidth with the optimizer's access pattern: a[i] += s·b[i] over two arrays of the row's
//    n and dtype (at n = 10⁷: 40 or 80 MB each, beyond the 32 MB L3), one pass before each timed
//    step, best of the passes: the bound and the step are measured under the same load, which on
//    a shared machine moves both by 2×. Every byte is read once and the destination written once,
//    as in an optimizer step (a STREAM triad understates it: its destination is read in before
//    it is written).
// 2. Bound per optimizer = (arrays of traffic × sizeof(T)) / bandwidth: gd 3 (p read+write, g),
//    momentum/nesterov/adagrad/rmsprop 5, adam/adamw/adadelta/adamax/nadam 7, amsgrad 9.
// 3. kobai's step and torch.optim's (bench/optimizer_step_torch.py, run by this program through
//    Debian's /usr/bin/python3) at the same n, dtype and thread count: fastest of several steps
//    after two warm-up steps (the first allocates the state). Fastest, not mean, because the
//    machine is shared: the minimum is the least disturbed by other processes, for both sides.
// 4. The same timing (bench/optimizer_step_timing.hpp) in bench/consumer's program, built against
//    the installed kobai as a user builds it: find_package(kobai) with CMake's default Release
//    and RelWithDebInfo flags, and plain g++ -O2 — no -march=native, no -fno-math-errno
//    (target optimizer_step_consumers; no column for a build that is not there). Each row runs
//    them right after kobai's own timing of the row, and each probes the bandwidth the same way
//    during its run; its "of bnd" takes the higher of its probe's and the row's bandwidth (the
//    stricter bound: a consumer's SSE2 probe may stream slower than the project's AVX one).
// 5. A 2-D Adam run on Beale (seed 003: lr 1e-3, β = (0.9, 0.8), 100,000 iterations from (3, 4))
//    through kobai::minimize, in ns per iteration, beside torch's per-iteration time for the same
//    run (torch runs 2,000 of its iterations: it needs ~0.1–0.7 ms each). Beside it, the latency
//    floor (the same arithmetic fused by hand) and kobai's step in a bare loop, each run in turn
//    with kobai's runs so that load from other processes hits them alike; best, median and worst
//    of the runs are printed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/registry.hpp"
#include "kobai/problems/two_dimensional.hpp"
#include "optimizer_step_timing.hpp"

namespace {

using kobai_bench::Clock;
using kobai_bench::seconds_since;
using kobai_bench::split;

// A consumer build (bench/consumer): its program, run for each row right after kobai's own timing
// of the row, so that both see the same load on a shared machine.
struct ConsumerBuild {
  const char* label;  // column heading
  const char* dir;    // under build/bench-consumer
  std::string program = {};

  // The row's timing in that build, or nothing if it failed.
  std::optional<kobai_bench::StepTiming> time(const std::string& name, const std::string& dtype,
                                               std::size_t n, int threads, double budget, bool cpu_clock) const {
    const std::string command = program + " --optimizers " + name + " --dtypes " + dtype + " --sizes " +
                                std::to_string(n) + " --threads " + std::to_string(threads) +
                                " --seconds " + std::to_string(budget) + " --clock " + (cpu_clock ? "cpu" : "wall");
    std::optional<kobai_bench::StepTiming> out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char line[512];
      while (std::fgets(line, sizeof line, pipe)) {
        std::istringstream in(line);
        std::string kind, row_name, row_dtype;
        std::size_t row_n;
        int row_threads;
        kobai_bench::StepTiming timing{};
        if (in >> kind >> row_name >> row_dtype >> row_n >> row_threads >> timing.ns_per_parameter >>
                timing.bandwidth &&
            kind == "step")
          out = timing;
      }
      if (pclose(pipe) != 0) out.reset();
    }
    if (!out) std::fprintf(stderr, "failed: %s\n", command.c_str());
    return out;
  }
};

// Seed 003's Beale, as a plain objective (no type erasure), for the small-problem timing.
struct Beale {
  double value(const kobai::Vector& v) const {
    const double x = v[0], y = v[1];
    const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    return a * a + b * b + c * c;
  }
  double value_and_gradient(const kobai::Vector& v, kobai::Vector& g) const {
    const double x = v[0], y = v[1];
    const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    g[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
    g[1] = 2 * a * x + 4 * b * x * y + 6 * c * x * y * y;
    return a * a + b * b + c * c;
  }
};

// This thread's CPU time: on a shared machine a single-threaded run's wall time includes the time
// other processes held the core; its CPU time does not.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Per-iteration times of repeated runs: best (the least disturbed by other processes), median
// and worst, so the spread of a shared machine is printed beside the figure.
struct Spread {
  std::vector<double> runs;
  double best() const { return *std::min_element(runs.begin(), runs.end()); }
  double worst() const { return *std::max_element(runs.begin(), runs.end()); }
  double median() const {
    std::vector<double> sorted = runs;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
  }
};

struct BealeRun {
  double cpu_ns, wall_ns;  // per iteration
  kobai::MinimizeResult result;
};

template <class Objective>
BealeRun run_beale(const Objective& objective) {
  kobai::Adam adam({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8});
  const double cpu = thread_cpu_seconds();
  const Clock::time_point start = Clock::now();
  BealeRun out{0, 0,
               kobai::minimize(objective, kobai::Vector{{3.0, 4.0}}, adam,
                               {.max_iterations = 100'000, .gradient_tolerance = 1e-8})};
  const double iterations = static_cast<double>(out.result.iterations);
  out.wall_ns = seconds_since(start) * 1e9 / iterations;
  out.cpu_ns = (thread_cpu_seconds() - cpu) * 1e9 / iterations;
  return out;
}

// kobai's step and the objective in a plain loop, without kobai::minimize: what the descent loop's
// bookkeeping (stopping rules, finiteness checks, max |g|) adds is the difference to run_beale.
template <class Objective>
double time_beale_step_loop(const Objective& objective) {
  kobai::Adam adam({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8});
  kobai::Vector x{{3.0, 4.0}}, g(2);
  const double cpu = thread_cpu_seconds();
  objective.value_and_gradient(x, g);
  for (int k = 0; k < 100'000; ++k) {
    adam.step(x, g);
    objective.value_and_gradient(x, g);
  }
  const double ns = (thread_cpu_seconds() - cpu) * 1e9 / 100'000;
  if (!x.allFinite()) std::printf("(step loop diverged)\n");
  return ns;
}

// The same 100,000 iterations with no library at all: Beale's gradient and Adam's update fused by
// hand into one loop over two doubles. Each iteration depends on the last through
// x → ∇f(x) → m, v → √v → division → x, so this is the latency floor of the run on this CPU.
double time_beale_by_hand() {
  double ns = 0;
  {
    double p[2] = {3, 4}, m[2] = {0, 0}, v[2] = {0, 0}, g[2];
    const double cpu = thread_cpu_seconds();
    int t = 1;
    for (; t <= 100'000; ++t) {
      const double x = p[0], y = p[1];
      const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
      g[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
      g[1] = 2 * a * x + 4 * b * x * y + 6 * c * x * y * y;
      if (std::max(std::abs(g[0]), std::abs(g[1])) < 1e-8) break;
      const double bc1 = 1 - std::pow(0.9, t), bc2 = 1 - std::pow(0.8, t);
      const double step = -(1e-3 / bc1), root_bc2 = std::sqrt(bc2);
      for (int i = 0; i < 2; ++i) {
        m[i] = m[i] * 0.9 + 0.1 * g[i];
        v[i] = v[i] * 0.8 + 0.2 * g[i] * g[i];
        const double root = root_bc2 == 1 ? std::sqrt(v[i]) : std::sqrt(v[i]) / root_bc2;
        p[i] = p[i] + step * m[i] / (root + 1e-8);
      }
      if (t > 400) break;  // pow is constant from here on; the loop below has no pow
    }
    for (++t; t <= 100'000; ++t) {
      const double x = p[0], y = p[1];
      const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
      g[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
      g[1] = 2 * a * x + 4 * b * x * y + 6 * c * x * y * y;
      if (std::max(std::abs(g[0]), std::abs(g[1])) < 1e-8) break;
      for (int i = 0; i < 2; ++i) {
        m[i] = m[i] * 0.9 + 0.1 * g[i];
        v[i] = v[i] * 0.8 + 0.2 * g[i] * g[i];
        p[i] = p[i] + -1e-3 * m[i] / (std::sqrt(v[i]) + 1e-8);
      }
    }
    ns = (thread_cpu_seconds() - cpu) * 1e9 / 100'000;
    if (!std::isfinite(p[0] + p[1])) std::printf("(hand loop diverged)\n");
  }
  return ns;
}

}  // namespace

int main(int argc, char** argv) {
  std::string sizes = "1e6,1e7", thread_list = "1,2",
              optimizers = "gd,momentum,nesterov,adagrad,adadelta,rmsprop,adam,adamw,amsgrad,adamax,nadam";
  bool torch = true, quick = false, beale_only = false, consumer_columns = true, cpu_clock = false;
  int beale_runs = 5;
  double seconds = 0;  // time per row (doubled at n ≥ 5·10⁶; at most 40 steps a row)
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--sizes") sizes = next();
    else if (arg == "--threads") thread_list = next();
    else if (arg == "--optimizers") optimizers = next();
    else if (arg == "--no-torch") torch = false;
    else if (arg == "--no-consumers") consumer_columns = false;
    else if (arg == "--seconds") seconds = std::stod(next());
    else if (arg == "--clock") {
      const std::string clock = next();
      if (clock != "cpu" && clock != "wall") {
        std::fprintf(stderr, "--clock must be wall or cpu, got %s\n", clock.c_str());
        return 2;
      }
      cpu_clock = clock == "cpu";
    }
    else if (arg == "--quick") quick = true, sizes = "1e6";
    else if (arg == "--beale-only") beale_only = true, beale_runs = 15;
    else if (arg == "--beale-runs") beale_runs = std::max(1, std::stoi(next()));
    else {
      std::fprintf(stderr, "usage: %s [--quick] [--sizes 1e6,1e7] [--threads 1,2] [--optimizers a,b] [--no-torch] [--no-consumers] [--seconds S] [--clock wall|cpu] [--beale-only] [--beale-runs N]\n", argv[0]);
      return 2;
    }
  }
  const double budget = seconds > 0 ? seconds : quick ? 0.1 : 0.3;
  const std::vector<std::string> names = split(optimizers);
  std::vector<int> threads;
  for (const std::string& t : split(thread_list)) threads.push_back(std::stoi(t));
  std::vector<std::size_t> ns;
  for (const std::string& s : split(sizes)) ns.push_back(static_cast<std::size_t>(std::stod(s)));
  if (beale_only) ns.clear(), sizes.clear();

  // torch first, so kobai's timings are not taken while Python is starting.
  using Key = std::tuple<std::string, std::string, std::size_t, int>;
  std::map<Key, double> torch_ns;
  double torch_beale = 0;
  int torch_beale_iterations = 0;
  if (torch) {
    std::string command = "/usr/bin/python3 " KOBAI_SOURCE_DIR "/bench/optimizer_step_torch.py --sizes '" + sizes + "'" +
                          " --threads " + thread_list + " --optimizers " + optimizers +
                          " --seconds " + std::to_string(budget) + " --beale " + (quick ? "500" : "2000") +
                          " --clock " + (cpu_clock ? "cpu" : "wall");
    std::fprintf(stderr, "running torch.optim: %s\n", command.c_str());
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char line[512];
      while (std::fgets(line, sizeof line, pipe)) {
        std::istringstream in(line);
        std::string kind;
        in >> kind;
        if (kind == "step") {
          std::string name, dtype;
          std::size_t n;
          int t;
          double value;
          if (in >> name >> dtype >> n >> t >> value) torch_ns[{name, dtype, n, t}] = value;
        } else if (kind == "beale") {
          in >> torch_beale_iterations >> torch_beale;
        }
      }
      if (pclose(pipe) != 0) std::fprintf(stderr, "torch side failed; its columns are empty\n");
    }
  }

  // The consumer builds, if built (bench/consumer; each measures its own bound as this program does).
  std::vector<ConsumerBuild> consumers;
  if (consumer_columns && !beale_only) {
    for (ConsumerBuild consumer : {ConsumerBuild{"Release", "Release"}, ConsumerBuild{"RelWDI", "RelWithDebInfo"},
                                   ConsumerBuild{"g++ -O2", "gxx-O2"}}) {
      consumer.program = std::string(KOBAI_BINARY_DIR "/bench-consumer/") + consumer.dir + "/optimizer_step_consumer";
      if (std::FILE* exists = std::fopen(consumer.program.c_str(), "r")) {
        std::fclose(exists);
        consumers.push_back(consumer);
      } else {
        std::fprintf(stderr, "no %s (cmake --build build --target optimizer_step_consumers): no %s column\n",
                     consumer.program.c_str(), consumer.label);
      }
    }
  }

  if (!beale_only) {
  std::printf("kobai optimizer step vs the memory-bandwidth bound and torch.optim %s\n",
              torch ? "(torch 1.13, same n/dtype/threads)" : "(torch skipped)");
  std::printf("GB/s: a[i] += s*b[i] over two arrays of the row's n and dtype, measured between its kobai steps;\n"
              "bound = arrays of traffic x sizeof(T) / GB/s; of bnd = bound / kobai time; %s\n"
              "project: built with the project's flags (-O3 -march=native -fno-math-errno); %s\n",
              cpu_clock ? "1-thread rows (all columns, torch too) in the thread's CPU time" : "wall time",
              consumers.empty() ? "consumer builds skipped"
                                : "Release, RelWDI, g++ -O2: the same timing built as a user's program against the\n"
                                  "installed kobai (bench/consumer), run right after; its of bnd takes the higher of its own\n"
                                  "probe's GB/s and the row's; x: torch / kobai");
  std::printf("\n%-9s %-6s %7s %3s %5s %6s %7s %6s", "optimizer", "dtype", "n", "thr", "GB/s", "bound", "project", "of bnd");
  for (const ConsumerBuild& consumer : consumers) std::printf(" %7s %6s", consumer.label, "of bnd");
  std::printf(" %7s %7s", "torch", "x proj");
  for (const ConsumerBuild& consumer : consumers) std::printf(" %7s", ("x " + std::string(consumer.label).substr(0, 5)).c_str());
  std::printf("\n%-9s %-6s %7s %3s %5s %6s %7s %6s", "", "", "", "", "", "ns/p", "ns/p", "");
  for (std::size_t k = 0; k < consumers.size(); ++k) std::printf(" %7s %6s", "ns/p", "");
  std::printf(" %7s\n", "ns/p");
  for (int t : threads) {
    for (std::size_t n : ns) {
      for (const std::string dtype : {"float", "double"}) {
        for (const std::string& name : names) {
          const double bytes = dtype == "float" ? 4.0 : 8.0;
          const double traffic = kobai_bench::arrays_of_traffic(name) * bytes * 1e9;
          const kobai_bench::StepTiming timing = kobai_bench::time_kobai_step(
              dtype, name, n, t, kobai_bench::row_budget(n, budget), kobai_bench::timer_for(cpu_clock, t));
          const double ours = timing.ns_per_parameter;
          const double bound = traffic / timing.bandwidth;
          std::printf("%-9s %-6s %7.0e %3d %5.1f %6.3f %7.3f %5.0f%%", name.c_str(), dtype.c_str(),
                      static_cast<double>(n), t, timing.bandwidth / 1e9, bound, ours, 100 * bound / ours);
          std::vector<double> consumer_ns;
          for (const ConsumerBuild& consumer : consumers) {
            const auto row = consumer.time(name, dtype, n, t, budget, cpu_clock);  // (it doubles it for large n)
            if (!row) {
              std::printf(" %7s %6s", "-", "-");
              consumer_ns.push_back(0);
              continue;
            }
            const double theirs = row->ns_per_parameter;
            // Against the faster of the two probes: a consumer build whose own probe streams slower
            // (SSE2 against AVX) gets no credit for it.
            std::printf(" %7.3f %5.0f%%", theirs, 100 * traffic / std::max(row->bandwidth, timing.bandwidth) / theirs);
            consumer_ns.push_back(theirs);
          }
          const auto it = torch_ns.find({name, dtype, n, t});
          if (it == torch_ns.end()) {
            std::printf(" %7s %7s", "-", "-");
            for (std::size_t k = 0; k < consumers.size(); ++k) std::printf(" %7s", "-");
          } else {
            std::printf(" %7.3f %6.1fx", it->second, it->second / ours);
            for (double theirs : consumer_ns) {
              if (theirs > 0) std::printf(" %6.1fx", it->second / theirs);
              else std::printf(" %7s", "-");
            }
          }
          std::printf("\n");
          std::fflush(stdout);
        }
      }
    }
  }

  }

  // The three Beale variants run interleaved, run after run, so a burst of load from other
  // processes hits them alike; the ratio to the hand-fused loop is taken within each round.
  kobai::set_num_threads(1);
  Spread plain_cpu, plain_wall, problem_cpu, problem_wall, step_loop_cpu, hand_cpu, ratio;
  kobai::MinimizeResult result;
  const kobai::problems::Problem beale_problem = kobai::problems::beale();
  for (int run = 0; run < beale_runs; ++run) {
    const BealeRun plain = run_beale(Beale{});
    const BealeRun problem = run_beale(beale_problem);
    const double step_loop = time_beale_step_loop(Beale{});
    const double hand = time_beale_by_hand();
    step_loop_cpu.runs.push_back(step_loop);
    plain_cpu.runs.push_back(plain.cpu_ns);
    plain_wall.runs.push_back(plain.wall_ns);
    problem_cpu.runs.push_back(problem.cpu_ns);
    problem_wall.runs.push_back(problem.wall_ns);
    hand_cpu.runs.push_back(hand);
    ratio.runs.push_back(plain.cpu_ns / hand);
    result = plain.result;
  }
  std::printf("\nAdam on Beale (lr 1e-3, betas 0.9/0.8) from (3, 4), %lld iterations, ends at (%.6f, %.6f)\n",
              static_cast<long long>(result.iterations), result.x[0], result.x[1]);
  std::printf("per iteration, %d runs: CPU time best / median / worst, wall time best\n", beale_runs);
  auto row = [](const char* what, const Spread& cpu, const Spread* wall) {
    std::printf("  %-48s %6.1f / %6.1f / %6.1f ns", what, cpu.best(), cpu.median(), cpu.worst());
    if (wall) std::printf(" %9.1f ns", wall->best());
    std::printf("\n");
  };
  row("kobai::minimize + kobai::Adam, objective struct", plain_cpu, &plain_wall);
  row("kobai::minimize + kobai::Adam, problems::beale()", problem_cpu, &problem_wall);
  row("kobai::Adam::step + objective struct, bare loop", step_loop_cpu, nullptr);
  row("no library: gradient + Adam fused by hand", hand_cpu, nullptr);
  std::printf("  %-48s %6.2f / %6.2f / %6.2f  (latency floor = 1)\n", "objective struct / by hand, same round",
              ratio.best(), ratio.median(), ratio.worst());
  if (torch_beale > 0)
    std::printf("  torch.optim.Adam + autograd (%d iterations)  %9.0f ns wall  (%.0fx kobai)\n",
                torch_beale_iterations, torch_beale, torch_beale / plain_wall.best());
  return 0;
}
