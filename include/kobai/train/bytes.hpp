// kobai/train/bytes.hpp — values packed into bytes and read back, bit for bit, to send between ranks.
//
// Results computed on other ranks travel as bytes (Communicator::gather) and must come back with
// the very bits they had (a sweep split over ranks has to equal the one-process sweep exactly), so
// numbers are copied as their object representation, never printed as text. Both ends are the
// same program on the same kind of machine (one mpirun job), so byte order needs no conversion.
#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "kobai/core/error.hpp"

namespace kobai::train {

class ByteWriter {
 public:
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void put(const T& value) {
    const auto* p = reinterpret_cast<const std::byte*>(&value);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void put_span(std::span<const T> values) {
    put<std::size_t>(values.size());
    const auto* p = reinterpret_cast<const std::byte*>(values.data());
    bytes_.insert(bytes_.end(), p, p + values.size_bytes());
  }
  void put_string(const std::string& s) { put_span(std::span<const char>(s.data(), s.size())); }

  std::vector<std::byte>& bytes() { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  template <class T>
    requires std::is_trivially_copyable_v<T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  std::vector<T> get_vector() {
    const auto n = get<std::size_t>();
    if (n > (bytes_.size() - at_) / (sizeof(T) ? sizeof(T) : 1)) fail();
    std::vector<T> values(n);
    if (n) std::memcpy(values.data(), take(n * sizeof(T)), n * sizeof(T));
    return values;
  }
  std::string get_string() {
    const std::vector<char> chars = get_vector<char>();
    return std::string(chars.begin(), chars.end());
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::byte* take(std::size_t n) {
    if (n > bytes_.size() - at_) fail();
    const std::byte* p = bytes_.data() + at_;
    at_ += n;
    return p;
  }
  [[noreturn]] static void fail() {
    throw InvalidArgument("a message from another rank ended early (the ranks run different builds of kobai?)");
  }

  std::span<const std::byte> bytes_;
  std::size_t at_ = 0;
};

}  // namespace kobai::train
