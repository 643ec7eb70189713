// kobai/expr/parse_error.hpp — the error a mistyped expression gets.
//
//   kobai::expr::ParseError: expected ')' to close the '(' at column 4, got end of input
//     sin(x + 1
//              ^
//
// A ParseError is a kobai::InvalidArgument (bad input, thrown before anything runs) whose
// message quotes the text with a caret under the offending column and says what was expected
// there, or names the unknown function or variable. Long texts are shown as a window of about
// 70 characters around the position. position() is the 0-based byte offset, reason() the message
// without the quoted text (for callers that format errors themselves, e.g. JSON for the web page).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kobai/core/error.hpp"

namespace kobai::expr {

class ParseError : public InvalidArgument {
 public:
  ParseError(std::string_view text, std::size_t position, std::string reason)
      : InvalidArgument(format(text, position, reason)), position_(position),
        reason_(std::move(reason)) {}

  std::size_t position() const { return position_; }
  std::size_t column() const { return position_ + 1; }
  const std::string& reason() const { return reason_; }

  static std::string format(std::string_view text, std::size_t position, std::string_view reason) {
    constexpr std::size_t half_window = 35;
    if (position > text.size()) position = text.size();
    std::size_t begin = position > half_window ? position - half_window : 0;
    std::size_t end = std::min(text.size(), position + half_window);
    std::string shown;
    std::size_t caret = position - begin;
    if (begin > 0) {
      shown += "...";
      caret += 3;
    }
    for (std::size_t i = begin; i < end; ++i) {
      // Control bytes (newlines, tabs, NUL) become spaces: the caret stays aligned and what()
      // stays one C string.
      const auto c = static_cast<unsigned char>(text[i]);
      shown += (c < 0x20 || c == 0x7f) ? ' ' : text[i];
    }
    if (end < text.size()) shown += "...";
    std::string out = "in expression at column " + std::to_string(position + 1) + ": ";
    out += reason;
    out += "\n  ";
    out += shown;
    out += "\n  ";
    out += std::string(caret, ' ');
    out += '^';
    return out;
  }

 private:
  std::size_t position_;
  std::string reason_;
};

}  // namespace kobai::expr
