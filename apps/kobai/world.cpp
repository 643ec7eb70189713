// kobai/world.cpp — see world.hpp.
#include "kobai/world.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "kobai/common.hpp"
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

}  // namespace

void start_world() {
  const int size = launcher_size();
#ifdef KOBAI_WITH_MPI
  if (size > 0) {
    g_world = std::make_unique<train::MpiCommunicator>();
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
