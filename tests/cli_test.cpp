// Tests of the `kobai` command line: runs the built program (KOBAI_EXE) and checks exit codes,
// the JSON on stdout, the one-line errors on stderr, the files it writes, and that `kobai tour`
// reproduces the seeds' printed numbers where the seed's algorithm is the standard one.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "kobai/problems/registry.hpp"

#ifndef KOBAI_EXE
#error "KOBAI_EXE (the path of the built kobai program) must be defined"
#endif

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Output {
  int code = -1;
  std::string out, err;
};

// A fresh empty directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("kobai_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) names.push_back(entry.path().filename().string());
    return names;
  }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Output kobai(const std::string& arguments) {
  TempDir dir;
  const fs::path err = dir.path() / "stderr";
  const std::string command = std::string(KOBAI_EXE) + " " + arguments + " 2>" + err.string();
  Output o;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return o;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) o.out.append(buffer, n);
  const int status = ::pclose(pipe);
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.err = slurp(err);
  return o;
}

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
  // Seed 002: (5 − x)² from −5 with lr 0.1 converges, 0.9 oscillates, 1.1 diverges.
  const json j = kobai_json("sweep --expr '(5 - x)^2' --optimizer gd --lr 0.1,0.9,1.1 --start=-5 "
                            "-n 30 --tolerance 0 --json");
  ASSERT_EQ(j["runs"].size(), 3u);
  EXPECT_EQ(j["runs"][0]["behaviour"], "converged");
  EXPECT_EQ(j["runs"][1]["behaviour"], "oscillating");
  EXPECT_EQ(j["runs"][2]["behaviour"], "diverged");
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
