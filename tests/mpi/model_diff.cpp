// model_diff A B [TOLERANCE] — the largest difference between two saved models' parameters
// (kobai train --save-model or --checkpoint files, float32), relative to B's largest parameter:
// max_i |a_i − b_i| / max_i |b_i|. Exits 0 when it is at most TOLERANCE (default 1e-5), 1 when
// not, 2 when the files cannot be read or hold different networks. The MPI training tests use it:
// data-parallel runs add the same gradients in another order, so their parameters equal one
// process's to float32 rounding (a few ulps per step), not bit for bit.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "kobai/train/checkpoint.hpp"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: model_diff A B [TOLERANCE]\n");
    return 2;
  }
  const double tolerance = argc == 4 ? std::atof(argv[3]) : 1e-5;
  try {
    const auto a = kobai::train::load_checkpoint<float>(argv[1]);
    const auto b = kobai::train::load_checkpoint<float>(argv[2]);
    if (a.network.describe() != b.network.describe() || a.parameters.size() != b.parameters.size()) {
      std::fprintf(stderr, "model_diff: %s holds %s, %s holds %s\n", argv[1], a.network.describe().c_str(),
                   argv[2], b.network.describe().c_str());
      return 2;
    }
    double largest_difference = 0, largest_parameter = 0;
    for (std::size_t i = 0; i < a.parameters.size(); ++i) {
      largest_difference = std::max(largest_difference, std::abs(double(a.parameters[i]) - double(b.parameters[i])));
      largest_parameter = std::max(largest_parameter, std::abs(double(b.parameters[i])));
    }
    const double relative = largest_difference / largest_parameter;
    const bool close = relative <= tolerance;
    std::printf("%s vs %s: %zu parameters, max |difference| %.3g, relative %.3g (tolerance %.3g): %s\n", argv[1],
                argv[2], a.parameters.size(), largest_difference, relative, tolerance, close ? "close" : "DIFFERENT");
    return close ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "model_diff: %s\n", e.what());
    return 2;
  }
}
