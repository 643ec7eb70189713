// kobai/functions.cpp — `kobai functions` (being written; see docs/cli.md).
#include <iostream>

#include "kobai/commands.hpp"

namespace kobai::cli {

void add_functions_command(CLI::App& app) {
  auto* command = app.add_subcommand("functions", "work in progress");
  command->callback([] { std::cout << "kobai functions: work in progress\n"; });
}

}  // namespace kobai::cli
