// kobai/train/binary_file.hpp — the container of models and checkpoints: little-endian fields in
// a payload framed by a magic number, the payload's length, and its checksum; written atomically.
//
//   "KOBAI-NN" (8 bytes) | format version u32 | payload length u64 | payload | FNV-1a-64(payload) u64
//
// A reader checks, before it interprets a single field: the magic (not a kobai file), the
// version, that the file holds exactly the promised length plus the checksum (truncated or with
// trailing bytes), and the checksum (corrupt). A field read past the payload's end names the field.
// Writing goes to a temporary file in the same directory, flushed to disk (fsync), then renamed
// over the target: a reader sees the old file or the new one, never half of one, even after
// kill -9 or a power cut in the middle of a write.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/data/read_error.hpp"

namespace kobai::train {

inline constexpr char binary_magic[8] = {'K', 'O', 'B', 'A', 'I', '-', 'N', 'N'};
inline constexpr std::uint32_t binary_version = 1;

inline std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class ByteWriter {
 public:
  template <class T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void put_string(std::string_view s) {
    put<std::uint64_t>(s.size());
    bytes_.append(s);
  }
  template <class T>
  void put_array(const T* data, std::size_t n) {
    put<std::uint64_t>(n);
    bytes_.append(reinterpret_cast<const char*>(data), n * sizeof(T));
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  ByteReader(std::string file, std::string_view payload, std::size_t base)
      : file_(std::move(file)), payload_(payload), base_(base) {}

  template <class T>
  T get(const char* what) {
    need(sizeof(T), what);
    T value;
    std::memcpy(&value, payload_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  std::string get_string(const char* what) {
    const auto n = get<std::uint64_t>(what);
    need(n, what);
    std::string s(payload_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <class T>
  std::vector<T> get_array(const char* what) {
    const auto n = get<std::uint64_t>(what);
    if (n > payload_.size() / sizeof(T) + 1) need(n * sizeof(T), what);
    need(n * sizeof(T), what);
    std::vector<T> v(n);
    if (n > 0) std::memcpy(v.data(), payload_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return v;
  }
  bool at_end() const { return pos_ == payload_.size(); }
  [[noreturn]] void fail(const std::string& what) const {
    data::fail_at_byte(file_, base_ + pos_, what);
  }

 private:
  void need(std::uint64_t n, const char* what) const {
    if (n > payload_.size() - pos_)
      fail(std::string("the payload ends inside ") + what + " (needs " + std::to_string(n) +
           " more bytes, " + std::to_string(payload_.size() - pos_) + " left)");
  }
  std::string file_;
  std::string_view payload_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

// The checked payload of a kobai binary file (the returned string owns it).
inline std::string read_binary_payload(const std::string& file) {
  const std::string bytes = data::read_file(file);
  constexpr std::size_t header = 8 + 4 + 8;
  if (bytes.size() < 8 || std::memcmp(bytes.data(), binary_magic, 8) != 0)
    data::fail_at_byte(file, 0, "not a kobai model or checkpoint (no KOBAI-NN magic)");
  if (bytes.size() < header + 8)
    data::fail_at_byte(file, bytes.size(), "file ends inside the header (truncated)");
  std::uint32_t version = 0;
  std::uint64_t length = 0;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&length, bytes.data() + 12, 8);
  if (version != binary_version)
    data::fail_at_byte(file, 8, "format version " + std::to_string(version) + ", this kobai reads " +
                                    std::to_string(binary_version));
  if (bytes.size() != header + length + 8)
    data::fail_at_byte(file, bytes.size() < header + length + 8 ? bytes.size() : header + length + 8,
                       "the header promises " + std::to_string(header + length + 8) +
                           " bytes, the file has " + std::to_string(bytes.size()) +
                           (bytes.size() < header + length + 8 ? " (truncated)" : " (trailing bytes)"));
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + header + length, 8);
  const std::string payload = bytes.substr(header, length);
  if (fnv1a64(payload) != stored)
    data::fail_at_byte(file, header + length, "checksum mismatch: the file is corrupt");
  return payload;
}

// Writes `payload` framed as above to `path`, atomically; throws InvalidArgument naming the path.
inline void write_binary_file(const std::filesystem::path& path, const std::string& payload) {
  std::string bytes(binary_magic, 8);
  bytes.append(reinterpret_cast<const char*>(&binary_version), 4);
  const std::uint64_t length = payload.size();
  bytes.append(reinterpret_cast<const char*>(&length), 8);
  bytes += payload;
  const std::uint64_t sum = fnv1a64(payload);
  bytes.append(reinterpret_cast<const char*>(&sum), 8);
  const std::string temporary = path.string() + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw InvalidArgument("cannot write '" + path.string() + "': cannot create " + temporary);
  std::size_t done = 0;
  bool ok = true;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    throw InvalidArgument("cannot write '" + path.string() + "' (disk full or no permission?)");
  }
}

}  // namespace kobai::train
