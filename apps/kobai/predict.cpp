// kobai/predict.cpp — `kobai predict --model FILE [--data …]`: a saved network's accuracy, per-class
// figures and confusion matrix on a test set (by default the same test split `kobai train` used).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/train/checkpoint.hpp"
#include "kobai/train_data.hpp"

namespace kobai::cli {

namespace {

struct PredictArguments {
  std::string model;
  DataArguments data;
  bool json = false;
};

template <class T>
void predict_with(const PredictArguments& a) {
  const train::Checkpoint<T> saved = train::load_checkpoint<T>(a.model);
  const LoadedData loaded = load_data(a.data);
  const data::Dataset<T> test = loaded.split.test.template cast<T>();
  if (test.size() == 0) throw InvalidArgument("--test-size: the test set is empty; nothing to predict");
  nn::Mlp<T> net(saved.network);
  std::copy(saved.parameters.begin(), saved.parameters.end(), net.parameters().data());
  const nn::Evaluation e = net.evaluate(test, /*keep_predictions=*/true);
  nlohmann::json j{{"model", a.model}, {"network", saved.network.describe()}, {"data", loaded.description},
                   {"samples", test.size()}, {"loss", e.loss}};
  if (!test.is_classification()) {
    if (a.json) std::cout << j.dump() << std::endl;
    else std::cout << saved.network.describe() << " on " << loaded.description << "\n  mean squared error " << format_number(e.loss) << "\n";
    return;
  }
  const auto k = static_cast<std::size_t>(net.outputs());
  std::vector<std::vector<std::int64_t>> confusion(k, std::vector<std::int64_t>(k, 0));
  for (std::size_t i = 0; i < e.predicted.size(); ++i)
    ++confusion[static_cast<std::size_t>(test.labels[i])][static_cast<std::size_t>(e.predicted[i])];
  nlohmann::json classes = nlohmann::json::array();
  for (std::size_t c = 0; c < k; ++c) {
    std::int64_t actual = 0, predicted = 0;
    for (std::size_t d = 0; d < k; ++d) {
      actual += confusion[c][d];
      predicted += confusion[d][c];
    }
    const double tp = static_cast<double>(confusion[c][c]);
    classes.push_back({{"class", c}, {"samples", actual},
                       {"recall", actual ? tp / static_cast<double>(actual) : 0.0},
                       {"precision", predicted ? tp / static_cast<double>(predicted) : 0.0}});
  }
  j["accuracy"] = e.accuracy;
  j["classes"] = classes;
  j["confusion"] = confusion;
  if (a.json) {
    std::cout << j.dump() << std::endl;
    return;
  }
  char line[128];
  std::cout << saved.network.describe() << " (" << a.model << ") on " << loaded.description << "\n";
  std::snprintf(line, sizeof line, "  accuracy %.2f%% (%lld/%lld), loss %.4f\n\n", 100 * e.accuracy,
                static_cast<long long>(std::llround(e.accuracy * static_cast<double>(test.size()))),
                static_cast<long long>(test.size()), e.loss);
  std::cout << line << "  class  samples  recall  precision   confusion (row: true class, column: predicted)\n";
  for (std::size_t c = 0; c < k; ++c) {
    std::snprintf(line, sizeof line, "  %5zu  %7lld  %5.1f%%  %8.1f%%   ", c,
                  static_cast<long long>(classes[c]["samples"].get<std::int64_t>()),
                  100 * classes[c]["recall"].get<double>(), 100 * classes[c]["precision"].get<double>());
    std::cout << line;
    for (std::size_t d = 0; d < k; ++d) {
      std::snprintf(line, sizeof line, "%5lld", static_cast<long long>(confusion[c][d]));
      std::cout << line;
    }
    std::cout << "\n";
  }
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto arguments = std::make_shared<PredictArguments>();
  PredictArguments& a = *arguments;
  auto* command = app.add_subcommand("predict", "a saved network's accuracy and confusion matrix on test data");
  command->add_option("--model", a.model, "a file written by kobai train --save-model (or --checkpoint)")->required();
  add_data_options(*command, a.data);
  command->add_flag("--json", a.json, "print one JSON object");
  command->callback([arguments] {
    if (train::checkpoint_element_size(arguments->model) == 4)
      predict_with<float>(*arguments);
    else
      predict_with<double>(*arguments);
  });
}

}  // namespace kobai::cli
