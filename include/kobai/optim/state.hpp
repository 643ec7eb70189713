// kobai/optim/state.hpp — an optimizer's state by name, to save and restore it.
//
// Checkpoints, a Python state_dict, the playground's state panel and the WebAssembly binding all
// read and write a first-order optimizer's state through one shape, in torch.optim's names:
//
//   kobai::OptimizerState<double> saved = adam.state();   // {step, {"exp_avg": …, "exp_avg_sq": …}, {}}
//   kobai::Adam fresh(adam.options());
//   fresh.load_state(saved);                              // continues bit for bit where adam was
//
// `buffers` holds the per-parameter arrays (each as long as the parameter vector), `scalars` any
// other number the update depends on (NAdam's "mu_product"). `step` is PyTorch's step count, the
// number of steps taken; torch.optim.SGD keeps none, kobai keeps it for every optimizer (the first
// momentum step and a schedule's position depend on it). The hyperparameters are not state: like
// torch's param_groups they come with the optimizer a state is loaded into (its Options).
//
// A never-stepped optimizer's state is step 0 with no buffers and no scalars.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kobai {

template <class T>
struct OptimizerState {
  std::int64_t step = 0;                                        // PyTorch's "step"
  std::map<std::string, std::vector<T>, std::less<>> buffers{};  // "exp_avg", "momentum_buffer", …
  std::map<std::string, double, std::less<>> scalars{};        // "mu_product", …

  bool operator==(const OptimizerState&) const = default;  // value by value (0.0 == -0.0, NaN ≠ NaN)
};

}  // namespace kobai
