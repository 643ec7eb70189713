// `kobai basin` from the command line: bad input (one line naming the value, exit 2, no file),
// the counts it prints against its own CSV, a 1-D map, and the JSON summary.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_runner.hpp"

#ifndef KOBAI_EXE
#error "KOBAI_EXE (the path of the built kobai program) must be defined"
#endif

namespace {

namespace fs = std::filesystem;

using kobai_test::Output;

fs::path scratch() {
  static int counter = 0;
  const fs::path p = fs::temp_directory_path() / ("kobai_basin_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

Output kobai(const std::string& arguments, const fs::path& directory) {
  return kobai_test::run_shell("cd " + directory.string() + " && " + KOBAI_EXE + " " + arguments);
}

TEST(BasinCli, BadInputIsOneLineNamingTheValueAndNoFile) {
  const std::map<std::string, std::string> cases = {
      {"basin --function rosenbrock --dimension 4", "dimension 4"},
      {"basin --function beale --resolution 300", "300"},
      {"basin --function beale --resolution 1", "got 1"},
      {"basin --function beale --box 1,0,0,1", "--box"},
      {"basin --function beale --box 0,1,0", "--box"},
      {"basin --function beale --radius 0", "--radius"},
      {"basin --function beale --lr -1", "--lr"},
      {"basin --function beale --csv out.txt", "out.txt"},
  };
  for (const auto& [arguments, named] : cases) {
    const fs::path dir = scratch();
    const Output r = kobai(arguments + (arguments.find("--csv") == std::string::npos ? " --csv map.csv" : ""), dir);
    EXPECT_EQ(r.code, 2) << arguments;
    EXPECT_EQ(r.out, "") << arguments;
    EXPECT_NE(r.err.find("kobai: error: "), std::string::npos) << arguments << ": " << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << arguments << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(fs::is_empty(dir)) << arguments << ": left a file behind";
    fs::remove_all(dir);
  }
}

TEST(BasinCli, PrintedCountsAreTheCsvsCounts) {
  const fs::path dir = scratch();
  const Output o = kobai("basin --function sine_bowl --optimizer gd --lr 0.05 --iterations 5000 --resolution 101 --csv map.csv --json", dir);
  ASSERT_EQ(o.code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);
  std::map<std::string, int> printed;  // "minimum k" / "diverged" / "not converged" → starts
  int k = 0, total = 0;
  for (const auto& end : j["ends"]) {
    const std::string key = end["end"] == "minimum" ? "minimum " + std::to_string(k++) : end["end"].get<std::string>();
    printed[key] = end["starts"].get<int>();
    total += end["starts"].get<int>();
  }
  EXPECT_EQ(total, 101);
  EXPECT_EQ(j["grid"]["ny"], 1);
  std::ifstream csv(dir / "map.csv");
  std::map<std::string, int> counted;
  std::string line;
  while (std::getline(csv, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("ix,", 0) == 0) continue;
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string item; std::getline(s, item, ',');) f.push_back(item);
    ASSERT_EQ(f.size(), 9u) << line;  // 1-D: ix,iy,x,end,minimum,iterations,status,value,end_x
    ++counted[f[3] == "minimum" ? "minimum " + f[4] : f[3]];
  }
  for (const auto& [key, n] : printed)
    if (n > 0) {
      EXPECT_EQ(counted[key], n) << key;
    }
  // sine_bowl's three known minima each draw a share of [-12, 22] with small steps
  EXPECT_GT(printed["minimum 0"], 0);
  EXPECT_GT(printed["minimum 1"], 0);
  EXPECT_GT(printed["minimum 2"], 0);
  fs::remove_all(dir);
}

}  // namespace
