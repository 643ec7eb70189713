// kobai/commands.hpp — the subcommands of the `kobai` program, one file each.
//
// Each `add_*_command(app)` registers one subcommand on the top-level CLI11 app: its options and a
// callback that does the work. main.cpp calls them in order and maps errors to exit codes
// (see common.hpp: 0 done, 1 a check failed, 2 bad input, 3 could not write a file).
// To add a subcommand: declare it here, define it in its own apps/kobai/<name>.cpp, call it from
// main.cpp.
#pragma once

#include <CLI/CLI.hpp>

namespace kobai::cli {

void add_functions_command(CLI::App& app);  // functions.cpp: list the built-in problems
void add_run_command(CLI::App& app);        // run.cpp: one minimization run
void add_check_command(CLI::App& app);      // check.cpp: gradient check on a built-in problem
void add_tour_command(CLI::App& app);       // tour.cpp: every experiment the seeds show
void add_compare_command(CLI::App& app);    // compare.cpp: several optimizers, one map
void add_sweep_command(CLI::App& app);      // sweep.cpp: one hyperparameter varied, runs labelled
void add_basin_command(CLI::App& app);      // basin.cpp: where an optimizer ends from every start of a grid
void add_train_command(CLI::App& app);      // train.cpp: train a network on digits, IDX or CSV data
void add_predict_command(CLI::App& app);    // predict.cpp: a saved network's accuracy on test data
void add_playground_command(CLI::App& app); // playground.cpp: the browser playground page

}  // namespace kobai::cli
