// kobai/interrupt.cpp — see interrupt.hpp.
#include "kobai/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

namespace kobai::cli {

namespace {

// A lock-free atomic may be written from a signal handler (C++17 [support.signal]).
static_assert(std::atomic<bool>::is_always_lock_free);
std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true, std::memory_order_relaxed);
  // write(2) is async-signal-safe; the summary follows once the run has stopped.
  static constexpr char message[] =
      "\nkobai: interrupted: stopping at the current iterate (press Ctrl-C again to quit at once)\n";
  const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
}

}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the handler runs once; the second Ctrl-C gets the default action (quit).
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
}

const std::atomic<bool>& interrupt_flag() { return g_interrupted; }

bool interrupted() { return g_interrupted.load(std::memory_order_relaxed); }

}  // namespace kobai::cli
