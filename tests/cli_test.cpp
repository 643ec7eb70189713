// Tests of the `kobai` command line: runs the built program (KOBAI_EXE) and checks exit codes,
// the JSON on stdout, the one-line errors on stderr, the files it writes, and that `kobai tour`
// reproduces the seeds' printed numbers where the seed's algorithm is the standard one.
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "kobai/problems/registry.hpp"

#include "support/cli_runner.hpp"

#ifndef KOBAI_EXE
#error "KOBAI_EXE (the path of the built kobai program) must be defined"
#endif

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using kobai_test::Output;
using kobai_test::slurp;
using kobai_test::TempDir;

// `--report` embeds the built web files (report.js, report.css, the engine; basin.js/.css and
// training.js/.css for `kobai basin` and `kobai train`: report/web_assets.hpp).
// A build without them (the sanitizer build leaves the playground out) runs these tests with
// stand-ins named by KOBAI_PLAYGROUND_DIR: they check the command (files written whole, exit codes),
// not the page, which the browser test checks.
class WebFiles : public ::testing::Environment {
 public:
  void SetUp() override {
    if (std::getenv("KOBAI_PLAYGROUND_DIR") != nullptr || fs::exists(fs::path(KOBAI_WEB_DIR) / "report.js")) return;
    dir_ = fs::temp_directory_path() / ("kobai_cli_test_web_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    for (const char* file : {"report.js", "report.css", "kobai_engine.js", "basin.js", "basin.css", "training.js",
                             "training.css"}) std::ofstream(dir_ / file) << "/* stand-in */";
    ::setenv("KOBAI_PLAYGROUND_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    if (dir_.empty()) return;
    ::unsetenv("KOBAI_PLAYGROUND_DIR");
    fs::remove_all(dir_);
  }

 private:
  fs::path dir_;
};
[[maybe_unused]] const ::testing::Environment* const web_files = ::testing::AddGlobalTestEnvironment(new WebFiles);

Output kobai(const std::string& arguments) { return kobai_test::run_shell(std::string(KOBAI_EXE) + " " + arguments); }

json kobai_json(const std::string& arguments) {
  const Output o = kobai(arguments);
  EXPECT_EQ(o.code, 0) << arguments << "\n" << o.err;
  return json::parse(o.out);
}

// ---- functions ----------------------------------------------------------------------------------

TEST(Functions, ListsEveryRegisteredProblem) {
  const json rows = kobai_json("functions --json");
  const auto names = kobai::problems::names();
  ASSERT_EQ(rows.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(rows[i]["name"], names[i]);
    const auto p = kobai::problems::make(names[i]);
    EXPECT_EQ(rows[i]["dimension"], p.dimension());
    EXPECT_EQ(rows[i]["global_minimizers"].size(), p.global_minimizers.size());
    EXPECT_EQ(rows[i]["box_lower"].size(), static_cast<std::size_t>(p.dimension()));
  }
  const Output text = kobai("functions");
  EXPECT_EQ(text.code, 0);
  for (const auto& name : names) EXPECT_NE(text.out.find(name), std::string::npos) << name;
}

// ---- run ----------------------------------------------------------------------------------------

TEST(Run, SphereGradientDescentMatchesTheClosedForm) {
  // x_k = (1 − 2·lr)^k x_0 exactly in real arithmetic; 100 multiplications by 0.8 round to within
  // ~100 ulp, hence 1e-13 relative.
  const json j = kobai_json("run --function sphere --optimizer gd --lr 0.1 --start -3,4 --iterations 100 "
                            "--tolerance 0 --json");
  const double factor = std::pow(0.8, 100);
  ASSERT_EQ(j["x"].size(), 2u);
  EXPECT_NEAR(j["x"][0].get<double>(), -3 * factor, 1e-13 * 3 * factor);
  EXPECT_NEAR(j["x"][1].get<double>(), 4 * factor, 1e-13 * 4 * factor);
  EXPECT_NEAR(j["value"].get<double>(), 25 * factor * factor, 1e-12 * 25 * factor * factor);
  EXPECT_NEAR(j["gradient_max_abs"].get<double>(), 8 * factor, 1e-12 * 8 * factor);
  EXPECT_EQ(j["iterations"], 100);
  EXPECT_EQ(j["status"], "iteration_limit");
  EXPECT_TRUE(j["diverged_at"].is_null());
  EXPECT_EQ(j["function_evaluations"], 101);
  EXPECT_EQ(j["gradient_evaluations"], 101);
  EXPECT_EQ(j["problem"]["name"], "sphere");
  EXPECT_EQ(j["optimizer"], "gd");
  EXPECT_EQ(j["hyperparameters"]["lr"], 0.1);
  EXPECT_TRUE(j["hyperparameters"].contains("momentum"));  // defaults are reported too
  EXPECT_FALSE(j["message"].get<std::string>().empty());
}

TEST(Run, DefaultsAreReportedAndTheStandardStartIsUsed) {
  const json j = kobai_json("run -f beale -o adam -n 10 --json");
  const auto beale = kobai::problems::beale();
  ASSERT_EQ(j["start"].size(), 2u);
  EXPECT_EQ(j["start"][0], beale.start[0]);
  EXPECT_EQ(j["start"][1], beale.start[1]);
  // torch.optim.Adam's defaults.
  EXPECT_EQ(j["hyperparameters"]["lr"], 0.001);
  EXPECT_EQ(j["hyperparameters"]["beta1"], 0.9);
  EXPECT_EQ(j["hyperparameters"]["beta2"], 0.999);
  EXPECT_EQ(j["hyperparameters"]["eps"], 1e-8);
  EXPECT_EQ(j["hyperparameters"]["amsgrad"], false);  // a flag is a JSON boolean, not 0
  EXPECT_EQ(j["iterations"], 10);
  EXPECT_EQ(kobai_json("run -f beale -o momentum --momentum 0.9 --nesterov -n 3 --json")
                ["hyperparameters"]["nesterov"], true);
  EXPECT_NE(kobai("run -f beale -o rmsprop --centered -n 3").out.find("centered true"), std::string::npos);
}

TEST(Run, DivergenceIsAStatusNotAnError) {
  // lr 10 multiplies x by −19 per step: f_k = 25·361^k passes 1e20 at k = 8.
  const Output o = kobai("run -f sphere --lr 10 --start -3,4 -n 100 --json");
  EXPECT_EQ(o.code, 0) << o.err;
  const json j = json::parse(o.out);
  EXPECT_EQ(j["status"], "diverged");
  EXPECT_EQ(j["diverged_at"], 8);
  EXPECT_EQ(j["iterations"], 8);
  EXPECT_NE(j["message"].get<std::string>().find("iteration 8"), std::string::npos);
  // x is the last finite iterate, x_7 = (−19)^7·(−3, 4).
  EXPECT_DOUBLE_EQ(j["x"][0].get<double>(), -3 * std::pow(-19.0, 7));
}

TEST(Run, DivergenceBoundCanBeDisabled) {
  const json j = kobai_json("run -f sphere --lr 10 --start -3,4 -n 100 --tolerance 0 --divergence-bound inf --json");
  EXPECT_EQ(j["status"], "iteration_limit");
  EXPECT_NEAR(j["x"][1].get<double>() / (4 * std::pow(19.0, 100)), 1.0, 1e-12);
}

TEST(Run, HumanSummary) {
  const Output o = kobai("run -f cubic --lr 0.01 -n 200");
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("converged after 176 iterations"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("2.999999999256501"), std::string::npos) << o.out;
}

TEST(Run, LineSearchMethods) {
  const json j = kobai_json("run -f rosenbrock -o bfgs --json");
  EXPECT_EQ(j["status"], "converged");
  EXPECT_NEAR(j["x"][0].get<double>(), 1.0, 1e-6);
  EXPECT_NEAR(j["x"][1].get<double>(), 1.0, 1e-6);
  EXPECT_EQ(j["hyperparameters"]["line_search"], "wolfe");
  const json g = kobai_json("run -f rosenbrock -o gd --line-search armijo -n 50 --json");
  EXPECT_EQ(g["hyperparameters"]["line_search"], "armijo");
}

TEST(Run, ScheduleIsApplied) {
  // exponential:0.5 halves the lr every step: with lr 0.1 on the sphere, x_k = Π(1 − 0.2·0.5^t)·x_0.
  const json j = kobai_json("run -f sphere --lr 0.1 --schedule exponential:0.5 --start 1,1 -n 3 --tolerance 0 --json");
  const double expected = (1 - 0.2) * (1 - 0.1) * (1 - 0.05);
  EXPECT_NEAR(j["x"][0].get<double>(), expected, 1e-15);
}

TEST(Run, ExpressionTypedAsText) {
  // Himmelblau typed as text, from the origin: plain gd lr 0.01 reaches its minimum (3, 2).
  const json j = kobai_json("run --expr '(x^2 + y - 11)^2 + (x + y^2 - 7)^2' --start 0,0 --lr 0.01 -n 5000 --json");
  EXPECT_EQ(j["status"], "converged");
  EXPECT_NEAR(j["x"][0].get<double>(), 3.0, 1e-8);
  EXPECT_NEAR(j["x"][1].get<double>(), 2.0, 1e-8);
  // A typo is bad input; its message quotes the text with a caret (the one multi-line error).
  const Output o = kobai("run --expr 'sin(x + 1'");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("sin(x + 1"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find('^'), std::string::npos) << o.err;
}

TEST(Run, ReportAndHistoryTogether) {
  TempDir dir;
  const fs::path page = dir.path() / "run.html", history = dir.path() / "run.csv";
  Output o = kobai("run -f sphere --lr 0.1 -n 20 --report " + page.string() + " --history " + history.string());
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(slurp(page).find("<html"), std::string::npos);
  EXPECT_TRUE(fs::exists(history));
  // A report path that cannot be used is rejected before the run: no file at all.
  TempDir empty;
  o = kobai("run -f sphere --report " + (empty.path() / "run.txt").string() + " --history " +
            (empty.path() / "run.csv").string());
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_TRUE(empty.files().empty());
}

// ---- errors: exit 2, one line on stderr naming the bad value, no file left behind ---------------

struct BadInput {
  std::string arguments;
  std::string names;  // what the error line must contain
};

// The case's arguments in test names and failure messages (gtest prints raw bytes otherwise).
void PrintTo(const BadInput& input, std::ostream* os) { *os << "kobai " << input.arguments; }

class RunErrors : public ::testing::TestWithParam<BadInput> {};

TEST_P(RunErrors, OneLineNamingTheValueAndNoFile) {
  TempDir dir;
  const fs::path history = dir.path() / "history.csv";
  const Output o = kobai(GetParam().arguments + " --history " + history.string());
  EXPECT_EQ(o.code, 2) << GetParam().arguments << "\n" << o.err;
  EXPECT_TRUE(o.out.empty()) << o.out;
  ASSERT_FALSE(o.err.empty());
  EXPECT_EQ(o.err.rfind("kobai: error: ", 0), 0u) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_NE(o.err.find(GetParam().names), std::string::npos) << o.err;
  EXPECT_TRUE(dir.files().empty()) << "left behind: " << dir.files().front();
}

INSTANTIATE_TEST_SUITE_P(
    Cli, RunErrors,
    ::testing::Values(BadInput{"run -f nope", "'nope'"},
                      BadInput{"run -f sphere -o sgdx", "'sgdx'"},
                      BadInput{"run -f sphere --lr -0.1", "--lr must be > 0, got -0.1"},
                      BadInput{"run -f sphere --lr 0", "--lr must be > 0, got 0"},
                      BadInput{"run -f sphere --lr abc", "'abc'"},
                      BadInput{"run -f sphere --lr nan", "'nan'"},
                      BadInput{"run -f beale -o adam --beta1 1.0", "--beta1"},
                      BadInput{"run -f beale -o adam --beta2 -0.5", "-0.5"},
                      BadInput{"run -f beale -o momentum --momentum 1.5", "1.5"},
                      BadInput{"run -f beale -o adagrad --initial-accumulator -1",
                               "--initial-accumulator must be >= 0, got -1"},
                      BadInput{"run -f beale --start 1,2,3", "'1,2,3'"},
                      BadInput{"run -f beale --start nan,1", "'nan'"},
                      BadInput{"run -f beale --start 1,x", "'x'"},
                      BadInput{"run -f beale --start 1,,2", "'1,,2'"},
                      BadInput{"run -f beale --start ''", "--start"},
                      BadInput{"run -f beale -o gd --rho 0.9", "--rho"},
                      BadInput{"run -f beale --schedule step:0:0.5", "step:0:0.5"},
                      BadInput{"run -f beale --schedule warp:2", "'warp'"},
                      BadInput{"run -f beale --tolerance -1", "-1"},
                      BadInput{"run -f beale --iterations -5", "-5"},
                      BadInput{"run -f beale --iterations 1.5", "1.5"},
                      BadInput{"run -f rosenbrock -d 3", "3"},
                      BadInput{"run -f rosenbrock -o bfgs --momentum 0.9", "--momentum"},
                      BadInput{"run -f beale --bogus", "--bogus"}));

TEST(Errors, UnknownCommandAndBadHistoryName) {
  Output o = kobai("bogus");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("'bogus'"), std::string::npos) << o.err;

  TempDir dir;
  o = kobai("run -f sphere --history " + (dir.path() / "h.txt").string());
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("h.txt"), std::string::npos) << o.err;
  EXPECT_TRUE(dir.files().empty());

  o = kobai("run -f sphere --history " + (dir.path() / "missing" / "h.csv").string());
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("missing"), std::string::npos) << o.err;
  EXPECT_TRUE(dir.files().empty());
}

// ---- history files ------------------------------------------------------------------------------

TEST(History, CsvRowsFollowTheStrideAndKeepTheLastIteration) {
  TempDir dir;
  const fs::path file = dir.path() / "h.csv";
  const Output o = kobai("run -f sphere --lr 0.1 --start -3,4 -n 10 --tolerance 0 --history " +
                         file.string() + " --history-stride 3 --json");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(dir.files(), std::vector<std::string>{"h.csv"});  // no temporary left over
  std::istringstream in(slurp(file));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "iteration,x0,x1,value,gradient_max_abs,gradient_norm,lr");
  std::vector<int> iterations;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string cell;
    std::vector<double> cells;
    while (std::getline(row, cell, ',')) cells.push_back(std::stod(cell));
    ASSERT_EQ(cells.size(), 7u) << line;
    const int k = static_cast<int>(cells[0]);
    iterations.push_back(k);
    const double factor = std::pow(0.8, k);
    EXPECT_NEAR(cells[1], -3 * factor, 1e-14);
    EXPECT_NEAR(cells[2], 4 * factor, 1e-14);
    EXPECT_NEAR(cells[3], 25 * factor * factor, 1e-13);
    EXPECT_NEAR(cells[4], 8 * factor, 1e-13);   // max |2x_i|
    EXPECT_NEAR(cells[5], 10 * factor, 1e-13);  // ‖2x‖
    EXPECT_EQ(cells[6], 0.1);
  }
  EXPECT_EQ(iterations, (std::vector<int>{0, 3, 6, 9, 10}));
}

TEST(History, JsonHasTheSameColumns) {
  TempDir dir;
  const fs::path file = dir.path() / "h.json";
  const Output o = kobai("run -f sphere --lr 0.1 --start -3,4 -n 10 --tolerance 0 --history " +
                         file.string() + " --history-stride 5");
  ASSERT_EQ(o.code, 0) << o.err;
  const json h = json::parse(slurp(file));
  EXPECT_EQ(h["stride"], 5);
  EXPECT_EQ(h["dimension"], 2);
  EXPECT_EQ(h["iteration"], (json{0, 5, 10}));
  ASSERT_EQ(h["x"].size(), 3u);
  EXPECT_NEAR(h["x"][2][0].get<double>(), -3 * std::pow(0.8, 10), 1e-14);
  EXPECT_EQ(h["value"].size(), 3u);
  EXPECT_EQ(h["lr"][1], 0.1);
}

// ---- check --------------------------------------------------------------------------------------

TEST(Check, BealeAtTheSeedsStartPasses) {
  const Output o = kobai("check -f beale --at 3,4 --json");
  EXPECT_EQ(o.code, 0) << o.err;
  const json j = json::parse(o.out);
  EXPECT_TRUE(j["passed"].get<bool>());
  // Seed 003 prints the gradient at (3, 4): [25625.25 57519.] (exact in binary).
  EXPECT_EQ(j["analytic"], (json{25625.25, 57519.0}));
  EXPECT_NEAR(j["numerical"][0].get<double>(), 25625.25, 1e-4);
  EXPECT_LT(j["max_relative_error"].get<double>(), 1e-6);
  for (const char* key : {"absolute_error", "relative_error", "worst_component", "tolerance"})
    EXPECT_TRUE(j.contains(key)) << key;

  const Output text = kobai("check -f beale --at 3,4");
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("passed"), std::string::npos) << text.out;
}

TEST(Check, BadPointIsAUsageError) {
  const Output o = kobai("check -f beale --at 1,2,3");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("'1,2,3'"), std::string::npos) << o.err;
}

// Seed 003 §2.4: a gradient derived by hand, typed as text, against the exact one.
TEST(Check, HandGradientTypedAsTextAgreesWithTheExactOne) {
  // f = x²y + sin(y): ∇f = (2xy, x² + cos y); at (1, 2): (4, 1 + cos 2).
  const Output o = kobai("check --expr \"x^2*y + sin(y)\" --grad \"2*x*y, x^2 + cos(y)\" --at 1,2 --json");
  EXPECT_EQ(o.code, 0) << o.err;
  const json j = json::parse(o.out);
  EXPECT_TRUE(j["passed"].get<bool>());
  EXPECT_EQ(j["tolerance"], 1e-9);
  EXPECT_EQ(j["hand"][0], 4.0);
  EXPECT_DOUBLE_EQ(j["exact"][1].get<double>(), 1 + std::cos(2.0));
  EXPECT_LE(j["max_relative_error"].get<double>(), 1e-15);

  const Output text = kobai("check --expr \"x^2*y + sin(y)\" --grad \"2*x*y, x^2 + cos(y)\" --at 1,2");
  EXPECT_NE(text.out.find("exact"), std::string::npos) << text.out;
}

TEST(Check, WrongHandGradientFailsAndNamesTheComponent) {
  // The classic mistake: the factor 2 forgotten in ∂(x²y)/∂x.
  const Output o = kobai("check --expr \"x^2*y\" --grad \"x*y, x^2\" --at 1,2 --json");
  EXPECT_EQ(o.code, 1) << o.err;
  const json j = json::parse(o.out);
  EXPECT_FALSE(j["passed"].get<bool>());
  EXPECT_EQ(j["worst_component"], 0);
  EXPECT_EQ(j["hand"][0], 2.0);
  EXPECT_EQ(j["exact"][0], 4.0);
  EXPECT_DOUBLE_EQ(j["relative_error"][0].get<double>(), 0.5);
}

TEST(Check, HandGradientAlsoChecksABuiltInProblem) {
  // Works with --function too: the reference is then the problem's analytic gradient.
  EXPECT_EQ(kobai("check -f sphere --grad \"2*x, 2*y\" --at 3,4").code, 0);
  EXPECT_EQ(kobai("check -f sphere --grad \"2*x, -2*y\" --at 3,4").code, 1);
}

TEST(Check, BadHandGradientIsAUsageError) {
  const Output count = kobai("check --expr \"x^2*y\" --grad \"2*x*y\" --at 1,2");
  EXPECT_EQ(count.code, 2);
  EXPECT_NE(count.err.find("2 components"), std::string::npos) << count.err;
  const Output syntax = kobai("check --expr \"x^2*y\" --grad \"2*x*y, x^\" --at 1,2");
  EXPECT_EQ(syntax.code, 2);
  EXPECT_NE(syntax.err.find("^"), std::string::npos) << syntax.err;
  EXPECT_TRUE(syntax.out.empty()) << syntax.out;
  const Output step = kobai("check --expr \"x^2*y\" --grad \"2*x*y, x^2\" --step 1e-3");
  EXPECT_EQ(step.code, 2);
  EXPECT_NE(step.err.find("--step"), std::string::npos) << step.err;
}

// ---- compare and sweep ---------------------------------------------------------------------------

// A command that reruns a run (as a report's "reproduce" line shows it), without the "kobai " prefix.
std::string rerun_arguments(const json& run) {
  const std::string command = run["command"].get<std::string>();
  EXPECT_EQ(command.rfind("kobai run ", 0), 0u) << command;
  return command.substr(6) + " --json";
}

TEST(Compare, TypedFunctionWorksAndEachRunsCommandReproducesIt) {
  const json j = kobai_json("compare --expr '(x - 1)^2 + 3*(y + 2)^2' --optimizers gd,adam "
                            "--lr gd=0.05,adam=0.1 --start 0,0 -n 40 --tolerance 0 --json");
  ASSERT_EQ(j["runs"].size(), 2u);
  for (const json& run : j["runs"]) {
    EXPECT_NE(run["command"].get<std::string>().find("--expr '(x - 1)^2 + 3*(y + 2)^2'"), std::string::npos)
        << run["command"];
    const json again = kobai_json(rerun_arguments(run));
    EXPECT_EQ(again["x"], run["x"]) << run["command"];
    EXPECT_EQ(again["iterations"], run["iterations"]);
  }
  // gd with lr 0.05 on this bowl: x − 1 shrinks by 0.9 a step, y + 2 by 0.7.
  EXPECT_NEAR(j["runs"][0]["x"][0].get<double>(), 1 - std::pow(0.9, 40), 1e-12);
  EXPECT_NEAR(j["runs"][0]["x"][1].get<double>(), -2 + 2 * std::pow(0.7, 40), 1e-12);
}

TEST(Sweep, TypedFunctionGivesTheSeedsLearningRateStory) {
  // Seed 002: (5 − x)² from −5. After 30 steps lr 0.1 is still descending (f = 100·0.64^30 =
  // 1.5e-4, falling 0.64× a step), 0.9 oscillates ((−0.8)^k), 1.1 diverges; 100 steps of lr 0.1
  // bring |f'| to 20·0.8^100 = 4e-9: converged.
  const json j = kobai_json("sweep --expr '(5 - x)^2' --optimizer gd --lr 0.1,0.9,1.1 --start=-5 "
                            "-n 30 --tolerance 0 --json");
  ASSERT_EQ(j["runs"].size(), 3u);
  EXPECT_EQ(j["runs"][0]["verdict"], "descending");
  EXPECT_EQ(j["runs"][1]["verdict"], "oscillating");
  EXPECT_EQ(j["runs"][2]["verdict"], "diverged");
  EXPECT_TRUE(j["not_run"].empty());
  EXPECT_EQ(kobai_json("sweep --expr '(5 - x)^2' --lr 0.1,0.2 --start=-5 -n 100 --tolerance 0 --json")
                ["runs"][0]["verdict"], "converged");
  const json again = kobai_json(rerun_arguments(j["runs"][1]));
  EXPECT_EQ(again["x"], j["runs"][1]["x"]);
}

TEST(Compare, NeedsExactlyOneProblem) {
  const Output none = kobai("compare --optimizers gd,adam");
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("--function NAME or --expr TEXT"), std::string::npos) << none.err;
  const Output both = kobai("sweep -f beale --expr 'x^2' --lr 0.1,0.2");
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.err.find("got both"), std::string::npos) << both.err;
}

// ---- start point and dimension ------------------------------------------------------------------

// As x0 in SciPy: for a problem of any dimension a start point without --dimension sets it.
TEST(Start, SetsTheDimensionOfAProblemOfAnyDimension) {
  const json j = kobai_json("run --function rosenbrock --start=-1.2,1,-1.2,1 -o lbfgs --json");
  EXPECT_EQ(j["problem"]["dimension"], 4);
  EXPECT_EQ(j["start"], (json{-1.2, 1, -1.2, 1}));
  ASSERT_EQ(j["x"].size(), 4u);
  for (const auto& x : j["x"]) EXPECT_NEAR(x.get<double>(), 1.0, 1e-6);  // (1, 1, 1, 1)
  EXPECT_EQ(j["status"], "converged");
  // The same in compare, sweep and check; the commands a report shows carry the dimension.
  const json c = kobai_json("compare -f sphere --optimizers gd,adam --start 1,2,3 -n 5 --json");
  EXPECT_EQ(c["problem"]["dimension"], 3);
  EXPECT_NE(c["runs"][0]["command"].get<std::string>().find("--dimension 3 --start 1,2,3"), std::string::npos)
      << c["runs"][0]["command"];
  EXPECT_EQ(kobai_json(rerun_arguments(c["runs"][1]))["x"], c["runs"][1]["x"]);
  EXPECT_EQ(kobai_json("sweep -f rastrigin --lr 0.001,0.002 --start 1,2,3,4,5 -n 3 --json")["problem"]["dimension"], 5);
  EXPECT_EQ(kobai_json("check -f styblinski_tang --at 1,2,3 --json")["analytic"].size(), 3u);
  // --dimension and a start point that agree are fine.
  EXPECT_EQ(kobai_json("run -f sphere -d 3 --start 1,1,1 -n 1 --json")["problem"]["dimension"], 3);
}

TEST(Start, ConflictWithTheDimensionIsAnError) {
  Output o = kobai("run -f rosenbrock --dimension 6 --start=-1.2,1,-1.2,1");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("--start has 4 numbers ('-1.2,1,-1.2,1') but --dimension is 6"), std::string::npos) << o.err;
  // The dimension the start point sets must be one the problem can have.
  o = kobai("run -f rosenbrock --start 1,2,3");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("rosenbrock needs an even dimension"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("'1,2,3'"), std::string::npos) << o.err;
  // A fixed-dimension problem keeps its dimension; the start point must fit it.
  o = kobai("run -f beale --start 1,2,3");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("--start must have 2 numbers for beale, got 3"), std::string::npos) << o.err;
  o = kobai("check -f sphere -d 2 --at 1,2,3");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("--at has 3 numbers"), std::string::npos) << o.err;
}

// ---- verdicts: what the numbers say, in run, compare, sweep and --json ----------------------------

TEST(Verdict, ConvergedWhenAToleranceIsMetOrTheNumbersAreSmall) {
  const json met = kobai_json("run -f sphere --lr 0.1 --start -3,4 -n 1000 --json");
  EXPECT_EQ(met["status"], "converged");
  EXPECT_EQ(met["verdict"], "converged");
  // At the limit with max|∂f/∂xᵢ| = 8·0.8^100 = 1.6e-9 and f = 1e-18: converged all the same.
  const json small = kobai_json("run -f sphere --lr 0.1 --start -3,4 -n 100 --tolerance 0 --json");
  EXPECT_EQ(small["status"], "iteration_limit");
  EXPECT_EQ(small["verdict"], "converged");
  EXPECT_NE(small["verdict_reason"].get<std::string>().find("no stopping tolerance was met"), std::string::npos);
}

// The comparison: every run stops at the limit with f − f* between 3.8e-5 and 0.039 and
// still falling (gd: f 0.069 → 0.039 over the last 75 iterations): none of them is converged.
TEST(Verdict, StillFallingAtTheLimitIsNeverConverged) {
  const std::string arguments =
      "compare --function beale --optimizers gd,momentum,adagrad,rmsprop,adam --start 1,1.5 --iterations 300 "
      "--lr gd=0.005,momentum=0.005,adagrad=0.5,rmsprop=0.05,adam=0.1";
  const json j = kobai_json(arguments + " --json");
  ASSERT_EQ(j["runs"].size(), 5u);
  for (const json& run : j["runs"]) {
    EXPECT_EQ(run["status"], "iteration_limit") << run["label"];
    EXPECT_EQ(run["verdict"], "descending") << run["label"] << ": " << run["verdict_reason"];
  }
  EXPECT_NEAR(j["runs"][0]["value"].get<double>(), 0.0387, 1e-4);
  EXPECT_NE(j["runs"][0]["verdict_reason"].get<std::string>().find("still falling at the iteration limit"),
            std::string::npos) << j["runs"][0]["verdict_reason"];
  // The table says so too, with each verdict's reason under it.
  const Output table = kobai(arguments);
  EXPECT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("verdict"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("converged"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("gd: f fell from 0.0694 to 0.0387 over the last 75 iterations"), std::string::npos)
      << table.out;
  // And `kobai run` of the same gd run.
  const json gd = kobai_json("run -f beale -o gd --lr 0.005 --start 1,1.5 -n 300 --json");
  EXPECT_EQ(gd["verdict"], "descending");
  const Output summary = kobai("run -f beale -o gd --lr 0.005 --start 1,1.5 -n 300");
  EXPECT_NE(summary.out.find("verdict    descending: f fell from"), std::string::npos) << summary.out;
}

TEST(Verdict, OscillatingStalledAndDiverged) {
  // lr 0.9 on (5 − x)²: x − 5 = (−0.8)^k (−10) crosses the minimum every step.
  const json oscillating = kobai_json("run -f quadratic1d --lr 0.9 -n 30 --tolerance 0 --json");
  EXPECT_EQ(oscillating["verdict"], "oscillating");
  EXPECT_NE(oscillating["verdict_reason"].get<std::string>().find("29 of 29"), std::string::npos);
  // Seed 002's lr 1.0 on sin x + 0.05(5 − x)²: settled in the local minimum at −0.935.
  const json local = kobai_json("run -f sine_bowl --lr 1 -n 30 --tolerance 0 --json");
  EXPECT_EQ(local["verdict"], "stalled");
  EXPECT_NE(local["verdict_reason"].get<std::string>().find("local minimum"), std::string::npos);
  // lr 1e-7 on the sphere: the last 25 of 100 steps remove 1e-5 of f − f*, with |∇f| still 10.
  EXPECT_EQ(kobai_json("run -f sphere --lr 1e-7 --start -3,4 -n 100 --tolerance 0 --json")["verdict"], "stalled");
  // lr 10: f passes the divergence bound at step 8; lr 1.1 on (5 − x)²: f ends above its start.
  EXPECT_EQ(kobai_json("run -f sphere --lr 10 --start -3,4 -n 100 --json")["verdict"], "diverged");
  EXPECT_EQ(kobai_json("run -f quadratic1d --lr 1.1 -n 30 --tolerance 0 --json")["verdict"], "diverged");
}

// ---- Ctrl-C -------------------------------------------------------------------------------------

// The kobai program started with its stdout and stderr on pipes.
class Child {
 public:
  explicit Child(const std::vector<std::string>& arguments) {
    int out[2], err[2];
    if (::pipe(out) != 0 || ::pipe(err) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(err[1], STDERR_FILENO);
      ::close(out[0]), ::close(out[1]), ::close(err[0]), ::close(err[1]);
      std::vector<char*> argv;
      std::string program = KOBAI_EXE;
      argv.push_back(program.data());
      std::vector<std::string> copies = arguments;
      for (auto& a : copies) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]), ::close(err[1]);
    out_ = out[0], err_ = err[0];
  }
  ~Child() {
    if (out_ >= 0) ::close(out_);
    if (err_ >= 0) ::close(err_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  // Reads what the child writes until stderr contains `text` (false after 30 s).
  bool wait_for_stderr(const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (err.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline || !read_some(1000)) return false;
    }
    return true;
  }
  // Reads both pipes to their end and returns the wait status.
  int finish() {
    while (read_some(30000)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }
  // The child's SIGINT disposition: true while a handler is installed (/proc/PID/status SigCgt).
  bool catches_sigint() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("SigCgt:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (SIGINT - 1)) & 1u;
    return false;
  }
  std::string out, err;

 private:
  // One poll of both pipes; false once both are closed (or on a timeout).
  bool read_some(int timeout_ms) {
    pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    if (out_ < 0 && err_ < 0) return false;
    if (::poll(fds, 2, timeout_ms) <= 0) return false;
    char buffer[65536];
    for (int i = 0; i < 2; ++i) {
      int& fd = i == 0 ? out_ : err_;
      if (fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) (i == 0 ? out : err).append(buffer, static_cast<std::size_t>(n));
      else ::close(fd), fd = -1;
    }
    return true;
  }
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  bool reaped_ = false;
};

// Ctrl-C during a long run: the run ends at its current iterate with status interrupted, the
// summary is printed, the --history and --report files are written complete, and the exit code
// is 130 (128 + SIGINT) so scripts still see the interrupt.
TEST(Interrupt, EndsTheRunPrintsTheSummaryAndWritesTheFiles) {
  TempDir dir;
  const fs::path history = dir.path() / "run.csv", page = dir.path() / "run.html";
  Child child({"run", "-f", "beale", "-o", "adam", "--lr", "1e-3", "--beta2", "0.8", "--start", "3,4",
               "--iterations", "2000000000", "--tolerance", "0", "--log-every", "100000", "--history",
               history.string(), "--report", page.string(), "--json"});
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(child.wait_for_stderr("iteration 100000:")) << child.err;  // the run is under way
  ::kill(child.pid(), SIGINT);
  const int status = child.finish();
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << "\n" << child.err;
  EXPECT_EQ(WEXITSTATUS(status), 130) << child.err;
  EXPECT_NE(child.err.find("kobai: interrupted: stopping at the current iterate"), std::string::npos) << child.err;

  const json j = json::parse(child.out);
  EXPECT_EQ(j["status"], "interrupted");
  const std::int64_t iterations = j["iterations"];
  EXPECT_GE(iterations, 100000);
  EXPECT_LT(iterations, 2000000000);
  EXPECT_NE(j["message"].get<std::string>().find("interrupted at iteration " + std::to_string(iterations)),
            std::string::npos) << j["message"];
  EXPECT_FALSE(j["verdict"].get<std::string>().empty());
  EXPECT_NE(j["verdict_reason"].get<std::string>().find("when interrupted"), std::string::npos) << j["verdict_reason"];

  // The history ends with the iterate the run stopped at, exactly as the summary reports it.
  std::istringstream rows(slurp(history));
  std::string line, last;
  while (std::getline(rows, line)) last = line;
  std::vector<std::string> cells;
  std::istringstream cell_stream(last);
  for (std::string cell; std::getline(cell_stream, cell, ',');) cells.push_back(cell);
  ASSERT_EQ(cells.size(), 7u) << last;
  EXPECT_EQ(std::stoll(cells[0]), iterations);
  EXPECT_EQ(std::stod(cells[1]), j["x"][0].get<double>());
  EXPECT_EQ(std::stod(cells[2]), j["x"][1].get<double>());
  // The report is a whole page, and says how the run ended.
  const std::string html = slurp(page);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_NE(html.find("\"status\":\"interrupted\""), std::string::npos);
  EXPECT_EQ(dir.files().size(), 2u);  // no temporary left behind

  // The human summary too (a compare of two runs: the second is not started).
  Child table({"compare", "-f", "beale", "--optimizers", "adam,gd", "--iterations", "2000000000",
               "--tolerance", "0"});
  ::usleep(300000);
  ::kill(table.pid(), SIGINT);
  const int table_status = table.finish();
  ASSERT_TRUE(WIFEXITED(table_status));
  EXPECT_EQ(WEXITSTATUS(table_status), 130);
  EXPECT_NE(table.out.find("interrupted"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("interrupted: not run: gd"), std::string::npos) << table.out;
}

// A second Ctrl-C quits at once, writing nothing more. Deterministic: the child's stderr pipe is
// left unread, so with a log line per iteration it blocks in its loop; the test waits until the
// first SIGINT's handler has run (SA_RESETHAND: /proc shows SIGINT no longer caught).
TEST(Interrupt, SecondCtrlCQuitsAtOnce) {
  TempDir dir;
  const fs::path page = dir.path() / "run.html";
  Child child({"run", "-f", "beale", "-o", "adam", "--iterations", "2000000000", "--tolerance", "0",
               "--log-every", "1", "--report", page.string()});
  ASSERT_GT(child.pid(), 0);
  ::usleep(200000);
  ASSERT_TRUE(child.catches_sigint());
  ::kill(child.pid(), SIGINT);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (child.catches_sigint() && std::chrono::steady_clock::now() < deadline) ::usleep(1000);
  ASSERT_FALSE(child.catches_sigint());
  ::kill(child.pid(), SIGINT);
  const int status = child.finish();
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_TRUE(dir.files().empty());
}

// ---- tour ---------------------------------------------------------------------------------------

// The seeds' printed numbers, copied here from seeds/*.txt (not from the tour's own table).
TEST(Tour, ReproducesTheSeedsWhereTheAlgorithmIsStandard) {
  const json rows = kobai_json(
      "tour --json --only 000-sphere-lr0.1 --only 000-sphere-lr0.001 --only 000-sphere-lr10-seed "
      "--only 003-cubic --only 003-elliptic --only 003-beale-gd --only 003-beale-momentum "
      "--only 003-beale-adagrad-seed --only 000-simplenet-gradient --only 004-linreg-seed");
  std::map<std::string, json> by_id;
  for (const json& row : rows) by_id[row["id"]] = row;
  auto values = [&](const std::string& id) {
    EXPECT_TRUE(by_id.count(id)) << id;
    return by_id[id]["kobai_values"].get<std::vector<double>>();
  };
  auto expect_close = [&](const std::string& id, std::vector<double> seed, double relative) {
    const auto got = values(id);
    ASSERT_EQ(got.size(), seed.size()) << id;
    for (std::size_t i = 0; i < seed.size(); ++i)
      EXPECT_NEAR(got[i], seed[i], relative * std::abs(seed[i])) << id << " component " << i;
    EXPECT_EQ(by_id[id]["match"], "reproduced") << id;
  };
  // Printed with 9 significant digits: agreement to 1e-8 relative is "every printed digit".
  expect_close("000-sphere-lr0.1", {-6.11110793e-10, 8.14814391e-10}, 1e-8);
  expect_close("000-sphere-lr0.001", {-2.45570041, 3.27426722}, 1e-8);
  expect_close("000-sphere-lr10-seed-gradient", {-2.58983747e+13, -1.29524862e+12}, 1e-8);
  // The cubic: the same iterates to the last bit, and the same step count.
  EXPECT_EQ(values("003-cubic"), std::vector<double>{2.999999999256501});
  EXPECT_EQ(by_id["003-cubic"]["ended"], "converged after 176 iterations");
  expect_close("003-elliptic-gd-1000", {-8.26638332e-06, 2.46046384e-98}, 1e-8);
  expect_close("003-elliptic-momentum", {-1.49829905e-08, -4.74284398e-10}, 1e-7);
  EXPECT_EQ(by_id["003-elliptic-momentum"]["ended"], "converged after 177 iterations");
  // 300000 steps along Beale's valley: last-bit rounding differences (kobai's gradient expression,
  // torch-form momentum) stay below the 8–9 printed digits.
  expect_close("003-beale-gd", {2.70735828, 0.41689171}, 1e-7);
  expect_close("003-beale-momentum", {2.96324633, 0.49067782}, 1e-7);
  expect_close("003-beale-adagrad-seed", {-0.69240717, 1.76233766}, 1e-7);
  // simpleNet: the seed's central differences vs kobai's analytic gradient (~4e-9 apart).
  expect_close("000-simplenet-gradient",
               {0.10524418, 0.06047777, -0.16572195, 0.15786627, 0.09071665, -0.24858292}, 1e-7);
  expect_close("004-linreg-seed-update", {3.17241493, 0.338}, 2e-3);
  // 100 steps of the elliptic run are not what the seed printed (its output is 1000 steps).
  EXPECT_EQ(by_id["003-elliptic-gd-100"]["match"], "differs");
}

// Every kobai run of the tour carries the `kobai run` line that repeats it — with the options its
// seed needs, such as --initial-accumulator 1 — and that line gives the same end point, bit for
// bit. The one run that replays seed 003's own Adam code says that no command can.
TEST(Tour, EveryRunCarriesTheCommandThatRepeatsIt) {
  const json rows = kobai_json("tour --json");
  int commands = 0, explained = 0;
  for (const json& row : rows) {
    for (const json& run : row["runs"]) {
      const std::string command = run["command"];
      if (command.rfind("(no kobai command: ", 0) == 0) {
        ++explained;
        EXPECT_EQ(row["id"], "003-beale-adam-seed-rule") << command;
        continue;
      }
      ++commands;
      const json again = kobai_json(rerun_arguments(run));
      EXPECT_EQ(again["x"], run["x"]) << command;
      EXPECT_EQ(again["iterations"], run["iterations"]) << command;
      EXPECT_EQ(again["status"], run["status"]) << command;
    }
    if (!row["runs"].empty()) {
      EXPECT_FALSE(row["verdict"].is_null()) << row["id"];
    }
  }
  EXPECT_EQ(explained, 1);
  EXPECT_GE(commands, 25);
  std::map<std::string, json> by_id;
  for (const json& row : rows) by_id[row["id"]] = row;
  EXPECT_NE(by_id["003-beale-adagrad-seed"]["runs"][0]["command"].get<std::string>().find("--initial-accumulator 1"),
            std::string::npos);
  // Its verdicts: seed 003's 300000 gd steps crawl along Beale's valley (the minimum is (3, 0.5)).
  EXPECT_EQ(by_id["003-beale-gd"]["verdict"], "descending");
  EXPECT_EQ(by_id["002-sine-bowl-lr1"]["verdict"], "stalled");
  EXPECT_EQ(by_id["003-cubic"]["verdict"], "converged");
}

TEST(Tour, TableAndUnknownIds) {
  const Output o = kobai("tour --only 003-cubic");
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("reproduced"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("2.999999999256501"), std::string::npos) << o.out;
  const Output bad = kobai("tour --only 999");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("'999'"), std::string::npos) << bad.err;
}

}  // namespace
