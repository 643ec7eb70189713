// kobai/tour.hpp — the seed tour's experiments: data plus one small function each.
//
// Each experiment says what a seed document did and printed, and how to run the same thing with
// kobai. tour.cpp runs them, compares kobai's numbers with the seed's printed ones and prints the
// table. To add an experiment, append one entry to the list in tour_experiments.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kobai/core/types.hpp"
#include "kobai/minimize/verdict.hpp"
#include "kobai/report/report.hpp"

namespace kobai::cli {

struct TourOutcome {
  Vector values{};      // the numbers compared with the seed's printed ones (same order)
  std::string ended{};  // how kobai's run ended: "converged after 176 iterations", ...
  std::string facts{};  // computed details appended to the note ("trapped at the local minimum ...")
  std::vector<report::RunRecord> runs{};  // kobai's runs with their paths, for `tour --report`
  std::optional<RunVerdict> verdict{};    // the verdict of the experiment's kobai run (none: no run)
};

struct TourExperiment {
  std::string id{};            // stable key, e.g. "003-cubic" (tour --only matches prefixes)
  std::string seed{};          // "000" … "004"
  std::string what{};          // what the seed did, in one line
  std::string seed_printed{};  // what the seed printed, verbatim ("" when it printed nothing)
  std::vector<double> seed_values{};  // the same, as numbers (empty: nothing to compare)
  // |kobai − seed| ≤ tolerance · max(|seed|, 1e-300) per component means "reproduced". Usually
  // the seed's printed precision (8–9 significant digits → 1e-7).
  double tolerance = 1e-7;
  int digits = 9;  // significant digits kobai's numbers are shown with in the table
  std::string note{};  // why kobai differs, or what to look at
  std::function<TourOutcome()> run{};
};

// The experiments, in the seeds' order (tour_experiments.cpp). `record`: keep each run's path
// (history) in TourOutcome::runs, for the HTML report.
std::vector<TourExperiment> tour_experiments(bool progress, bool record = false);

}  // namespace kobai::cli
