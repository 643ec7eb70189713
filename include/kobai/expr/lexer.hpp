// kobai/expr/lexer.hpp — splits an expression's text into tokens.
//
// Tokens: numbers (`3`, `0.5`, `.5`, `1e-3`, `2.5E+4`), names (a letter or `_`, then letters,
// digits, `_`), the operators `+ - * / ^` (and `**`, Python's spelling of `^`), parentheses and
// commas. Whitespace separates tokens and is otherwise ignored. Every token keeps its byte offset,
// so a syntax error can point at it. One left-to-right pass, no backtracking: linear time.
#pragma once

#include <charconv>
#include <cstddef>
#include <system_error>
#include <utility>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kobai/expr/parse_error.hpp"

namespace kobai::expr {

enum class TokenKind { number, name, plus, minus, star, slash, caret, left, right, comma, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string_view text{};
  std::size_t position = 0;
  double number = 0;
};

inline std::string describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::end: return "end of input";
    case TokenKind::number: return "the number " + std::string(t.text);
    case TokenKind::name: return "'" + std::string(t.text) + "'";
    default: return "'" + std::string(t.text) + "'";
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::string_view text() const { return text_; }

  Token next() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    Token t;
    t.position = pos_;
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])))
      return number();
    if (is_name_start(c)) {
      std::size_t end = pos_ + 1;
      while (end < text_.size() && is_name_char(text_[end])) ++end;
      t.kind = TokenKind::name;
      t.text = text_.substr(pos_, end - pos_);
      pos_ = end;
      return t;
    }
    std::size_t length = 1;
    switch (c) {
      case '+': t.kind = TokenKind::plus; break;
      case '-': t.kind = TokenKind::minus; break;
      case '*':
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
          t.kind = TokenKind::caret;
          length = 2;
        } else {
          t.kind = TokenKind::star;
        }
        break;
      case '/': t.kind = TokenKind::slash; break;
      case '^': t.kind = TokenKind::caret; break;
      case '(': t.kind = TokenKind::left; break;
      case ')': t.kind = TokenKind::right; break;
      case ',': t.kind = TokenKind::comma; break;
      default: unexpected_character();
    }
    t.text = text_.substr(pos_, length);
    pos_ += length;
    return t;
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
  // Out of line: keeps the hot path small (and GCC 12's -Wrestrict false positive away).
  [[noreturn]] [[gnu::noinline]] void unexpected_character() const {
    const auto byte = static_cast<unsigned char>(text_[pos_]);
    std::string reason = "unexpected character ";
    if (byte >= 0x20 && byte < 0x7f) {
      reason += '\'';
      reason += text_[pos_];
      reason += '\'';
    } else {
      const char* digits = "0123456789abcdef";
      reason += "byte 0x";
      reason += digits[byte >> 4];
      reason += digits[byte & 15];
    }
    reason += "; expected a number, a name, an operator (+ - * / ^), '(', ')' or ','";
    throw ParseError(text_, pos_, std::move(reason));
  }

  Token number() {
    const std::size_t start = pos_;
    std::size_t end = pos_;
    while (end < text_.size() && is_digit(text_[end])) ++end;
    if (end < text_.size() && text_[end] == '.') {
      ++end;
      while (end < text_.size() && is_digit(text_[end])) ++end;
    }
    // An exponent only when digits follow (`2e` is the number 2 followed by the name e).
    if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
      std::size_t e = end + 1;
      if (e < text_.size() && (text_[e] == '+' || text_[e] == '-')) ++e;
      if (e < text_.size() && is_digit(text_[e])) {
        while (e < text_.size() && is_digit(text_[e])) ++e;
        end = e;
      }
    }
    Token t;
    t.kind = TokenKind::number;
    t.position = start;
    t.text = text_.substr(start, end - start);
    // from_chars: locale-independent, correctly rounded. Out of range (1e999, 1e-999) falls back
    // to strtod's inf / 0: a domain matter, not a syntax error. A standard library without the
    // floating-point from_chars (Emscripten 3.1's libc++, for the browser playground) uses strtod
    // alone: its C locale is fixed and musl's strtod is correctly rounded too.
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    const auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), t.number);
    if (ec != std::errc() || ptr != t.text.data() + t.text.size()) {
      const std::string digits(t.text);
      t.number = std::strtod(digits.c_str(), nullptr);
    }
#else
    const std::string digits(t.text);
    t.number = std::strtod(digits.c_str(), nullptr);
#endif
    pos_ = end;
    return t;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace kobai::expr
