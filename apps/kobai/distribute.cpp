// kobai/distribute.cpp — see distribute.hpp.
#include "kobai/distribute.hpp"

#include <string>

#include "kobai/world.hpp"

namespace kobai::cli {

namespace {

void put_vector(train::ByteWriter& out, const Vector& v) {
  out.put_span(std::span<const double>(v.data(), static_cast<std::size_t>(v.size())));
}
Vector get_vector(train::ByteReader& in) {
  const std::vector<double> values = in.get_vector<double>();
  Vector v(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) v[static_cast<Eigen::Index>(i)] = values[i];
  return v;
}
template <class T>
void put_list(train::ByteWriter& out, const std::vector<T>& values) {
  out.put_span(std::span<const T>(values));
}

}  // namespace

void put_result(train::ByteWriter& out, const MinimizeResult& r) {
  put_vector(out, r.x);
  out.put(r.value);
  put_vector(out, r.gradient);
  out.put(r.gradient_max_abs);
  out.put(r.iterations);
  out.put(r.status);
  out.put_string(r.message);
  out.put<bool>(r.diverged_at.has_value());
  out.put<std::int64_t>(r.diverged_at.value_or(0));
  out.put(r.function_evaluations);
  out.put(r.gradient_evaluations);
  const History& h = r.history;
  out.put(h.stride);
  put_list(out, h.iterations);
  out.put<std::size_t>(h.points.size());
  for (const Vector& p : h.points) put_vector(out, p);
  put_list(out, h.values);
  put_list(out, h.gradient_max_abs);
  put_list(out, h.gradient_norm);
  put_list(out, h.learning_rates);
}

MinimizeResult get_result(train::ByteReader& in) {
  MinimizeResult r;
  r.x = get_vector(in);
  r.value = in.get<double>();
  r.gradient = get_vector(in);
  r.gradient_max_abs = in.get<double>();
  r.iterations = in.get<std::int64_t>();
  r.status = in.get<Status>();
  r.message = in.get_string();
  const bool diverged = in.get<bool>();
  const auto diverged_at = in.get<std::int64_t>();
  if (diverged) r.diverged_at = diverged_at;
  r.function_evaluations = in.get<std::int64_t>();
  r.gradient_evaluations = in.get<std::int64_t>();
  History& h = r.history;
  h.stride = in.get<std::int64_t>();
  h.iterations = in.get_vector<std::int64_t>();
  const auto points = in.get<std::size_t>();
  for (std::size_t i = 0; i < points; ++i) h.points.push_back(get_vector(in));
  h.values = in.get_vector<double>();
  h.gradient_max_abs = in.get_vector<double>();
  h.gradient_norm = in.get_vector<double>();
  h.learning_rates = in.get_vector<double>();
  return r;
}

void compute_on_ranks(std::size_t count, const std::function<void(std::size_t, train::ByteWriter&)>& compute_and_put,
                      const std::function<void(std::size_t, train::ByteReader&)>& get) {
  train::Communicator& w = world();
  train::ByteWriter mine;
  for (std::size_t i = 0; i < count; ++i) {
    if (!train::owns_item(w, i)) continue;
    mine.put(i);
    compute_and_put(i, mine);
  }
  const auto parts = w.gather(mine.bytes(), 0);
  if (!w.is_root()) return;
  std::size_t received = 0;
  for (const auto& part : parts) {
    train::ByteReader in(part);
    while (!in.done()) {
      const auto i = in.get<std::size_t>();
      if (i >= count) throw InvalidArgument("a rank sent item " + std::to_string(i) + " of " + std::to_string(count));
      get(i, in);
      ++received;
    }
  }
  if (received != count)
    throw InvalidArgument("the ranks sent " + std::to_string(received) + " of " + std::to_string(count) + " results");
}

std::vector<MinimizeResult> run_on_ranks(std::size_t count, const std::function<MinimizeResult(std::size_t)>& run,
                                         const std::function<bool()>& stop) {
  if (world().size() == 1) {  // one process: the plain loop, nothing to pack
    std::vector<MinimizeResult> results;
    for (std::size_t i = 0; i < count && !(stop && stop()); ++i) results.push_back(run(i));
    return results;
  }
  std::vector<MinimizeResult> results(is_output_rank() ? count : 0);
  compute_on_ranks(
      count, [&](std::size_t i, train::ByteWriter& out) { put_result(out, run(i)); },
      [&](std::size_t i, train::ByteReader& in) { results[i] = get_result(in); });
  return results;
}

}  // namespace kobai::cli
