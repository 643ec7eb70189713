// kobai/report/history_writer.hpp — a run's history as CSV or JSON, written all-or-nothing.
//
// The CSV has one row per recorded iteration:
//   iteration,x0,x1,…,value,gradient_max_abs,gradient_norm,lr
// The JSON is one object of columns (a spreadsheet and a plotting script read either):
//   {"stride": S, "dimension": n, "iteration": [...], "x": [[x0,x1,…], …], "value": [...],
//    "gradient_max_abs": [...], "gradient_norm": [...], "lr": [...]}
// Numbers are written in their shortest round-trip form (reading one back gives the same double);
// a non-finite number is written as an empty CSV cell / JSON null, since neither format has NaN.
//
// Why all-or-nothing: a history file that a crash, a full disk or a bad option left half-written
// looks like a real result. `save_history` writes to a temporary file next to the target and
// renames it into place only when everything was written; on any failure the temporary file is
// removed and FileWriteError names the path. (Rename within one directory is atomic on POSIX.)
#pragma once

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>

#include "kobai/core/error.hpp"
#include "kobai/minimize/result.hpp"

namespace kobai::report {

// A file could not be written (not a usage error: the command line maps it to its own exit code).
class FileWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class HistoryFormat { csv, json };

// The format a path asks for, by extension; throws InvalidArgument for anything else, so a caller
// can check the path before a long run rather than after it.
inline HistoryFormat history_format_for(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".csv" || ext == ".CSV") return HistoryFormat::csv;
  if (ext == ".json" || ext == ".JSON") return HistoryFormat::json;
  throw InvalidArgument("history file must end in .csv or .json, got '" + path.string() + "'");
}

namespace detail {

inline void write_number(std::ostream& out, double v, const char* non_finite) {
  if (!std::isfinite(v)) {
    out << non_finite;
    return;
  }
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.write(buffer, end - buffer);
}

}  // namespace detail

inline void write_history_csv(std::ostream& out, const History& h) {
  const Eigen::Index n = h.points.empty() ? 0 : h.points.front().size();
  out << "iteration";
  for (Eigen::Index i = 0; i < n; ++i) out << ",x" << i;
  out << ",value,gradient_max_abs,gradient_norm,lr\n";
  for (std::size_t k = 0; k < h.size(); ++k) {
    out << h.iterations[k];
    for (Eigen::Index i = 0; i < n; ++i) {
      out << ',';
      detail::write_number(out, h.points[k][i], "");
    }
    for (double v : {h.values[k], h.gradient_max_abs[k], h.gradient_norm[k], h.learning_rates[k]}) {
      out << ',';
      detail::write_number(out, v, "");
    }
    out << '\n';
  }
}

inline void write_history_json(std::ostream& out, const History& h) {
  const Eigen::Index n = h.points.empty() ? 0 : h.points.front().size();
  auto column = [&](const char* name, const auto& values) {
    out << ",\n \"" << name << "\": [";
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (k) out << ',';
      detail::write_number(out, static_cast<double>(values[k]), "null");
    }
    out << ']';
  };
  out << "{\"stride\": " << h.stride << ", \"dimension\": " << n << ", \"rows\": " << h.size();
  out << ",\n \"iteration\": [";
  for (std::size_t k = 0; k < h.size(); ++k) out << (k ? "," : "") << h.iterations[k];
  out << "],\n \"x\": [";
  for (std::size_t k = 0; k < h.size(); ++k) {
    out << (k ? "," : "") << '[';
    for (Eigen::Index i = 0; i < n; ++i) {
      if (i) out << ',';
      detail::write_number(out, h.points[k][i], "null");
    }
    out << ']';
  }
  out << ']';
  column("value", h.values);
  column("gradient_max_abs", h.gradient_max_abs);
  column("gradient_norm", h.gradient_norm);
  column("lr", h.learning_rates);
  out << "\n}\n";
}

// Writes `path` through `write(stream)`: into a temporary file in the same directory, renamed
// into place when complete. On any failure nothing is left at either name.
inline void write_file_atomically(const std::filesystem::path& path,
                                  const std::function<void(std::ostream&)>& write) {
  const std::filesystem::path temporary =
      path.string() + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
  auto fail = [&](const std::string& why) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw FileWriteError("cannot write '" + path.string() + "': " + why);
  };
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot create a file in " +
                   (path.has_parent_path() ? "'" + path.parent_path().string() + "'" : std::string("the current directory")));
    try {
      write(out);
    } catch (const std::exception& e) {
      fail(e.what());
    }
    out.flush();
    if (!out) fail("write failed (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) fail(ec.message());
}

inline void save_history(const std::filesystem::path& path, const History& h) {
  const HistoryFormat format = history_format_for(path);
  write_file_atomically(path, [&](std::ostream& out) {
    if (format == HistoryFormat::csv) {
      write_history_csv(out, h);
    } else {
      write_history_json(out, h);
    }
  });
}

}  // namespace kobai::report
