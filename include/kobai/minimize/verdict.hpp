// kobai/minimize/verdict.hpp — what a run's numbers say: converged, still descending, oscillating,
// stalled or diverged.
//
// The status says why the loop stopped (a tolerance, the iteration limit, …); the verdict says
// where the run got. They differ exactly where a reader can be misled: a run stopped at the
// iteration limit with f = 0.039 on Beale (f* = 0) and f still falling is not "converged", however
// far the gradient fell from where it started. The rules, in order (f* is the problem's minimum
// value where it is known; ‖∇f‖∞ = max_i |∂f/∂x_i|, the loop's own stopping quantity):
//
//   diverged     the loop said so (a non-finite value, or one past the divergence bound), or f
//                ended higher than it started: the run lost ground
//   converged    a stopping tolerance was met (status converged); or the numbers are small at the
//                end: ‖∇f‖∞ ≤ gradient_small (1e-5, SciPy's default gtol) and, where f* is known,
//                f − f* ≤ value_small · max(1, |f*|) (1e-6)
//   oscillating  the step reverses direction in at least half of the recorded step pairs (at
//                least two pairs): s_k = x_{k+1} − x_k, a reversal is s_k · s_{k−1} < 0. Seed 002's
//                振動: x jumps from one side of the minimum to the other
//   stalled      ‖∇f‖∞ is small but f − f* is not (a local minimum or a saddle, not the minimum);
//                or over the last quarter of the run f fell by no more than stall_fraction (0.1%)
//                of what remained above f* (above 0, where f* is not known)
//   descending   otherwise: still going down when the run ended, at the limit or interrupted
//
// So a run that ends at the iteration limit is converged only when its numbers are small, and
// a run still going down is "descending" whatever its gradient did relative to the start.
//
// The rules read the recorded history (record_history): its first row is the start, and for long
// runs the loop keeps every stride-th iterate, so a "step" is the displacement over a stride and
// reversals faster than the stride are invisible. Without a history only the status and the end
// point are known: diverged, converged (tolerance or small numbers), or else descending with a
// reason that says the history is missing.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "kobai/minimize/result.hpp"

namespace kobai {

enum class Verdict {
  converged,    // a tolerance met, or ‖∇f‖ and f − f* small at the end
  descending,   // still going down when the run ended (the iteration limit, an interrupt)
  oscillating,  // the step keeps reversing direction
  stalled,      // no real progress at the end: stuck away from the minimum
  diverged,     // blew up, or ended higher than it started
};

constexpr std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::converged: return "converged";
    case Verdict::descending: return "descending";
    case Verdict::oscillating: return "oscillating";
    case Verdict::stalled: return "stalled";
    case Verdict::diverged: return "diverged";
  }
  return "unknown";
}

struct VerdictOptions {
  // f*, the problem's minimum value, where it is known (nullopt for a function typed as text).
  std::optional<double> minimum_value{};
  // ‖∇f‖∞ at or below this is "small" (SciPy's default gtol for BFGS and L-BFGS-B).
  double gradient_small = 1e-5;
  // f − f* at or below value_small · max(1, |f*|) is "small".
  double value_small = 1e-6;
  // Stalled when the last quarter of the run removed at most this fraction of f − f* (as it stood
  // at the start of that quarter).
  double stall_fraction = 1e-3;
};

struct RunVerdict {
  Verdict verdict = Verdict::descending;
  std::string reason;  // one sentence with the numbers that decided
};

namespace detail {

inline std::string verdict_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

// "at the iteration limit", "when interrupted", …: how the run ended, for the reasons.
inline std::string ended_phrase(const MinimizeResult& r) {
  switch (r.status) {
    case Status::iteration_limit: return "at the iteration limit (" + std::to_string(r.iterations) + " iterations)";
    case Status::interrupted: return "when interrupted (iteration " + std::to_string(r.iterations) + ")";
    case Status::stopped: return "when a callback stopped it (iteration " + std::to_string(r.iterations) + ")";
    case Status::line_search_failed:
      return "when the line search failed (iteration " + std::to_string(r.iterations) + ")";
    default: return "after " + std::to_string(r.iterations) + " iterations";
  }
}

// Counts the recorded step pairs and those whose direction reverses.
struct Reversals {
  std::size_t pairs = 0, reversals = 0;
};
inline Reversals count_reversals(const History& h) {
  Reversals c;
  for (std::size_t k = 2; k < h.size(); ++k) {
    if (h.points[k].size() != h.points[k - 1].size() || h.points[k - 1].size() != h.points[k - 2].size()) continue;
    const Vector previous = h.points[k - 1] - h.points[k - 2];
    const Vector step = h.points[k] - h.points[k - 1];
    if (previous.squaredNorm() == 0 || step.squaredNorm() == 0) continue;  // no move, no direction
    ++c.pairs;
    if (step.dot(previous) < 0) ++c.reversals;
  }
  return c;
}

}  // namespace detail

inline RunVerdict judge(const MinimizeResult& r, const VerdictOptions& options = {}) {
  using detail::verdict_number;
  const History& h = r.history;
  const bool consistent = h.points.size() == h.size() && h.values.size() == h.size();
  const bool has_history = consistent && h.size() >= 2;
  const std::optional<double> f_star = options.minimum_value;

  // 1. diverged
  if (r.status == Status::diverged) return {Verdict::diverged, r.message};
  if (!std::isfinite(r.value)) return {Verdict::diverged, "f(x) is " + verdict_number(r.value) + " at the end"};
  if (consistent && !h.empty() && r.value > h.values.front())
    return {Verdict::diverged, "f ended higher than it started: " + verdict_number(r.value) + " against " +
                                   verdict_number(h.values.front()) + " at the start"};

  // 2. converged: a tolerance met, or small numbers at the end
  const double gap = f_star ? r.value - *f_star : r.value;
  const bool gradient_small = r.gradient_max_abs <= options.gradient_small;
  const bool gap_small = !f_star || gap <= options.value_small * std::max(1.0, std::abs(*f_star));
  const std::string gap_text = f_star ? "f − f* = " + verdict_number(gap) : "f = " + verdict_number(r.value);
  const std::string gradient_text = "max |∂f/∂xᵢ| = " + verdict_number(r.gradient_max_abs);
  if (r.status == Status::converged) {
    std::string reason = r.message;
    if (!gap_small)
      reason += "; f − f* = " + verdict_number(gap) + " there: a local minimum (or a saddle), not the minimum";
    return {Verdict::converged, reason};
  }
  if (gradient_small && gap_small)
    return {Verdict::converged, gradient_text + " ≤ " + verdict_number(options.gradient_small) +
                                    (f_star ? " and " + gap_text : std::string()) + " " + detail::ended_phrase(r) +
                                    ", although no stopping tolerance was met"};
  if (!has_history)
    return {Verdict::descending, "no history was recorded, so only the end is known: " + gap_text + ", " +
                                     gradient_text + " " + detail::ended_phrase(r)};

  // 3. oscillating
  const detail::Reversals turns = detail::count_reversals(h);
  if (turns.pairs >= 2 && 2 * turns.reversals >= turns.pairs)
    return {Verdict::oscillating, "the step reversed direction in " + std::to_string(turns.reversals) + " of " +
                                      std::to_string(turns.pairs) + " recorded step pairs; " + gap_text + ", " +
                                      gradient_text + " " + detail::ended_phrase(r)};

  // 4. stalled at a stationary point that is not the minimum
  if (gradient_small)
    return {Verdict::stalled, "stuck at a stationary point (" + gradient_text + ") where " + gap_text +
                                  ": a local minimum (or a saddle), not the minimum"};

  // 5. stalled or still descending: what the last quarter of the run achieved
  const std::int64_t last = h.iterations.back();
  const std::int64_t quarter_start = last - std::max<std::int64_t>(1, last / 4);
  std::size_t from = 0;  // the last recorded row at or before the quarter's start
  for (std::size_t k = 0; k + 1 < h.size(); ++k)
    if (h.iterations[k] <= quarter_start) from = k;
  const double before = h.values[from];
  const double fell = before - r.value;
  const double remaining = f_star ? before - *f_star : std::abs(before);
  const std::int64_t span = last - h.iterations[from];
  const std::string over = "over the last " + std::to_string(span) + (span == 1 ? " iteration" : " iterations");
  const std::string share = remaining > 0 ? " (" + verdict_number(100 * std::max(fell, 0.0) / remaining) + "% of " +
                                                 (f_star ? "f − f*" : "|f|") + ")"
                                           : std::string();
  if (!(fell > options.stall_fraction * remaining))
    return {Verdict::stalled, "f fell by only " + verdict_number(std::max(fell, 0.0)) + " " + over + share + "; " +
                                  gap_text + ", " + gradient_text + " " + detail::ended_phrase(r)};
  return {Verdict::descending, "f fell from " + verdict_number(before) + " to " + verdict_number(r.value) + " " +
                                   over + share + " and was still falling " + detail::ended_phrase(r) + "; " +
                                   gradient_text};
}

}  // namespace kobai
