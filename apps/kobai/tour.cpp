// kobai/tour.cpp — `kobai tour`: every experiment the seeds show, run with kobai, in one table.
//
// Columns: what the seed did, what it printed, what kobai got, how kobai's run ended, and whether
// kobai reproduced the seed's numbers (to the digits the seed printed). Notes under the table say
// why a row differs. `--json` prints the rows as one JSON array; `--only PREFIX` runs a subset.
// Every kobai run gets a verdict (kobai/minimize/verdict.hpp) and, in --report and --json, the
// `kobai run` line that repeats it. Ctrl-C ends the current run, runs no further experiment,
// prints the rows made and writes the report (interrupt.hpp).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/interrupt.hpp"
#include "kobai/multi_run.hpp"
#include "kobai/report/progress_bar.hpp"
#include "kobai/tour.hpp"

namespace kobai::cli {

namespace {

struct TourArguments {
  bool json = false;
  std::string report;
  std::vector<std::string> only;
  bool no_progress = false;
};

std::string short_point(const Vector& v, int digits) {
  std::string s = "[";
  char buffer[40];
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v[i]);
    s += (i ? ", " : "") + std::string(buffer);
  }
  return s + "]";
}

// "reproduced", "differs" or "-" (the seed printed no number to compare with).
std::string verdict(const TourExperiment& e, const Vector& got) {
  if (e.seed_values.empty()) return "-";
  if (got.size() != static_cast<Eigen::Index>(e.seed_values.size())) return "differs";
  for (Eigen::Index i = 0; i < got.size(); ++i) {
    const double s = e.seed_values[static_cast<std::size_t>(i)];
    if (!(std::abs(got[i] - s) <= e.tolerance * std::max(std::abs(s), 1e-300))) return "differs";
  }
  return "reproduced";
}

bool selected(const TourExperiment& e, const std::vector<std::string>& only) {
  if (only.empty()) return true;
  for (const auto& prefix : only)
    if (e.id.rfind(prefix, 0) == 0) return true;
  return false;
}

void wrap(const std::string& text, std::size_t indent, std::size_t width) {
  std::size_t column = indent;
  std::size_t start = 0;
  bool first = true;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!first && column + 1 + word.size() > width) {
      std::cout << "\n" << std::string(indent, ' ');
      column = indent;
    } else if (!first) {
      std::cout << ' ';
      ++column;
    }
    std::cout << word;
    column += word.size();
    first = false;
    start = end + 1;
  }
  std::cout << "\n";
}

void tour(const TourArguments& a) {
  if (!a.report.empty()) check_report_path(a.report, /*runs_page=*/true);
  std::vector<TourExperiment> experiments =
      tour_experiments(!a.no_progress && report::stderr_is_terminal(), !a.report.empty() || a.json);
  std::vector<report::Section> sections;
  std::vector<std::string> unknown;
  for (const auto& prefix : a.only) {
    bool any = false;
    for (const auto& e : experiments) any = any || e.id.rfind(prefix, 0) == 0;
    if (!any) unknown.push_back(prefix);
  }
  if (!unknown.empty())
    throw InvalidArgument("--only: no experiment id starts with '" + unknown.front() +
                          "' (ids look like 000-sphere-lr0.1, 003-beale-adam)");

  nlohmann::json rows = nlohmann::json::array();
  struct Printed { const TourExperiment* e; TourOutcome o; std::string verdict; double seconds; };
  std::vector<Printed> printed;
  const auto tour_start = std::chrono::steady_clock::now();
  std::vector<std::string> not_run;  // after Ctrl-C: the experiments left out
  for (const TourExperiment& e : experiments) {
    if (!selected(e, a.only)) continue;
    if (interrupted()) {
      not_run.push_back(e.id);
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    TourOutcome o = e.run();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string v = verdict(e, o.values);
    nlohmann::json runs_json = nlohmann::json::array();
    for (const report::RunRecord& run : o.runs)
      runs_json.push_back({{"label", run.label},
                           {"command", run.command},
                           {"x", to_json(run.result.x)},
                           {"iterations", run.result.iterations},
                           {"status", std::string(to_string(run.result.status))}});
    if (!o.runs.empty() && !a.report.empty())
      sections.push_back({.title = "[" + e.id + "] " + e.what,
                          .text = "Seed printed: " + (e.seed_printed.empty() ? std::string("(nothing)") : e.seed_printed) +
                                  ". kobai: " + o.ended +
                                  (o.verdict ? ", " + std::string(to_string(o.verdict->verdict)) : std::string()) +
                                  " (" + v + "). " + e.note +
                                  (o.facts.empty() ? "" : " " + o.facts),
                          .layout = report::Layout::single,
                          .runs = std::move(o.runs)});
    if (a.json) {
      nlohmann::json row;
      row["id"] = e.id;
      row["seed"] = e.seed;
      row["experiment"] = e.what;
      row["seed_printed"] = e.seed_printed;
      row["seed_values"] = e.seed_values;
      row["kobai_values"] = to_json(o.values);
      row["ended"] = o.ended;
      row["verdict"] = o.verdict ? nlohmann::json(std::string(to_string(o.verdict->verdict))) : nlohmann::json(nullptr);
      row["verdict_reason"] = o.verdict ? nlohmann::json(o.verdict->reason) : nlohmann::json(nullptr);
      // Each kobai run of the experiment with the command that repeats it (recorded with --report
      // or --json; a run no command can express says why in its place).
      row["runs"] = runs_json;
      row["match"] = v;
      row["tolerance"] = e.tolerance;
      row["note"] = e.note + (o.facts.empty() ? "" : (e.note.empty() ? "" : " ") + o.facts);
      row["seconds"] = seconds;
      rows.push_back(row);
    } else {
      printed.push_back({&e, std::move(o), v, seconds});
    }
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - tour_start).count();
  if (!a.report.empty() && !sections.empty())
    report::write_report(a.report, "kobai tour: the seeds' experiments", sections);
  if (a.json) {
    std::cout << rows.dump() << std::endl;
    return;
  }

  std::cout << "kobai tour: every experiment of the seed documents, run with kobai\n"
               "(match: reproduced = kobai's numbers equal the seed's printed ones to the digits "
               "printed; differs = see the note; - = the seed printed no number)\n\n";
  int reproduced = 0, differs = 0;
  for (std::size_t k = 0; k < printed.size(); ++k) {
    const Printed& p = printed[k];
    std::printf("%2zu. [%s] %s\n", k + 1, p.e->id.c_str(), p.e->what.c_str());
    std::printf("      seed printed: %s\n", p.e->seed_printed.empty() ? "(nothing)" : p.e->seed_printed.c_str());
    std::printf("      kobai got:    %s\n", short_point(p.o.values, p.e->digits).c_str());
    std::printf("      ended:        %s\n", p.o.ended.c_str());
    if (p.o.verdict) {
      std::cout << "      verdict:      ";
      wrap(std::string(to_string(p.o.verdict->verdict)) + ": " + p.o.verdict->reason, 20, 110);
    }
    std::printf("      match:        %s\n", p.verdict.c_str());
    std::fflush(stdout);
    const std::string note = p.e->note + (p.o.facts.empty() ? "" : (p.e->note.empty() ? "" : " ") + p.o.facts);
    if (!note.empty()) {
      std::cout << "      note:         ";
      wrap(note, 20, 110);
    }
    std::cout << "\n";
    reproduced += p.verdict == "reproduced";
    differs += p.verdict == "differs";
  }
  std::printf("%zu experiments in %.2f s: %d reproduced the seed's printed numbers, %d differ "
              "(each explained in its note), %zu had no number to compare.\n",
              printed.size(), total, reproduced, differs, printed.size() - static_cast<std::size_t>(reproduced + differs));
  if (!not_run.empty()) {
    std::string ids;
    for (const auto& id : not_run) ids += (ids.empty() ? "" : " ") + id;
    std::printf("Interrupted (Ctrl-C): %zu experiments not run: %s\n", not_run.size(), ids.c_str());
  }
}

}  // namespace

void add_tour_command(CLI::App& app) {
  auto arguments = std::make_shared<TourArguments>();
  auto* command = app.add_subcommand("tour", "run every experiment the seed documents show and compare");
  command->add_flag("--json", arguments->json, "print the rows as one JSON array");
  command->add_option("--only", arguments->only, "run only experiments whose id starts with this (repeatable)");
  command->add_option("--report", arguments->report, "also write the runs' paths as an HTML page FILE.html");
  command->add_flag("--no-progress", arguments->no_progress, "no progress bars even on a terminal");
  command->callback([arguments] { tour(*arguments); });
}

}  // namespace kobai::cli
