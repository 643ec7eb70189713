// kobai — the command line. Subcommands are registered from one file each (see commands.hpp);
// this file only parses and turns errors into one line on standard error and an exit code.
// Under mpirun every rank runs this same main (world.hpp): rank 0 alone prints help and errors.
#include <cstdio>
#include <exception>
#include <string>

#include "kobai/core/error.hpp"
#include "kobai/expr/parse_error.hpp"
#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/world.hpp"
#include "kobai/interrupt.hpp"

int main(int argc, char** argv) {
  kobai::cli::install_interrupt_handler();
  kobai::cli::set_command_line(argc, argv);
  CLI::App app{"kobai (勾配): gradient-based optimization, from the command line"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kobai 0.1.0");

  kobai::cli::add_functions_command(app);
  kobai::cli::add_run_command(app);
  kobai::cli::add_check_command(app);
  kobai::cli::add_tour_command(app);
  kobai::cli::add_compare_command(app);
  kobai::cli::add_sweep_command(app);
  kobai::cli::add_basin_command(app);
  kobai::cli::add_train_command(app);
  kobai::cli::add_predict_command(app);
  kobai::cli::add_playground_command(app);

  try {
    kobai::cli::start_world();
  } catch (const kobai::InvalidArgument& e) {
    return kobai::cli::report_error(e.what(), kobai::cli::exit_bad_input);
  }
  using kobai::cli::end_with_error;
  using kobai::cli::exit_bad_input;
  using kobai::cli::exit_file_error;

  // CLI11 reports an unknown subcommand as "A subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* command : app.get_subcommands({})) known = known || command->check_name(argv[1]);
    if (!known) {
      const int code = end_with_error(std::string("unknown command '") + argv[1] + "'; run 'kobai --help' for the list",
                                      exit_bad_input, /*bad_input=*/true);
      kobai::cli::stop_world();
      return code;
    }
  }

  // Under mpirun only sweep, compare, basin and train split their work; any other command is done once,
  // by rank 0, while the other ranks leave at once (instead of printing the same thing K times).
  if (kobai::cli::world().size() > 1 && !kobai::cli::is_output_rank() && argc > 1) {
    const std::string command = argv[1];
    if (command != "sweep" && command != "compare" && command != "basin" && command != "train") {
      kobai::cli::stop_world();
      return 0;
    }
  }

  int code = 0;
  bool failed = false;  // an error was reported (its code stands even after Ctrl-C)
  try {
    app.parse(argc, argv);
    code = kobai::cli::exit_status();
  } catch (const CLI::CallForHelp& e) {
    code = kobai::cli::is_output_rank() ? app.exit(e) : 0;
  } catch (const CLI::CallForAllHelp& e) {
    code = kobai::cli::is_output_rank() ? app.exit(e) : 0;
  } catch (const CLI::CallForVersion& e) {
    code = kobai::cli::is_output_rank() ? app.exit(e) : 0;
  } catch (const CLI::ParseError& e) {
    failed = true;
    code = end_with_error(e.what(), exit_bad_input, /*bad_input=*/true);
  } catch (const kobai::expr::ParseError& e) {
    // The one multi-line error: the typed text with a caret under the mistake.
    failed = true;
    code = end_with_error(e.what(), exit_bad_input, /*bad_input=*/true, /*keep_lines=*/true);
  } catch (const kobai::InvalidArgument& e) {
    failed = true;
    code = end_with_error(e.what(), exit_bad_input, /*bad_input=*/true);
  } catch (const kobai::cli::FileError& e) {
    failed = true;
    code = end_with_error(e.what(), exit_file_error, /*bad_input=*/false);
  } catch (const std::exception& e) {
    failed = true;
    code = end_with_error(e.what(), exit_file_error, /*bad_input=*/false);
  }
  kobai::cli::stop_world();
  // Interrupted: everything asked for has been printed and written; the code still says Ctrl-C.
  if (!failed && kobai::cli::interrupted()) return kobai::cli::exit_interrupted;
  return code;
}
