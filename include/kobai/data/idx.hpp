// kobai/data/idx.hpp — the MNIST IDX files (LeCun et al.): `--data idx:DIR` with the four
// standard files, gzipped (.gz, as distributed) or not.
//
// An IDX file is a big-endian header — magic 0x00000803 for images (3 dimensions: count, rows,
// columns) or 0x00000801 for labels (1 dimension: count) — followed by one unsigned byte per pixel
// or label. The reader checks the magic, that the data is exactly as long as the header says
// (truncated files and trailing bytes are errors), that images and labels agree in count and
// labels are digits 0–9. Pixels become value / 255, as in torchvision and the npm digits.
// gzip is read with zlib's gzread, which also reads an uncompressed file as it is.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kobai/data/dataset.hpp"
#include "kobai/data/read_error.hpp"
#include "kobai/data/split.hpp"

namespace kobai::data {

namespace detail {

// The decompressed bytes of a gzip file, or the bytes of a plain file.
inline std::string read_maybe_gzipped(const std::string& file) {
  if (!std::filesystem::is_regular_file(file)) fail_file(file, "no such file");
  gzFile in = gzopen(file.c_str(), "rb");
  if (in == nullptr) fail_file(file, "cannot open the file");
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const int got = gzread(in, buffer, sizeof buffer);
    if (got < 0) {
      int code = 0;
      const std::string message = gzerror(in, &code);
      gzclose(in);
      fail_file(file, "cannot decompress (" + message + ")");
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  // gzread stops quietly at a truncated gzip stream; gzclose then reports it.
  int code = Z_OK;
  const std::string message = gzerror(in, &code);
  if (gzclose(in) != Z_OK || code != Z_OK)
    fail_file(file, "truncated or corrupt gzip data" + (message.empty() ? "" : " (" + message + ")"));
  return bytes;
}

inline std::uint32_t big_endian_u32(const std::string& bytes, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

inline std::string hex32(std::uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += digits[(v >> shift) & 15];
  return out;
}

// Checks magic and length; returns the dimensions (count[, rows, columns]).
inline std::vector<std::uint32_t> idx_header(const std::string& file, const std::string& bytes,
                                             std::uint32_t magic, int dimensions) {
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(dimensions);
  if (bytes.size() < header)
    fail_at_byte(file, bytes.size(),
                 "file ends inside the " + std::to_string(header) + "-byte header (truncated?)");
  const std::uint32_t found = big_endian_u32(bytes, 0);
  if (found != magic)
    fail_at_byte(file, 0, "wrong magic number " + hex32(found) + ", expected " + hex32(magic) +
                              (magic == 0x803 ? " (IDX images)" : " (IDX labels)"));
  std::vector<std::uint32_t> dims;
  std::uint64_t expected = header;
  std::uint64_t product = 1;
  for (int d = 0; d < dimensions; ++d) {
    dims.push_back(big_endian_u32(bytes, 4 + 4 * static_cast<std::size_t>(d)));
    product *= dims.back();
  }
  expected += product;
  if (bytes.size() < expected)
    fail_at_byte(file, bytes.size(),
                 "file ends early: the header promises " + std::to_string(product) +
                     " data bytes (" + std::to_string(expected) + " in all), the file has " +
                     std::to_string(bytes.size()) + " (truncated?)");
  if (bytes.size() > expected)
    fail_at_byte(file, expected, std::to_string(bytes.size() - expected) +
                                     " bytes after the data the header describes");
  return dims;
}

}  // namespace detail

// One pair of IDX files: images (count × rows × columns bytes) and labels (count bytes).
template <class T = double>
Dataset<T> read_idx(const std::string& images_file, const std::string& labels_file) {
  const std::string images = detail::read_maybe_gzipped(images_file);
  const std::string labels = detail::read_maybe_gzipped(labels_file);
  const auto image_dims = detail::idx_header(images_file, images, 0x803, 3);
  const auto label_dims = detail::idx_header(labels_file, labels, 0x801, 1);
  if (image_dims[0] != label_dims[0])
    fail_file(labels_file, "holds " + std::to_string(label_dims[0]) + " labels but " + images_file +
                               " holds " + std::to_string(image_dims[0]) + " images");
  const auto count = static_cast<Eigen::Index>(image_dims[0]);
  const auto pixels = static_cast<Eigen::Index>(image_dims[1]) * image_dims[2];
  if (pixels == 0) fail_at_byte(images_file, 8, "images have no pixels (rows or columns is 0)");
  Dataset<T> out;
  out.classes = 10;
  out.source = images_file;
  out.x.resize(pixels, count);
  const auto* data = reinterpret_cast<const unsigned char*>(images.data()) + 16;
  for (Eigen::Index j = 0; j < count; ++j)
    for (Eigen::Index i = 0; i < pixels; ++i)
      out.x(i, j) = static_cast<T>(data[j * pixels + i]) / T(255);
  out.labels.resize(static_cast<std::size_t>(count));
  for (std::size_t k = 0; k < out.labels.size(); ++k) {
    const auto label = static_cast<unsigned char>(labels[8 + k]);
    if (label > 9)
      fail_at_byte(labels_file, 8 + k, "label " + std::to_string(label) + " of sample " +
                                           std::to_string(k) + " is out of range 0-9");
    out.labels[k] = label;
  }
  return out;
}

// `dir`'s train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte, each with or without .gz: MNIST's own 60,000 / 10,000 split.
template <class T = double>
Split<T> read_idx_dir(const std::filesystem::path& dir) {
  const auto find = [&](const std::string& name) {
    for (const std::string& candidate : {name, name + ".gz"})
      if (std::filesystem::is_regular_file(dir / candidate)) return (dir / candidate).string();
    fail_file((dir / name).string(), "no such file (nor " + name + ".gz) in " + dir.string());
  };
  return {read_idx<T>(find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte")),
          read_idx<T>(find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte"))};
}

}  // namespace kobai::data
