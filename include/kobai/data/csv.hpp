// kobai/data/csv.hpp — a CSV file of the user's own: one sample per line, one column holding the
// label (classification) or the target (regression), every other column a feature.
//
//   auto set = kobai::data::read_csv<double>("iris.csv", {.label_column = 5});
//
// Columns are numbered from 1 (as `cut` and spreadsheets do). A first line that is not all
// numbers is a header and is skipped. Every line must have as many cells as the first data line;
// every cell must be a finite number; a classification label must be an integer in [0, classes)
// (classes: given, or the largest label + 1). Errors name the file, the line, the column and the
// text. Empty lines at the end are ignored; an empty line in the middle is an error.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/data/dataset.hpp"
#include "kobai/data/read_error.hpp"

namespace kobai::data {

struct CsvOptions {
  int label_column = 0;       // 1-based; 0 = the last column
  bool regression = false;    // the column is a real-valued target, not a class label
  int classes = 0;            // classification: 0 = largest label + 1
  char separator = ',';
};

namespace detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

inline std::vector<std::string_view> split_cells(std::string_view line, char separator) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = line.find(separator, start);
    cells.push_back(trim(line.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return cells;
}

inline bool parse_cell(std::string_view cell, double& value) {
  if (!cell.empty() && cell.front() == '+') cell.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return ec == std::errc() && ptr == cell.data() + cell.size() && !cell.empty() &&
         std::isfinite(value);
}

}  // namespace detail

template <class T = double>
Dataset<T> read_csv(const std::string& file, const CsvOptions& options = {}) {
  const std::string text = read_file(file);
  std::vector<std::vector<double>> rows;
  std::vector<std::uint64_t> row_lines;
  std::size_t width = 0;
  std::uint64_t line_number = 0;
  std::uint64_t blank_line = 0;  // first blank line seen (an error if data follows)
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = detail::trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty()) {
      if (blank_line == 0) blank_line = line_number;
      continue;
    }
    if (blank_line != 0) fail_at_line(file, blank_line, "empty line inside the data");
    const auto cells = detail::split_cells(line, options.separator);
    std::vector<double> values(cells.size());
    bool all_numbers = true;
    std::size_t bad = 0;
    for (std::size_t c = 0; c < cells.size(); ++c)
      if (!detail::parse_cell(cells[c], values[c])) {
        if (all_numbers) bad = c;
        all_numbers = false;
      }
    if (!all_numbers && rows.empty() && width == 0) {  // the header
      width = cells.size();
      continue;
    }
    if (width == 0) width = cells.size();
    if (cells.size() != width)
      fail_at_line(file, line_number,
                   "has " + std::to_string(cells.size()) + " columns, expected " +
                       std::to_string(width) + " (as on the first line)");
    if (!all_numbers)
      fail_at_line(file, line_number,
                   "column " + std::to_string(bad + 1) + ": cannot read " +
                       quoted_excerpt(cells[bad]) + " as a number");
    rows.push_back(std::move(values));
    row_lines.push_back(line_number);
  }
  if (rows.empty()) fail_file(file, "holds no data lines");
  if (width < 2) fail_file(file, "needs at least 2 columns (features and a label), has 1");
  if (options.label_column < 0 || options.label_column > static_cast<int>(width))
    throw InvalidArgument("label column must be in [1, " + std::to_string(width) + "] for " + file +
                          ", got " + std::to_string(options.label_column));
  const std::size_t label = options.label_column == 0 ? width - 1
                                                      : static_cast<std::size_t>(options.label_column - 1);
  Dataset<T> out;
  out.source = file;
  const auto n = static_cast<Eigen::Index>(rows.size());
  out.x.resize(static_cast<Eigen::Index>(width - 1), n);
  if (options.regression) out.targets.resize(1, n);
  int largest = -1;
  for (Eigen::Index j = 0; j < n; ++j) {
    const std::vector<double>& row = rows[static_cast<std::size_t>(j)];
    Eigen::Index i = 0;
    for (std::size_t c = 0; c < width; ++c)
      if (c != label) out.x(i++, j) = static_cast<T>(row[c]);
    if (options.regression) {
      out.targets(0, j) = static_cast<T>(row[label]);
      continue;
    }
    const double value = row[label];
    const std::uint64_t at = row_lines[static_cast<std::size_t>(j)];
    if (value != std::floor(value) || value < 0 || value > 1e6)
      fail_at_line(file, at, "column " + std::to_string(label + 1) + ": label " +
                                 std::to_string(value) + " is not a class number (0, 1, 2, ...)");
    const int cls = static_cast<int>(value);
    if (options.classes > 0 && cls >= options.classes)
      fail_at_line(file, at, "column " + std::to_string(label + 1) + ": label " +
                                 std::to_string(cls) + " is out of range [0, " +
                                 std::to_string(options.classes) + ")");
    largest = std::max(largest, cls);
    out.labels.push_back(cls);
  }
  if (!options.regression) out.classes = options.classes > 0 ? options.classes : largest + 1;
  if (!options.regression && out.classes < 2)
    fail_file(file, "labels in column " + std::to_string(label + 1) +
                        " name only one class; classification needs at least 2");
  return out;
}

}  // namespace kobai::data
