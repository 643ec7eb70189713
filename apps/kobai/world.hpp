// kobai/world.hpp — this process's place in the job: alone, or one rank of `mpirun -np K kobai …`.
//
// The kobai command links MPI when the build found it (KOBAI_WITH_MPI), but starts MPI only when
// mpirun started it: Open MPI's launcher sets OMPI_COMM_WORLD_SIZE in every rank's environment (and
// PMIx/Slurm launchers set PMIX_RANK / PMI_SIZE). A plain `kobai run` never touches MPI, so it
// starts as fast as before and works on machines where MPI is installed but not configured.
// A kobai built without MPI and started by mpirun with K > 1 refuses with a message saying so
// (K copies each doing all the work is never what was meant).
//
// Output: only rank 0 prints and writes files (is_output_rank); the other ranks compute their share
// and hand it to rank 0 (distribute.hpp).
#pragma once

#include <string>
#include <string_view>

#include "kobai/train/communicator.hpp"

namespace kobai::cli {

// Starts the world (MPI when launched by mpirun, else one process). Call once, first thing in main.
void start_world();
// Ends it (MPI_Finalize); main calls it before returning.
void stop_world();
train::Communicator& world();
bool is_output_rank();
// Under mpirun with K > 1, each rank's thread count starts at max(1, cores / ranks on this node)
// instead of one per core, and a SIGTERM (what mpirun sends the ranks on Ctrl-C) counts as Ctrl-C.
// How the thread count was chosen, for headers ("2 cores / 2 processes on this node"); "" in one
// process.
const std::string& default_threads_note();
// "" in one process; "rank 2 of 3: " under mpirun (to prefix a rank's own error message).
std::string rank_prefix();

// An error escaped a command. In one process: print it and return `code`. Under mpirun with
// K > 1: rank 0 prints it; another rank prints it only when it is not bad input (every rank parses
// the same command line, so rank 0 reports that one; a rank's own failure, such as a file only it
// could not read, is reported by that rank, naming itself); then the whole job ends with `code`
// (MPI_Abort), so no rank is left waiting for one that gave up.
int end_with_error(std::string_view message, int code, bool bad_input, bool keep_lines = false);

}  // namespace kobai::cli
