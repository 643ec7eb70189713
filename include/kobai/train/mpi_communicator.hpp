// kobai/train/mpi_communicator.hpp — Communicator over MPI_COMM_WORLD (needs MPI: link MPI::MPI_CXX).
//
// Only targets built where CMake found MPI include this header (the kobai command, the MPI tests,
// bench/mpi); everything else sees the interface in communicator.hpp alone.
//
//   MpiCommunicator world;          // MPI_Init_thread; MPI_Finalize when it goes out of scope
//   world.allreduce_sum(gradient);  // one MPI_Allreduce over the flat buffer
//
// Errors: MPI's default handler (MPI_ERRORS_ARE_FATAL) stays. A rank that dies makes mpirun end
// the job and name the rank; a rank that fails in kobai's own code calls abort(), which ends every
// rank at once (MPI_Abort) instead of leaving them blocked in a collective. Threads: only the
// thread that made the communicator calls MPI (MPI_THREAD_FUNNELED); kobai's worker threads never do.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "kobai/train/communicator.hpp"

namespace kobai::train {

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      int provided = 0;
      MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
      owns_ = true;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    // The ranks that share this machine's memory (MPI-3's shared-memory split): how many of the
    // job's processes this node's cores are shared among.
    MPI_Comm node = MPI_COMM_NULL;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &node_size_);
    MPI_Comm_free(&node);
  }
  ~MpiCommunicator() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (owns_ && !finalized) MPI_Finalize();
  }
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int ranks_on_this_node() const override { return node_size_; }

  void allreduce_sum(std::span<float> values) override { allreduce(values.data(), values.size(), MPI_FLOAT); }
  void allreduce_sum(std::span<double> values) override { allreduce(values.data(), values.size(), MPI_DOUBLE); }

  void ordered_sum(std::span<float> running, const AddTerms& add_mine) override {
    chain(running, add_mine, MPI_FLOAT);
  }
  void ordered_sum(std::span<double> running, const AddTermsDouble& add_mine) override {
    chain(running, add_mine, MPI_DOUBLE);
  }

  std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine, int root) override {
    const int my_size = checked_count(mine.size());
    std::vector<int> sizes(rank_ == root ? static_cast<std::size_t>(size_) : 0);
    MPI_Gather(&my_size, 1, MPI_INT, sizes.data(), 1, MPI_INT, root, MPI_COMM_WORLD);
    std::vector<int> offsets(sizes.size());
    long long total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      offsets[r] = checked_count(static_cast<std::size_t>(total));
      total += sizes[r];
    }
    std::vector<std::byte> all(static_cast<std::size_t>(total));
    MPI_Gatherv(mine.data(), my_size, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, root,
                MPI_COMM_WORLD);
    std::vector<std::vector<std::byte>> parts;
    for (std::size_t r = 0; r < sizes.size(); ++r)
      parts.emplace_back(all.begin() + offsets[r], all.begin() + offsets[r] + sizes[r]);
    return parts;
  }

  void broadcast(std::vector<std::byte>& bytes, int root) override {
    unsigned long long n = bytes.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, MPI_COMM_WORLD);
    bytes.resize(static_cast<std::size_t>(n));
    for_chunks(bytes.size(), [&](std::size_t at, int count) {
      MPI_Bcast(bytes.data() + at, count, MPI_BYTE, root, MPI_COMM_WORLD);
    });
  }

  void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }

  [[noreturn]] void abort(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);  // MPI_Abort does not return; this keeps [[noreturn]] honest if it did
  }

 private:
  static constexpr int tag_ordered_sum = 17;
  // MPI counts are int: buffers past 2^31 − 1 elements go in several calls.
  static constexpr std::size_t max_chunk = static_cast<std::size_t>(INT_MAX);

  template <class Call>
  static void for_chunks(std::size_t count, Call&& call) {
    for (std::size_t at = 0; at < count; at += max_chunk)
      call(at, static_cast<int>(std::min(max_chunk, count - at)));
  }
  static int checked_count(std::size_t n) {
    if (n > max_chunk) throw std::length_error("a message of " + std::to_string(n) + " bytes is too long to gather");
    return static_cast<int>(n);
  }
  // The fixed-order sum: receive the running sum from the rank below, add this rank's terms, pass
  // it up; the last rank holds the total and broadcasts it.
  template <class T, class Add>
  void chain(std::span<T> running, const Add& add_mine, MPI_Datatype type) {
    if (rank_ == 0) {
      std::fill(running.begin(), running.end(), T(0));
    } else {
      for_chunks(running.size(), [&](std::size_t at, int n) {
        MPI_Recv(running.data() + at, n, type, rank_ - 1, tag_ordered_sum, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      });
    }
    add_mine(running);
    if (rank_ + 1 < size_) {
      for_chunks(running.size(), [&](std::size_t at, int n) {
        MPI_Send(running.data() + at, n, type, rank_ + 1, tag_ordered_sum, MPI_COMM_WORLD);
      });
    }
    for_chunks(running.size(), [&](std::size_t at, int n) {
      MPI_Bcast(running.data() + at, n, type, size_ - 1, MPI_COMM_WORLD);
    });
  }
  template <class T>
  static void allreduce(T* data, std::size_t count, MPI_Datatype type) {
    for_chunks(count, [&](std::size_t at, int n) {
      MPI_Allreduce(MPI_IN_PLACE, data + at, n, type, MPI_SUM, MPI_COMM_WORLD);
    });
  }

  int rank_ = 0, size_ = 1, node_size_ = 1;
  bool owns_ = false;
};

}  // namespace kobai::train
