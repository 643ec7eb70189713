// kobai/check.cpp — `kobai check` (being written; see docs/cli.md).
#include <iostream>

#include "kobai/commands.hpp"

namespace kobai::cli {

void add_check_command(CLI::App& app) {
  auto* command = app.add_subcommand("check", "work in progress");
  command->callback([] { std::cout << "kobai check: work in progress\n"; });
}

}  // namespace kobai::cli
