// The MPI communicator under `mpirun --oversubscribe -np K` (K = 2, 3; tests/mpi.cmake): sums,
// the fixed-order sum, gather and broadcast, the ranks on this node, checked on every rank against
// what one process computes alone. A failed check prints the rank and the value and ends the job with exit code 1.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "kobai/train/communicator.hpp"
#include "kobai/train/mpi_communicator.hpp"

namespace {

kobai::train::MpiCommunicator* g_world = nullptr;

void check(bool ok, const std::string& what) {
  if (ok) return;
  std::cerr << "rank " << g_world->rank() << ": FAILED: " << what << std::endl;
  g_world->abort(1);
}

// Term j of a sum: P floats spanning many magnitudes, so the order of additions changes the bits.
std::vector<float> term(int j, std::size_t p) {
  std::vector<float> t(p);
  std::uint32_t state = 2654435761u * static_cast<std::uint32_t>(j + 1);
  for (std::size_t i = 0; i < p; ++i) {
    state = state * 1664525u + 1013904223u;
    const float unit = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;  // [-0.5, 0.5)
    t[i] = unit * std::pow(10.0f, static_cast<float>(static_cast<int>(state % 7) - 3));
  }
  return t;
}

}  // namespace

int main() {
  kobai::train::MpiCommunicator world;
  g_world = &world;
  const int k = world.size(), r = world.rank();
  const char* launched = std::getenv("OMPI_COMM_WORLD_SIZE");
  check(launched && std::atoi(launched) == k, "size() is the launcher's OMPI_COMM_WORLD_SIZE");
  // The tests start every rank on this machine, and Open MPI says how many it started here.
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  check(local && std::atoi(local) == k && world.ranks_on_this_node() == k,
        "ranks_on_this_node() is " + std::to_string(world.ranks_on_this_node()) + ", expected " + std::to_string(k));

  // allreduce_sum: integers in floats and doubles add exactly in any order.
  std::vector<float> f(1000);
  std::vector<double> d(1000);
  for (std::size_t i = 0; i < f.size(); ++i) {
    f[i] = static_cast<float>((r + 1) * static_cast<int>(i));
    d[i] = 0.5 * (r + 1) * static_cast<double>(i);
  }
  world.allreduce_sum(f);
  world.allreduce_sum(d);
  const int ranks_sum = k * (k + 1) / 2;
  for (std::size_t i = 0; i < f.size(); ++i) {
    check(f[i] == static_cast<float>(ranks_sum * static_cast<int>(i)), "float allreduce at " + std::to_string(i));
    check(d[i] == 0.5 * ranks_sum * static_cast<double>(i), "double allreduce at " + std::to_string(i));
  }

  // ordered_sum: 12 terms dealt in order (rank 0 the first 12/K), summed left to right, must equal
  // the one-process sum bit for bit.
  const int terms = 12;
  const std::size_t p = 4099;
  std::vector<float> alone(p, 0.0f);
  std::vector<double> magnitude(p, 0.0);  // Σ|terms|: the scale rounding errors are relative to
  for (int j = 0; j < terms; ++j) {
    const std::vector<float> t = term(j, p);
    for (std::size_t i = 0; i < p; ++i) {
      alone[i] += t[i];
      magnitude[i] += std::abs(t[i]);
    }
  }
  const int first = r * terms / k, last = (r + 1) * terms / k;
  std::vector<float> ordered(p, 123.0f);  // whatever it held before: ordered_sum starts from zeros
  world.ordered_sum(ordered, [&](std::span<float> running) {
    for (int j = first; j < last; ++j) {
      const std::vector<float> t = term(j, p);
      for (std::size_t i = 0; i < p; ++i) running[i] += t[i];
    }
  });
  check(std::memcmp(ordered.data(), alone.data(), p * sizeof(float)) == 0, "ordered_sum is the one-process sum, bit for bit");
  // the same in double (training in double precision): terms 1/(j + 1) + i·1e-3, summed in order
  std::vector<double> alone_d(p, 0.0), ordered_d(p, -1.0);
  for (int j = 0; j < terms; ++j)
    for (std::size_t i = 0; i < p; ++i) alone_d[i] += 1.0 / (j + 1) + static_cast<double>(i) * 1e-3;
  world.ordered_sum(ordered_d, [&](std::span<double> running) {
    for (int j = first; j < last; ++j)
      for (std::size_t i = 0; i < p; ++i) running[i] += 1.0 / (j + 1) + static_cast<double>(i) * 1e-3;
  });
  check(std::memcmp(ordered_d.data(), alone_d.data(), p * sizeof(double)) == 0, "ordered_sum in double, bit for bit");

  // the plain allreduce of per-rank partial sums: the same to rounding (12 float additions: at most
  // ~12 · 2⁻²⁴ ≈ 7e-7 of Σ|terms|), not necessarily the same bits
  std::vector<float> partial(p, 0.0f);
  for (int j = first; j < last; ++j) {
    const std::vector<float> t = term(j, p);
    for (std::size_t i = 0; i < p; ++i) partial[i] += t[i];
  }
  world.allreduce_sum(partial);
  std::size_t differing = 0;
  double worst = 0;
  for (std::size_t i = 0; i < p; ++i) {
    differing += partial[i] != alone[i];
    worst = std::max(worst, std::abs(static_cast<double>(partial[i]) - alone[i]) / magnitude[i]);
  }
  check(worst < 1e-6, "allreduce of partial sums within 1e-6 of the sum of magnitudes (worst " + std::to_string(worst) + ")");

  // gather: rank q sends q + 1 bytes of value q; rank 0 gets them in rank order.
  std::vector<std::byte> mine(static_cast<std::size_t>(r + 1), static_cast<std::byte>(r));
  const auto parts = world.gather(mine, 0);
  if (r == 0) {
    check(parts.size() == static_cast<std::size_t>(k), "gather: one part per rank");
    for (int q = 0; q < k; ++q) {
      check(parts[static_cast<std::size_t>(q)].size() == static_cast<std::size_t>(q + 1), "gather: part sizes");
      for (std::byte b : parts[static_cast<std::size_t>(q)]) check(b == static_cast<std::byte>(q), "gather: part bytes");
    }
  } else {
    check(parts.empty(), "gather: nothing on other ranks");
  }

  // broadcast: rank 0's bytes everywhere
  const std::string text = "kobai ordered sum";
  std::vector<std::byte> bytes;
  if (r == 0) for (char c : text) bytes.push_back(static_cast<std::byte>(c));
  world.broadcast(bytes, 0);
  check(bytes.size() == text.size() && std::memcmp(bytes.data(), text.data(), text.size()) == 0, "broadcast");

  world.barrier();
  if (r == 0)
    std::cout << "communicator: " << k << " ranks: allreduce exact, ordered_sum (float, double) bit-identical to one process; "
              << "plain allreduce of partial sums differs in " << differing << " of " << p << " elements (worst "
              << worst << " of the sum of magnitudes); gather, broadcast ok" << std::endl;
  return 0;
}
