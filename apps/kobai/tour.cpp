// kobai/tour.cpp — `kobai tour` (being written; see docs/cli.md).
#include <iostream>

#include "kobai/commands.hpp"

namespace kobai::cli {

void add_tour_command(CLI::App& app) {
  auto* command = app.add_subcommand("tour", "work in progress");
  command->callback([] { std::cout << "kobai tour: work in progress\n"; });
}

}  // namespace kobai::cli
