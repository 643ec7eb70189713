// kobai/world.cpp — see world.hpp.
#include "kobai/world.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "kobai/common.hpp"
#include "kobai/core/parallel.hpp"
#ifdef KOBAI_WITH_MPI
#include "kobai/train/mpi_communicator.hpp"
#endif

namespace kobai::cli {

namespace {

std::unique_ptr<train::Communicator> g_world;

// The number of ranks mpirun (or another MPI launcher) says this job has; 0 when not launched so.
int launcher_size() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* value = std::getenv(variable)) return std::atoi(value);
  if (std::getenv("PMIX_RANK")) return 1;  // a PMIx launcher that does not export the size
  return 0;
}

std::string g_threads_note;

#ifdef KOBAI_WITH_MPI
// Ctrl-C in mpirun's terminal reaches mpirun alone (each rank has its own process group), and Open
// MPI's mpirun answers it by sending SIGTERM to every rank (SIGKILL a second later; it cannot
// forward SIGINT). A rank takes that SIGTERM for the Ctrl-C it stands for: raise(2) is
// async-signal-safe, and the SIGINT handler (interrupt.cpp) raises the stop flag and says so.
extern "C" void on_terminate(int) { ::raise(SIGINT); }

void stop_on_terminate() {
  struct sigaction action {};
  action.sa_handler = on_terminate;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // a second SIGTERM ends the rank at once
  ::sigaction(SIGTERM, &action, nullptr);
}

// K ranks on one machine that each start a thread per core would run K threads per core: each
// rank gets its share of the cores instead (--threads overrides).
void share_the_cores(const train::Communicator& w) {
  const int cores = kobai::detail::default_thread_count(), here = w.ranks_on_this_node();
  kobai::set_num_threads(std::max(1, cores / std::max(1, here)));
  g_threads_note = std::to_string(cores) + " cores / " + std::to_string(here) + " processes on this node";
}
#endif

}  // namespace

void start_world() {
  const int size = launcher_size();
#ifdef KOBAI_WITH_MPI
  if (size > 0) {
    g_world = std::make_unique<train::MpiCommunicator>();
    if (g_world->size() > 1) {
      share_the_cores(*g_world);
      stop_on_terminate();
    }
    return;
  }
#else
  if (size > 1)
    throw InvalidArgument("started by mpirun with " + std::to_string(size) +
                          " processes, but this kobai was built without MPI (install libopenmpi-dev and "
                          "rebuild; CMake says whether it found MPI)");
#endif
  g_world = std::make_unique<train::SingleProcess>();
}

void stop_world() { g_world.reset(); }

train::Communicator& world() {
  if (!g_world) g_world = std::make_unique<train::SingleProcess>();
  return *g_world;
}

bool is_output_rank() { return world().is_root(); }

const std::string& default_threads_note() { return g_threads_note; }

std::string rank_prefix() {
  const train::Communicator& w = world();
  if (w.size() == 1) return "";
  return "rank " + std::to_string(w.rank()) + " of " + std::to_string(w.size()) + ": ";
}

int end_with_error(std::string_view message, int code, bool bad_input, bool keep_lines) {
  train::Communicator& w = world();
  if (w.size() == 1) return report_error(message, code, keep_lines);
  if (w.is_root()) {
    report_error(message, code, keep_lines);
    std::cerr.flush();
  } else if (!bad_input) {
    report_error(rank_prefix() + std::string(message), code, keep_lines);
    std::cerr.flush();
  } else {
    // Rank 0 saw the same bad input and says so; give it a moment to, before ending the job.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    report_error(rank_prefix() + std::string(message), code, keep_lines);
  }
  w.abort(code);
  return code;  // not reached (abort ends the process); GCC does not see [[noreturn]] through a virtual call
}

}  // namespace kobai::cli
