// kobai/train_command.hpp — the options of `kobai train`, shared by its files.
#pragma once

#include <cstdint>
#include <string>

#include "kobai/common.hpp"
#include "kobai/nn/mlp.hpp"
#include "kobai/train/trainer.hpp"
#include "kobai/train_data.hpp"

namespace kobai::cli {

struct TrainArguments {
  DataArguments data;
  std::string layers;            // "784,100,10"
  std::string hidden = "100";    // "100", "100,100", "none"
  bool hidden_given = false;
  std::string activation = "relu";
  std::string loss;              // default by the data
  std::string init = "uniform";
  std::string init_std = "0.01";
  std::string l2 = "0";
  std::string dtype = "float";
  OptimizerArguments optimizer;
  std::int64_t epochs = 10;
  std::int64_t iterations = 0;
  std::int64_t batch_size = 100;
  std::uint64_t seed = 0;
  std::string schedule;
  int threads = 0;
  std::string history;
  bool json = false;
  bool progress = true;
  bool check_gradient = false;
  std::int64_t check_entries = 1000;
  std::string checkpoint;            // write the run's state here every N iterations and at the end
  std::int64_t checkpoint_every = 100;
  std::string resume;                // continue from this checkpoint
  std::string save_model;            // write the trained model here
  std::string optimizers;            // "sgd,momentum,adagrad,adam": train once with each, compare
  std::int64_t check_every = 0;      // under mpirun: compare the ranks' parameters every N steps
  std::string report;                // write an HTML page of the run(s) here
  bool deterministic = false;        // the same bits for any number of ranks (fixed-order sums)
  std::int64_t chunk_size = 25;      // --deterministic: samples per chunk
  bool chunk_size_given = false;
};

// The settings that decide a run's result, one "key=value" per line (checkpoints compare them).
std::string run_config(const TrainArguments& a, const nn::MlpOptions& network, const AnyFirstOrder& optimizer);

nn::MlpOptions network_options(const TrainArguments& a, const data::Dataset<double>& train);
train::TrainOptions train_options(const TrainArguments& a);
AnyFirstOrder train_optimizer(const TrainArguments& a, const std::string& name);

}  // namespace kobai::cli
