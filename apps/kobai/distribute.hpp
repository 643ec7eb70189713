// kobai/distribute.hpp — independent runs split across the ranks of an mpirun job, gathered on rank 0.
//
//   std::vector<MinimizeResult> results =
//       run_on_ranks(methods.size(), [&](std::size_t r) { return methods[r].minimize(problem, start, options); });
//   if (!is_output_rank()) return;   // the other ranks are done: rank 0 prints and writes
//
// Run i is computed by rank i mod K (train::owns_item), from scratch, by the same code as in one
// process, and comes back as its bytes: rank 0 ends with exactly the results one process would have
// computed, bit for bit, in the original order. In one process this is a plain loop. The other
// ranks get an empty list. `kobai compare`, `sweep` and `basin` use it; nothing else of theirs
// changes under mpirun.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "kobai/minimize/result.hpp"
#include "kobai/train/bytes.hpp"

namespace kobai::cli {

// `stop` (Ctrl-C): in one process no further run starts once it says so, and the list ends with the
// runs done; under mpirun every run is computed (each run's own loop still ends early when the
// interrupt reaches it), so the ranks' results always pair up.
std::vector<MinimizeResult> run_on_ranks(std::size_t count, const std::function<MinimizeResult(std::size_t)>& run,
                                         const std::function<bool()>& stop = {});

// MinimizeResult as bytes and back (every field, the history included).
void put_result(train::ByteWriter& out, const MinimizeResult& result);
MinimizeResult get_result(train::ByteReader& in);

// The general form: each rank computes the items it owns and writes each as bytes with `put`
// (item index first, written by this function); rank 0 reads every item back with `get(index, in)`.
void compute_on_ranks(std::size_t count, const std::function<void(std::size_t, train::ByteWriter&)>& compute_and_put,
                      const std::function<void(std::size_t, train::ByteReader&)>& get);

}  // namespace kobai::cli
