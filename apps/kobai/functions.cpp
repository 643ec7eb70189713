// kobai/functions.cpp — `kobai functions`: the built-in problems, their dimension, known
// minimizers and plotting box (the registry in kobai/problems/registry.hpp is the source).
#include <cstdio>
#include <iostream>
#include <string>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/problems/registry.hpp"

namespace kobai::cli {

namespace {

std::string minimizers_text(const problems::Problem& p) {
  std::string s;
  char buffer[32];
  for (const Vector& m : p.global_minimizers) {
    if (!s.empty()) {  // the table shows one; --json has them all
      s += " (" + std::to_string(p.global_minimizers.size()) + " global)";
      break;
    }
    s += "[";
    for (Eigen::Index i = 0; i < m.size(); ++i) {
      std::snprintf(buffer, sizeof buffer, "%.6g", m[i]);
      s += (i ? ", " : "") + std::string(buffer);
    }
    s += "]";
  }
  if (s.empty()) s = "none";
  if (!p.local_minimizers.empty()) s += " (+" + std::to_string(p.local_minimizers.size()) + " local)";
  return s;
}

std::string box_text(const problems::Problem& p) {
  std::string s;
  for (Eigen::Index i = 0; i < p.box_lower.size(); ++i)
    s += (i ? " x " : "") + std::string("[") + format_number(p.box_lower[i]) + ", " +
         format_number(p.box_upper[i]) + "]";
  return s;
}

void list(bool json) {
  nlohmann::json rows = nlohmann::json::array();
  if (!json) std::printf("%-18s %-14s %-34s %s\n", "name", "dimension", "global minimizers", "box");
  for (const problems::ProblemInfo& info : problems::catalog()) {
    const problems::Problem p = problems::make(info.name, 0);
    if (json) {
      nlohmann::json row = problem_to_json(p);
      row["dimension_rule"] = info.dimension_rule;
      row["default_dimension"] = info.default_dimension;
      row["description"] = info.description;
      row["bounded_below"] = p.bounded_below;
      rows.push_back(row);
    } else {
      std::string dimension = std::to_string(p.dimension());
      if (info.dimension_rule != std::to_string(p.dimension()))
        dimension += " (" + info.dimension_rule + ")";
      std::printf("%-18s %-14s %-34s %s\n", info.name.c_str(), dimension.c_str(),
                  minimizers_text(p).c_str(), box_text(p).c_str());
    }
  }
  if (json) std::cout << rows.dump() << std::endl;
}

}  // namespace

void add_functions_command(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  auto* command = app.add_subcommand("functions", "list the built-in problems");
  command->add_flag("--json", *json, "print a JSON array, one object per problem");
  command->callback([json] { list(*json); });
}

}  // namespace kobai::cli
