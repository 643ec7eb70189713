// kobai/train/checkpoint.hpp — a trained model, and a checkpoint of a run in progress.
//
// A model file holds the network (widths, activation, loss, initialisation) and its parameters;
// `kobai predict` reads it. A checkpoint holds, besides the model: the optimizer's state
// (torch.optim's names), the shuffling generator and the position in the epoch, the loop's
// counters, the history so far, and `config` — the run's settings as text — so that a resumed run
// continues exactly where the saved one was (bit for bit: tests/checkpoint_cli.cmake kills a run
// with SIGKILL mid-epoch and compares) and a checkpoint of a different run is refused, naming the
// first setting that differs. Both live in the container of train/binary_file.hpp (checksummed,
// written atomically).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kobai/nn/mlp.hpp"
#include "kobai/train/binary_file.hpp"
#include "kobai/train/optimizer.hpp"
#include "kobai/train/trainer.hpp"

namespace kobai::train {

enum class FileKind : std::uint32_t { model = 1, checkpoint = 2 };

template <class T>
struct Checkpoint {
  FileKind kind = FileKind::model;
  std::string config;              // "key=value" lines of the run's settings
  nn::MlpOptions network;
  std::vector<T> parameters;
  // checkpoint only
  std::string optimizer;
  SavedOptimizerState<T> optimizer_state;
  LoopState loop;
};

namespace detail {

inline void put_network(ByteWriter& w, const nn::MlpOptions& o) {
  std::vector<std::int64_t> widths(o.layers.begin(), o.layers.end());
  w.put_array(widths.data(), widths.size());
  w.put_string(nn::to_string(o.activation));
  w.put_string(nn::to_string(o.loss));
  w.put_string(nn::to_string(o.init));
  w.put<double>(o.init_std);
  w.put<double>(o.weight_decay);
}

inline nn::MlpOptions get_network(ByteReader& r) {
  nn::MlpOptions o;
  for (const std::int64_t w : r.get_array<std::int64_t>("the layer widths")) o.layers.push_back(w);
  try {
    o.activation = nn::parse_activation(r.get_string("the activation"));
    o.loss = nn::parse_loss(r.get_string("the loss"));
    o.init = nn::parse_init(r.get_string("the initialisation"));
    o.init_std = r.get<double>("the init std");
    o.weight_decay = r.get<double>("the weight decay");
    o.validate();
  } catch (const data::ReadError&) {
    throw;
  } catch (const InvalidArgument& e) {
    r.fail(std::string("bad network: ") + e.what());
  }
  return o;
}

}  // namespace detail

template <class T>
void save_checkpoint(const std::filesystem::path& path, const Checkpoint<T>& c) {
  ByteWriter w;
  w.put<std::uint32_t>(static_cast<std::uint32_t>(c.kind));
  w.put<std::uint32_t>(sizeof(T));
  w.put_string(c.config);
  detail::put_network(w, c.network);
  w.put_array(c.parameters.data(), c.parameters.size());
  if (c.kind == FileKind::checkpoint) {
    w.put_string(c.optimizer);
    w.put<std::int64_t>(c.optimizer_state.step);
    w.put<std::uint64_t>(c.optimizer_state.buffers.size());
    for (const auto& [name, values] : c.optimizer_state.buffers) {
      w.put_string(name);
      w.put_array(values.data(), values.size());
    }
    w.put<std::uint64_t>(c.optimizer_state.scalars.size());
    for (const auto& [name, value] : c.optimizer_state.scalars) {
      w.put_string(name);
      w.put<double>(value);
    }
    const LoopState& l = c.loop;
    w.put_array(l.sampler.random_before_epoch.data(), l.sampler.random_before_epoch.size());
    w.put<std::int64_t>(l.sampler.epoch);
    w.put<std::uint64_t>(l.sampler.position);
    w.put<std::int64_t>(l.iteration);
    w.put<double>(l.epoch_loss_sum);
    w.put<std::uint64_t>(l.epoch_samples);
    w.put<double>(l.elapsed_seconds);
    w.put<std::uint64_t>(l.history.size());
    for (const EpochRecord& r : l.history) {
      w.put<double>(r.epoch);
      w.put<std::int64_t>(r.iteration);
      for (const double v : {r.train_loss, r.test_loss, r.test_accuracy, r.lr, r.seconds}) w.put<double>(v);
    }
    w.put_array(l.batch_losses.data(), l.batch_losses.size());
  }
  write_binary_file(path, w.bytes());
}

// Reads a model or checkpoint saved with element type T (a file of the other precision is an
// error naming both).
template <class T>
Checkpoint<T> load_checkpoint(const std::string& file) {
  const std::string payload = read_binary_payload(file);
  ByteReader r(file, payload, 20);
  Checkpoint<T> c;
  const auto kind = r.get<std::uint32_t>("the kind");
  if (kind != 1 && kind != 2) r.fail("unknown kind " + std::to_string(kind));
  c.kind = static_cast<FileKind>(kind);
  const auto size = r.get<std::uint32_t>("the element size");
  if (size != sizeof(T))
    r.fail(std::string("holds ") + (size == 4 ? "float32" : "float64") + " parameters, expected " +
           (sizeof(T) == 4 ? "float32" : "float64"));
  c.config = r.get_string("the settings");
  c.network = detail::get_network(r);
  c.parameters = r.get_array<T>("the parameters");
  const nn::Mlp<T> shape(c.network);
  if (c.parameters.size() != shape.parameter_count())
    r.fail("holds " + std::to_string(c.parameters.size()) + " parameters, the network " +
           c.network.describe() + " has " + std::to_string(shape.parameter_count()));
  if (c.kind == FileKind::checkpoint) {
    c.optimizer = r.get_string("the optimizer's name");
    c.optimizer_state.step = r.get<std::int64_t>("the optimizer's step");
    const auto buffers = r.get<std::uint64_t>("the optimizer's buffer count");
    for (std::uint64_t i = 0; i < buffers; ++i) {
      std::string name = r.get_string("an optimizer buffer's name");
      std::vector<T> values = r.get_array<T>("an optimizer buffer");
      if (values.size() != c.parameters.size())
        r.fail("optimizer buffer '" + name + "' holds " + std::to_string(values.size()) + " values, expected " +
               std::to_string(c.parameters.size()));
      c.optimizer_state.buffers.emplace(std::move(name), std::move(values));
    }
    const auto scalars = r.get<std::uint64_t>("the optimizer's scalar count");
    for (std::uint64_t i = 0; i < scalars; ++i) {
      std::string name = r.get_string("an optimizer scalar's name");
      c.optimizer_state.scalars.emplace(std::move(name), r.get<double>("an optimizer scalar"));
    }
    LoopState& l = c.loop;
    const auto random = r.get_array<std::uint64_t>("the shuffling generator");
    if (random.size() != 4) r.fail("the shuffling generator has " + std::to_string(random.size()) + " words, expected 4");
    std::copy(random.begin(), random.end(), l.sampler.random_before_epoch.begin());
    l.sampler.epoch = r.get<std::int64_t>("the epoch");
    l.sampler.position = r.get<std::uint64_t>("the position in the epoch");
    l.iteration = r.get<std::int64_t>("the iteration");
    l.epoch_loss_sum = r.get<double>("the epoch's loss sum");
    l.epoch_samples = r.get<std::uint64_t>("the epoch's sample count");
    l.elapsed_seconds = r.get<double>("the elapsed time");
    const auto rows = r.get<std::uint64_t>("the history length");
    for (std::uint64_t i = 0; i < rows; ++i) {
      EpochRecord e;
      e.epoch = r.get<double>("a history row");
      e.iteration = r.get<std::int64_t>("a history row");
      e.train_loss = r.get<double>("a history row");
      e.test_loss = r.get<double>("a history row");
      e.test_accuracy = r.get<double>("a history row");
      e.lr = r.get<double>("a history row");
      e.seconds = r.get<double>("a history row");
      l.history.push_back(e);
    }
    l.batch_losses = r.get_array<double>("the batch losses");
  }
  if (!r.at_end()) r.fail("unexpected bytes after the last field");
  return c;
}

// The element size of a model or checkpoint file (4 or 8), to pick the precision to load it in.
inline std::uint32_t checkpoint_element_size(const std::string& file) {
  const std::string payload = read_binary_payload(file);
  ByteReader r(file, payload, 20);
  r.get<std::uint32_t>("the kind");
  const auto size = r.get<std::uint32_t>("the element size");
  if (size != 4 && size != 8) r.fail("element size " + std::to_string(size) + ", expected 4 or 8");
  return size;
}

// The first "key=value" line that differs between two settings texts, as a sentence; empty if
// they are equal.
inline std::string first_difference(const std::string& saved, const std::string& now) {
  const auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return out;
  };
  const auto a = lines(saved), b = lines(now);
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "(nothing)", y = i < b.size() ? b[i] : "(nothing)";
    if (x != y) return "the checkpoint was written with " + x + ", this run has " + y;
  }
  return {};
}

}  // namespace kobai::train
