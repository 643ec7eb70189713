// kobai/playground.cpp — `kobai playground [FILE.html]`: writes the browser playground.
//
//   kobai playground                                   # playground.html, the page's defaults
//   kobai playground beale.html --function beale --optimizers gd,adam --start 1,1.5
//
// The page runs kobai's engine compiled to WebAssembly and opens offline (docs/playground.md).
// The options only choose what it shows on opening; everything can be changed in the page.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/optim/line_search_registry.hpp"
#include "kobai/optim/registry.hpp"
#include "kobai/report/playground_page.hpp"

namespace kobai::cli {

namespace {

struct PlaygroundArguments {
  std::string file = "playground.html";
  ProblemChoice problem;
  std::optional<std::string> start;
  std::optional<std::string> optimizers;
  std::optional<std::int64_t> iterations;
};

bool known_optimizer(const std::string& name) {
  if (is_first_order(name)) return true;
  for (const std::string& n : line_search_method_names())
    if (n == name) return true;
  return false;
}

// The page's state on opening (the same object it keeps in its URL), from the options given.
nlohmann::json initial_state(const PlaygroundArguments& a) {
  nlohmann::json state = nlohmann::json::object();
  if (!a.problem.function.empty() || a.problem.expr) {
    const problems::Problem p = a.problem.make();
    if (p.dimension() != 1 && p.dimension() != 2)
      throw InvalidArgument("the playground draws functions of 1 or 2 variables, got dimension " +
                            std::to_string(p.dimension()) + " for " + a.problem.label());
    state["problem"] = a.problem.expr ? nlohmann::json{{"expr", *a.problem.expr}}
                                      : nlohmann::json{{"name", a.problem.function}};
    if (a.start) state["start"] = to_json(start_point(p, a.start, "--start"));
  } else if (a.start) {
    throw InvalidArgument("--start needs --function or --expr (the start's dimension is the problem's)");
  }
  if (a.optimizers) {
    nlohmann::json runs = nlohmann::json::array();
    std::string list = *a.optimizers + ",";
    for (std::size_t begin = 0, end; (end = list.find(',', begin)) != std::string::npos; begin = end + 1) {
      const std::string name = list.substr(begin, end - begin);
      if (!known_optimizer(name))
        throw InvalidArgument("--optimizers: unknown optimizer '" + name + "'");
      runs.push_back({{"optimizer", name}, {"hyper", nlohmann::json::object()}});
    }
    state["runs"] = runs;
  }
  if (a.iterations) {
    if (*a.iterations < 1 || *a.iterations > 1'000'000)
      throw InvalidArgument("--iterations must be in [1, 1000000], got " + std::to_string(*a.iterations));
    state["stopping"] = {{"max_iterations", *a.iterations}};
  }
  return state.empty() ? nlohmann::json() : state;
}

void write(const PlaygroundArguments& a) {
  const std::filesystem::path path(a.file);
  const std::string ext = path.extension().string();
  if (ext != ".html" && ext != ".htm")
    throw InvalidArgument("the playground file must end in .html, got '" + a.file + "'");
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw InvalidArgument("directory '" + directory.string() + "' does not exist");
  const nlohmann::json state = initial_state(a);
  try {
    report::write_playground(path, {.initial_state = state.is_null() ? std::string() : state.dump()});
  } catch (const report::FileWriteError& e) {
    throw FileError(e.what());
  }
  std::cout << "wrote " << a.file << " (open it in a browser; it needs no network)\n";
}

}  // namespace

void add_playground_command(CLI::App& app) {
  auto arguments = std::make_shared<PlaygroundArguments>();
  PlaygroundArguments& a = *arguments;
  auto* command = app.add_subcommand("playground", "write the browser playground: one offline HTML page");
  command->add_option("file", a.file, "the page to write (default playground.html)");
  add_problem_options(*command, a.problem);
  command->add_option("--start,-s", a.start, "start point on opening, a[,b]");
  command->add_option("--optimizers", a.optimizers, "optimizers shown on opening, e.g. gd,adam");
  command->add_option("--iterations", a.iterations, "iterations per run on opening");
  command->callback([arguments] { write(*arguments); });
}

}  // namespace kobai::cli
