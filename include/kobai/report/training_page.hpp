// kobai/report/training_page.hpp — `kobai train --report`: one or more training runs of a
// classifier as a self-contained HTML page.
//
//   kobai::report::TrainingPage page{.title = …, .command = …, .classes = 10, .test_labels = …};
//   page.runs.push_back({.optimizer = "adam", .rows = …, .predicted = …});
//   page.images = …;  // the test set's pixels, when a sample is a square image (28 × 28 digits)
//   kobai::report::write_training_report("train.html", page);
//
// The page: Plotly (the embedded cartesian bundle, plotly_asset.hpp) draws four plots against the
// iteration — training loss, test loss, training accuracy, test accuracy — one trace per run; a
// confusion matrix per run on the test set (a heatmap, rows the true class, columns the predicted
// one: every test sample is counted once); and up to `max_misclassified` test samples the most
// accurate run gets wrong, drawn from their pixels on small canvases with the true and the
// predicted class. Everything drawn is computed here; the page's script (web/src/training/
// training.mjs, bundled into training.js with training.css and read at run time: web_assets.hpp)
// only draws it. The file is
// written atomically (history_writer.hpp), so a failure leaves nothing behind.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/report/history_writer.hpp"
#include "kobai/report/html_writer.hpp"
#include "kobai/report/plotly_asset.hpp"
#include "kobai/report/web_assets.hpp"

namespace kobai::report {

// One evaluation of a run (kobai::train::EpochRecord plus the training-set accuracy).
struct TrainingRow {
  double epoch = 0;
  std::int64_t iteration = 0;
  double train_loss = 0;      // mean batch loss over the epoch's steps
  double test_loss = 0;
  double train_accuracy = 0;  // the whole training set, evaluated at the row
  double test_accuracy = 0;
};

struct TrainingRun {
  std::string optimizer;                // "adam"
  std::string settings;                 // "lr 0.001, beta1 0.9, …"
  std::string status;                   // "completed", "diverged", "stopped"
  std::vector<TrainingRow> rows;
  std::vector<std::int32_t> predicted;  // the final network's class for each test sample
};

struct TrainingPage {
  std::string title;    // "kobai train: sgd, momentum, adagrad, adam"
  std::string text;     // a sentence under the title: network, data, batch, seed
  std::string command;  // the command that makes this page again
  int classes = 0;
  std::vector<std::int32_t> test_labels;
  // The test set's features, sample after sample (features × samples, column-major), for drawing
  // misclassified samples; empty, or a feature count that is not a square, draws none.
  std::vector<float> images;
  int features = 0;
  std::size_t max_misclassified = 48;
  std::vector<TrainingRun> runs;
  std::optional<std::string> plotly_js{};  // tests may pass a stub; else find_plotly_js()
  // The page's script and style sheet; tests may pass stand-ins; else training.js and training.css
  // from the built web files (web/src/training, web_assets.hpp).
  std::optional<PageAssets> assets{};
};

namespace detail {

inline void check_training_page(const TrainingPage& page) {
  if (page.runs.empty()) throw InvalidArgument("training report: no runs to draw");
  if (page.classes < 1) throw InvalidArgument("training report: needs classification data (classes >= 1)");
  for (const std::int32_t label : page.test_labels)
    if (label < 0 || label >= page.classes)
      throw InvalidArgument("training report: test label " + std::to_string(label) + " is not a class in [0, " +
                            std::to_string(page.classes) + ")");
  for (const TrainingRun& run : page.runs) {
    if (run.predicted.size() != page.test_labels.size())
      throw InvalidArgument("training report: run '" + run.optimizer + "' has " + std::to_string(run.predicted.size()) +
                            " predictions for " + std::to_string(page.test_labels.size()) + " test samples");
    for (const std::int32_t c : run.predicted)
      if (c < 0 || c >= page.classes)
        throw InvalidArgument("training report: run '" + run.optimizer + "' predicts class " + std::to_string(c));
  }
  if (!page.images.empty() &&
      (page.features < 1 || page.images.size() != static_cast<std::size_t>(page.features) * page.test_labels.size()))
    throw InvalidArgument("training report: " + std::to_string(page.images.size()) + " pixel values for " +
                          std::to_string(page.test_labels.size()) + " samples of " + std::to_string(page.features) +
                          " features");
}

// The side of a square image of `features` pixels, or 0.
inline int image_side(int features) {
  int side = 0;
  while ((side + 1) * (side + 1) <= features) ++side;
  return side * side == features ? side : 0;
}

// One sample's pixels as two hex digits each, scaled so its darkest and lightest pixels span 0–255
// (data may be scaled to [0, 1], [0, 255] or standardized).
inline std::string hex_pixels(const float* x, int n) {
  const auto [lo, hi] = std::minmax_element(x, x + n);
  const double range = *hi > *lo ? static_cast<double>(*hi) - *lo : 1.0;
  static constexpr char digits[] = "0123456789abcdef";
  std::string text(static_cast<std::size_t>(2 * n), '0');
  for (int p = 0; p < n; ++p) {
    const int v = static_cast<int>(std::lround(255.0 * (static_cast<double>(x[p]) - *lo) / range));
    text[static_cast<std::size_t>(2 * p)] = digits[v >> 4];
    text[static_cast<std::size_t>(2 * p + 1)] = digits[v & 15];
  }
  return text;
}

inline std::string training_data(const TrainingPage& page) {
  Json j;
  j.begin_object();
  j.key("classes").begin_array();
  for (int c = 0; c < page.classes; ++c) j.string(std::to_string(c));
  j.end_array();
  j.key("test_count").integer(static_cast<std::int64_t>(page.test_labels.size()));
  std::size_t best = 0;
  std::vector<std::int64_t> right(page.runs.size(), 0);
  j.key("runs").begin_array();
  for (std::size_t r = 0; r < page.runs.size(); ++r) {
    const TrainingRun& run = page.runs[r];
    std::vector<std::vector<std::int64_t>> confusion(static_cast<std::size_t>(page.classes),
                                                     std::vector<std::int64_t>(static_cast<std::size_t>(page.classes), 0));
    for (std::size_t i = 0; i < run.predicted.size(); ++i) {
      ++confusion[static_cast<std::size_t>(page.test_labels[i])][static_cast<std::size_t>(run.predicted[i])];
      right[r] += run.predicted[i] == page.test_labels[i];
    }
    if (right[r] > right[best]) best = r;
    j.begin_object();
    j.key("optimizer").string(run.optimizer);
    j.key("settings").string(run.settings);
    j.key("status").string(run.status);
    j.key("accuracy").number(page.test_labels.empty() ? 0.0
                                                      : static_cast<double>(right[r]) / static_cast<double>(page.test_labels.size()));
    j.key("rows").begin_object();
    auto column = [&](const char* key, auto field) {
      j.key(key).begin_array();
      for (const TrainingRow& row : run.rows) {
        const double v = static_cast<double>(row.*field);
        if (std::isfinite(v)) j.number(v); else j.null();
      }
      j.end_array();
    };
    column("epoch", &TrainingRow::epoch);
    column("iteration", &TrainingRow::iteration);
    column("train_loss", &TrainingRow::train_loss);
    column("test_loss", &TrainingRow::test_loss);
    column("train_accuracy", &TrainingRow::train_accuracy);
    column("test_accuracy", &TrainingRow::test_accuracy);
    j.end_object();
    j.key("confusion").begin_array();
    for (const auto& row : confusion) j.numbers(row);
    j.end_array();
    j.end_object();
  }
  j.end_array();
  const int side = page.images.empty() ? 0 : image_side(page.features);
  const TrainingRun& shown = page.runs[best];
  j.key("misclassified").begin_object();
  j.key("optimizer").string(shown.optimizer);
  j.key("side").integer(side);
  j.key("total").integer(static_cast<std::int64_t>(page.test_labels.size()) - right[best]);
  j.key("items").begin_array();
  std::size_t drawn = 0;
  for (std::size_t i = 0; side > 0 && i < page.test_labels.size() && drawn < page.max_misclassified; ++i) {
    if (shown.predicted[i] == page.test_labels[i]) continue;
    ++drawn;
    j.begin_object();
    j.key("index").integer(static_cast<std::int64_t>(i));
    j.key("label").integer(page.test_labels[i]);
    j.key("predicted").integer(shown.predicted[i]);
    j.key("pixels").string(hex_pixels(page.images.data() + i * static_cast<std::size_t>(page.features), page.features));
    j.end_object();
  }
  j.end_array();
  j.key("drawn").integer(static_cast<std::int64_t>(drawn));
  j.end_object();
  j.end_object();
  return j.text();
}

}  // namespace detail

inline std::string render_training_report(const TrainingPage& page) {
  detail::check_training_page(page);
  const std::string data = detail::training_data(page);
  const std::string plotly = page.plotly_js ? *page.plotly_js : find_plotly_js();
  const PageAssets assets = page.assets ? *page.assets : read_page_assets("training", "the training page");
  using detail::html_escape;
  std::string out;
  out.reserve(plotly.size() + data.size() + assets.script.size() + assets.style.size() + 16 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"kobai\">\n<title>" + html_escape(page.title) + "</title>\n<style>\n";
  out += detail::escape_script_end(assets.style);
  out += "</style>\n<script>\n";
  detail::append_script(out, plotly);
  out += "\n</script>\n</head>\n<body>\n<div id=\"kobai-report\">\n<h1>" + html_escape(page.title) + "</h1>\n";
  out += "<p>" + html_escape(page.text) + "</p>\n<table id=\"kobai-training-runs\"><tr><th>optimizer</th>"
         "<th>settings</th><th>status</th></tr>\n";
  for (const TrainingRun& run : page.runs)
    out += "<tr><td>" + html_escape(run.optimizer) + "</td><td>" + html_escape(run.settings) + "</td><td>" +
           html_escape(run.status) + "</td></tr>\n";
  out += "</table>\n<h2>Loss and accuracy</h2>\n<p>One point per epoch (and one where a run stops). The training "
         "loss is the mean batch loss over the epoch's steps; the training accuracy is the whole training set "
         "evaluated at that point.</p>\n";
  out += "<div id=\"kobai-train-loss\"></div>\n<div id=\"kobai-test-loss\"></div>\n"
         "<div id=\"kobai-train-accuracy\"></div>\n<div id=\"kobai-test-accuracy\"></div>\n";
  out += "<h2>Confusion matrices on the test set</h2>\n<p>Rows: the true class; columns: the class the final "
         "network predicts. Each of the " + std::to_string(page.test_labels.size()) +
         " test samples is counted once.</p>\n<div id=\"kobai-confusion\"></div>\n";
  out += "<h2>Misclassified test samples</h2>\n<p id=\"kobai-misclassified-note\"></p>\n"
         "<div id=\"kobai-misclassified\"></div>\n";
  out += "<p>The same page again: <code>" + html_escape(page.command) + "</code></p>\n</div>\n";
  out += "<script type=\"application/json\" id=\"kobai-training-data\">";
  out += data;  // Json escapes '<'
  out += "</script>\n<script>\n";
  detail::append_script(out, assets.script);
  out += "\n</script>\n</body>\n</html>\n";
  return out;
}

inline void write_training_report(const std::filesystem::path& path, const TrainingPage& page) {
  const std::string text = render_training_report(page);  // every error before any file
  write_file_atomically(path, [&](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); });
}

}  // namespace kobai::report
