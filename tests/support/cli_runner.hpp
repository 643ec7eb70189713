// Shared by the tests that run the built `kobai` program (cli_test, playground_cli_test,
// basin_cli_test): a scratch directory that cleans up after itself, reading a file whole, and
// running a shell command while keeping its stdout, stderr and exit code apart.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace kobai_test {

namespace fs = std::filesystem;

struct Output {
  int code = -1;  // the exit status; -1 when the program did not exit normally (a signal)
  std::string out, err;
};

// A fresh empty directory, removed with everything in it when the object goes. The name carries the
// process id and a counter, so tests running in parallel (ctest -j) never share one.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "kobai_test") {
    path_ = fs::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  bool empty() const { return fs::is_empty(path_); }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) names.push_back(entry.path().filename().string());
    return names;
  }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` through the shell; stdout is read from the pipe, stderr goes through a file (so
// that the two never interleave).
inline Output run_shell(const std::string& command) {
  TempDir scratch("kobai_test_stderr");
  const fs::path err = scratch.path() / "stderr";
  Output o;
  FILE* pipe = ::popen((command + " 2>" + err.string()).c_str(), "r");
  if (!pipe) return o;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) o.out.append(buffer, n);
  const int status = ::pclose(pipe);
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.err = slurp(err);
  return o;
}

}  // namespace kobai_test
