// kobai/interrupt.hpp — Ctrl-C during a run: stop at the current iterate, report, write the files.
//
// The first SIGINT only raises a flag. Every run reads it (MinimizeOptions::interrupt, set by
// make_minimize_options and the tour) and ends at its current iterate with status `interrupted`;
// `compare`, `sweep` and `tour` start no further runs. The command then prints its summary and
// writes the --history and --report files it was asked for, as after a finished run, and the
// program exits with code 130 (128 + SIGINT, what a shell reports for a run killed by Ctrl-C), so
// a script still sees that it was interrupted. The handler is installed with SA_RESETHAND: a
// second Ctrl-C gets the default action and ends the program at once, without writing anything
// more (a file being written at that moment stays a temporary, FILE.tmp-PID, never a half FILE).
#pragma once

#include <atomic>

#include "kobai/common.hpp"  // exit_interrupted (130)

namespace kobai::cli {

// Installs the SIGINT handler (once, at the start of main).
void install_interrupt_handler();
// The flag the handler raises; runs read it through MinimizeOptions::interrupt.
const std::atomic<bool>& interrupt_flag();
// Whether Ctrl-C was pressed.
bool interrupted();

}  // namespace kobai::cli
