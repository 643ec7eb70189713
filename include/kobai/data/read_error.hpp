// kobai/data/read_error.hpp — what a reader says about a bad file: the file, where in it, and what
// was wrong ("digits/3.json: byte 1042: expected ',' or ']', got 'x'").
//
// A reader reads the whole file and checks it before returning anything, so nothing is ever
// trained on half-read data; the error is an InvalidArgument (bad input, exit code 2 in the CLI).
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/core/error.hpp"

namespace kobai::data {

class ReadError : public InvalidArgument {
 public:
  using InvalidArgument::InvalidArgument;
};

[[noreturn]] inline void fail_at_byte(const std::string& file, std::uint64_t byte,
                                      const std::string& what) {
  throw ReadError(file + ": byte " + std::to_string(byte) + ": " + what);
}
[[noreturn]] inline void fail_at_line(const std::string& file, std::uint64_t line,
                                      const std::string& what) {
  throw ReadError(file + ": line " + std::to_string(line) + ": " + what);
}
[[noreturn]] inline void fail_file(const std::string& file, const std::string& what) {
  throw ReadError(file + ": " + what);
}

// The bytes of a file; a missing or unreadable file is a ReadError naming it.
inline std::string read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail_file(file, "cannot open the file");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail_file(file, "read failed");
  return bytes;
}

// Text for an error message: printable characters as they are, others as \xNN, at most 20.
inline std::string quoted_excerpt(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < 20; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 32 && c < 127) {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (text.size() > 20) out += "...";
  return "'" + out + "'";
}

}  // namespace kobai::data
