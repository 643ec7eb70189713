// kobai/core/error.hpp — the one exception type kobai throws, for invalid input.
//
// kobai throws only when a caller hands it something it cannot use (a learning rate <= 0, a start
// point of the wrong dimension, an unknown name). Ordinary outcomes of a run — convergence, the
// iteration limit, divergence, a failed line search — are statuses in the result, never exceptions.
#pragma once

#include <stdexcept>
#include <string>

namespace kobai {

class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace kobai
