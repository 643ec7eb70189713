// kobai/minimize/status.hpp — how a run ended.
#pragma once

#include <string_view>

namespace kobai {

enum class Status {
  converged,           // a stopping tolerance was met (gradient, value or step)
  iteration_limit,     // max_iterations steps were taken without meeting a tolerance
  diverged,            // the value or iterate became non-finite, or the value passed the bound
  stopped,             // a callback asked to stop
  line_search_failed,  // a line-search method found no acceptable step (second-order methods)
  interrupted,         // options.interrupt was raised (e.g. Ctrl-C): the run ends at its current iterate
};

constexpr std::string_view to_string(Status s) {
  switch (s) {
    case Status::converged: return "converged";
    case Status::iteration_limit: return "iteration_limit";
    case Status::diverged: return "diverged";
    case Status::stopped: return "stopped";
    case Status::line_search_failed: return "line_search_failed";
    case Status::interrupted: return "interrupted";
  }
  return "unknown";
}

}  // namespace kobai
