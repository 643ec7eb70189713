// optimizer_step_consumer — kobai's optimizer steps timed in a program built the way a user builds
// one: an installed kobai through find_package(kobai), CMake's default Release or RelWithDebInfo
// flags and nothing else (or plain `g++ -O2`). optimizer_step_bench runs it and prints its
// timings beside the project build's and torch's (issue 14: the kernels' speed must not depend on
// flags a user will not know to set). Prints one line per measurement:
//
//   step <optimizer> <float|double> <n> <threads> <ns per parameter> <probe bytes per second>
//
// Usage: optimizer_step_consumer --sizes 1e6,1e7 --threads 1,2 --optimizers adam,gd
//                                --dtypes float,double --seconds S --clock wall|cpu
#include <cstdio>
#include <string>

#include "../optimizer_step_timing.hpp"

int main(int argc, char** argv) {
  std::string sizes = "1e7", thread_list = "1", optimizers = "adam", dtypes = "float,double";
  double budget = 0.3;
  bool cpu_clock = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--sizes") sizes = value;
    else if (arg == "--threads") thread_list = value;
    else if (arg == "--optimizers") optimizers = value;
    else if (arg == "--dtypes") dtypes = value;
    else if (arg == "--seconds") budget = std::stod(value);
    else if (arg == "--clock" && (value == "cpu" || value == "wall")) cpu_clock = value == "cpu";
    else {
      std::fprintf(stderr, "unknown option %s\n", arg.c_str());
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr, "usage: %s [--sizes 1e6,1e7] [--threads 1,2] [--optimizers a,b] [--dtypes float,double] [--seconds S] [--clock wall|cpu]\n", argv[0]);
    return 2;
  }
  for (const std::string& t : kobai_bench::split(thread_list))
    for (const std::string& s : kobai_bench::split(sizes))
      for (const std::string& dtype : kobai_bench::split(dtypes)) {
        if (dtype != "float" && dtype != "double") {
          std::fprintf(stderr, "dtype must be float or double, got %s\n", dtype.c_str());
          return 2;
        }
        for (const std::string& name : kobai_bench::split(optimizers)) {
          const int threads = std::stoi(t);
          const auto n = static_cast<std::size_t>(std::stod(s));
          const kobai_bench::StepTiming timing =
              kobai_bench::time_kobai_step(dtype, name, n, threads, kobai_bench::row_budget(n, budget),
                                           kobai_bench::timer_for(cpu_clock, threads));
          std::printf("step %s %s %zu %d %.6f %.6e\n", name.c_str(), dtype.c_str(), n, threads,
                      timing.ns_per_parameter, timing.bandwidth);
          std::fflush(stdout);
        }
      }
  return 0;
}
