// kobai/train/communicator.hpp — the one interface through which kobai talks to other processes.
//
// Scale-out (data-parallel training, sweeps and basin maps split across `mpirun -np K` ranks) needs
// five operations, and nothing else in kobai knows how they are carried out:
//
//   allreduce_sum   every rank's buffer summed element-wise, the sum on every rank (one message per
//                   call: the gradient is one flat buffer, Horovod's "tensor fusion" for free). The
//                   order of the additions is the transport's (MPI's ring, recursive doubling, …),
//                   so the bits may differ from a sum in one process.
//   ordered_sum     the same sum in a fixed order, chained through the ranks: rank 0 adds its terms
//                   to zeros, passes the running sum to rank 1, which adds its terms, and so on; the
//                   last rank sends the total to everyone. When the terms are dealt out in order
//                   (rank 0 the first ones), this is exactly the sum one process makes adding them
//                   left to right: bit-identical to one process, whatever the number of ranks. It
//                   costs K − 1 sequential hops plus a broadcast instead of a ring.
//   gather          each rank's bytes, on one rank, in rank order (results of runs split over ranks)
//   broadcast       one rank's bytes to all
//   abort           end every process of the job now with an exit code (a rank that failed must
//                   not leave the others waiting in a collective)
//
// SingleProcess (below) is the whole job in one process: the sums are the identity, gather returns
// the one buffer. MpiCommunicator (mpi_communicator.hpp) is compiled only where MPI was found, so
// a build without MPI loses nothing but the ability to start several ranks.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <functional>
#include <span>
#include <vector>

namespace kobai::train {

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;  // 0 … size() − 1
  virtual int size() const = 0;  // number of processes in the job
  // Processes of the job on this machine (sharing its memory and cores), this one included.
  virtual int ranks_on_this_node() const { return 1; }
  bool is_root() const { return rank() == 0; }

  // Sum over ranks, in place; every rank ends with the same sum.
  virtual void allreduce_sum(std::span<float> values) = 0;
  virtual void allreduce_sum(std::span<double> values) = 0;

  // Sum over ranks in rank order: `running` arrives holding the sum of every lower rank's terms
  // (zeros on rank 0); `add_mine` adds this rank's terms to it, left to right. On return every rank
  // holds the total. Bit-identical to one process calling add_mine for all terms in order.
  using AddTerms = std::function<void(std::span<float> running)>;
  using AddTermsDouble = std::function<void(std::span<double> running)>;
  virtual void ordered_sum(std::span<float> running, const AddTerms& add_mine) = 0;
  virtual void ordered_sum(std::span<double> running, const AddTermsDouble& add_mine) = 0;

  // Each rank's bytes, in rank order, on `root` (an empty list on every other rank).
  virtual std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine, int root) = 0;
  // `bytes` of `root` copied to every rank (resized there).
  virtual void broadcast(std::vector<std::byte>& bytes, int root) = 0;
  virtual void barrier() = 0;

  // Ends every process of the job with exit code `code` (the caller has printed why).
  [[noreturn]] virtual void abort(int code) = 0;
};

// The job is this one process.
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void allreduce_sum(std::span<float>) override {}
  void allreduce_sum(std::span<double>) override {}
  void ordered_sum(std::span<float> running, const AddTerms& add_mine) override {
    for (float& v : running) v = 0.0f;
    add_mine(running);
  }
  void ordered_sum(std::span<double> running, const AddTermsDouble& add_mine) override {
    for (double& v : running) v = 0.0;
    add_mine(running);
  }
  std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine, int) override {
    return {std::vector<std::byte>(mine.begin(), mine.end())};
  }
  void broadcast(std::vector<std::byte>&, int) override {}
  void barrier() override {}
  [[noreturn]] void abort(int code) override { std::exit(code); }
};

// Which of `count` work items (runs, grid points) this rank computes: item i belongs to rank
// i mod size. Dealt round-robin, not in blocks, because neighbouring items (adjacent starts on a
// grid, consecutive learning rates) tend to cost alike, so every rank gets a similar share of the
// slow ones.
inline bool owns_item(const Communicator& communicator, std::size_t item) {
  return item % static_cast<std::size_t>(communicator.size()) == static_cast<std::size_t>(communicator.rank());
}

}  // namespace kobai::train
