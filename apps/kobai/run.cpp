// kobai/run.cpp — `kobai run` (being written; see docs/cli.md).
#include <iostream>

#include "kobai/commands.hpp"

namespace kobai::cli {

void add_run_command(CLI::App& app) {
  auto* command = app.add_subcommand("run", "work in progress");
  command->callback([] { std::cout << "kobai run: work in progress\n"; });
}

}  // namespace kobai::cli
