// kobai — the command line. Subcommands are registered from one file each (see commands.hpp);
// this file only parses and turns errors into one line on standard error and an exit code.
#include <cstdio>
#include <exception>
#include <string>

#include "kobai/core/error.hpp"
#include "kobai/expr/parse_error.hpp"
#include "kobai/commands.hpp"
#include "kobai/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"kobai (勾配): gradient-based optimization, from the command line"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kobai 0.1.0");

  kobai::cli::add_functions_command(app);
  kobai::cli::add_run_command(app);
  kobai::cli::add_check_command(app);
  kobai::cli::add_tour_command(app);
  kobai::cli::add_compare_command(app);
  kobai::cli::add_sweep_command(app);
  kobai::cli::add_train_command(app);
  kobai::cli::add_predict_command(app);
  kobai::cli::add_playground_command(app);

  // CLI11 reports an unknown subcommand as "A subcommand is required"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* command : app.get_subcommands({})) known = known || command->check_name(argv[1]);
    if (!known)
      return kobai::cli::report_error(std::string("unknown command '") + argv[1] +
                                          "'; run 'kobai --help' for the list",
                                      kobai::cli::exit_bad_input);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return kobai::cli::report_error(e.what(), kobai::cli::exit_bad_input);
  } catch (const kobai::expr::ParseError& e) {
    // The one multi-line error: the typed text with a caret under the mistake.
    return kobai::cli::report_error(e.what(), kobai::cli::exit_bad_input, /*keep_lines=*/true);
  } catch (const kobai::InvalidArgument& e) {
    return kobai::cli::report_error(e.what(), kobai::cli::exit_bad_input);
  } catch (const kobai::cli::FileError& e) {
    return kobai::cli::report_error(e.what(), kobai::cli::exit_file_error);
  } catch (const std::exception& e) {
    return kobai::cli::report_error(e.what(), kobai::cli::exit_file_error);
  }
  return kobai::cli::exit_status();
}
