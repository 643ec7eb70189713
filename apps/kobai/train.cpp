// kobai/train.cpp — `kobai train`: a network trained on the bundled digits (or IDX or CSV data)
// with any first-order optimizer, test accuracy after every epoch.
//
//   kobai train                                   # 784-100-10 ReLU, Adam 1e-3, batch 100, 10 epochs
//   kobai train --hidden 50 --activation sigmoid --optimizer gd --lr 0.1 --epochs 17
//   kobai train --check-gradient                  # backprop vs the numerical gradient
//
// Everything is parsed, loaded and validated before the first step; files are written whole or
// not at all.
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "kobai/commands.hpp"
#include "kobai/interrupt.hpp"
#include "kobai/common.hpp"
#include "kobai/core/parallel.hpp"
#include "kobai/nn/gradient_check.hpp"
#include "kobai/report/history_writer.hpp"
#include "kobai/report/progress_bar.hpp"
#include "kobai/report/training_page.hpp"
#include "kobai/multi_run.hpp"
#include "kobai/train/checkpoint.hpp"
#include "kobai/train/deterministic_reducer.hpp"
#include "kobai/train/mpi_reducer.hpp"
#include "kobai/train/optimizer.hpp"
#include "kobai/train/trainer.hpp"
#include "kobai/train_command.hpp"
#include "kobai/train_data.hpp"
#include "kobai/world.hpp"

namespace kobai::cli {

namespace {

std::vector<Eigen::Index> parse_widths(const std::string& text, const char* option) {
  std::vector<Eigen::Index> widths;
  for (const double w : parse_number_list(text, option)) {
    if (w != std::floor(w) || w < 1 || w > 1e7)
      throw InvalidArgument(std::string(option) + ": layer widths must be whole numbers >= 1, got " +
                            format_number(w));
    widths.push_back(static_cast<Eigen::Index>(w));
  }
  return widths;
}

// A progress bar on standard error (a terminal only): epoch, running loss, ETA.
class TrainProgress {
 public:
  explicit TrainProgress(bool enabled) : enabled_(enabled), start_(Clock::now()), last_(start_) {}
  void operator()(const train::StepInfo& s) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (s.iteration != s.total_iterations && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double done = static_cast<double>(s.iteration) / static_cast<double>(s.total_iterations);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const int width = 30, filled = static_cast<int>(done * width);
    std::fprintf(stderr, "\r  [%s%s] %3.0f%%  epoch %lld  loss %.4f  ETA %.1fs   ",
                 std::string(static_cast<std::size_t>(filled), '=').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), 100 * done,
                 static_cast<long long>(s.epoch + 1), s.running_loss,
                 done > 0 ? elapsed * (1 - done) / done : 0.0);
    std::fflush(stderr);
  }
  void clear() {
    if (enabled_) std::fprintf(stderr, "\r%80s\r", "");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point start_, last_;
};

std::string percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", 100 * fraction);
  return text;
}

std::string fixed(double v, int digits) {
  if (std::isnan(v)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

void print_row(const train::EpochRecord& r) {
  char line[160];
  std::snprintf(line, sizeof line, "%7s %9lld %11s %10s %9s %10s %8s\n",
                fixed(r.epoch, r.epoch == std::floor(r.epoch) ? 0 : 2).c_str(),
                static_cast<long long>(r.iteration), fixed(r.train_loss, 4).c_str(),
                fixed(r.test_loss, 4).c_str(),
                std::isnan(r.test_accuracy) ? "-" : percent(r.test_accuracy).c_str(),
                format_number(r.lr).c_str(), fixed(r.seconds, 2).c_str());
  std::cout << line << std::flush;
}

nlohmann::json row_to_json(const train::EpochRecord& r) {
  auto number = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  return {{"epoch", r.epoch},           {"iteration", r.iteration},
          {"train_loss", number(r.train_loss)}, {"test_loss", number(r.test_loss)},
          {"test_accuracy", number(r.test_accuracy)}, {"lr", r.lr}, {"seconds", r.seconds}};
}

void write_history(const std::string& path, const std::vector<train::EpochRecord>& rows) {
  report::write_file_atomically(path, [&](std::ostream& out) {
    out << "epoch,iteration,train_loss,test_loss,test_accuracy,lr,seconds\n";
    out.precision(17);
    for (const auto& r : rows) {
      auto cell = [&](double v) {
        if (std::isfinite(v)) out << v;
      };
      cell(r.epoch);
      out << ',' << r.iteration << ',';
      cell(r.train_loss);
      out << ',';
      cell(r.test_loss);
      out << ',';
      cell(r.test_accuracy);
      out << ',';
      cell(r.lr);
      out << ',';
      cell(r.seconds);
      out << '\n';
    }
  });
}

// The parameters' bytes hashed (FNV-1a, 64 bits): ranks that took the same steps hold the same bits.
template <class T>
std::uint64_t parameter_hash(const T* values, std::size_t count) {
  std::uint64_t h = 14695981039346656037ull;
  const auto* bytes = reinterpret_cast<const unsigned char*>(values);
  for (std::size_t i = 0; i < count * sizeof(T); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
  return h;
}

// --check-every: every rank compares its parameters' hash with rank 0's; a rank that differs
// (a bug, or a rank whose floating point behaves differently) says so and ends the job, since
// training on would average gradients of different models.
template <class T>
void check_ranks_agree(const nn::Mlp<T>& net, std::int64_t iteration) {
  train::Communicator& w = world();
  const std::uint64_t mine = parameter_hash(net.parameters().data(), net.parameters().size());
  std::vector<std::byte> root(sizeof mine);
  std::memcpy(root.data(), &mine, sizeof mine);
  w.broadcast(root, 0);
  std::uint64_t theirs = 0;
  std::memcpy(&theirs, root.data(), sizeof theirs);
  if (theirs == mine) return;
  char hex[2][17];
  std::snprintf(hex[0], sizeof hex[0], "%016llx", static_cast<unsigned long long>(mine));
  std::snprintf(hex[1], sizeof hex[1], "%016llx", static_cast<unsigned long long>(theirs));
  report_error(rank_prefix() + "--check-every: after iteration " + std::to_string(iteration) +
                   " this rank's parameters (hash " + hex[0] + ") differ from rank 0's (hash " + hex[1] +
                   "); the ranks no longer train the same model",
               exit_check_failed);
  std::cerr.flush();
  w.abort(exit_check_failed);
}

std::string settings_text(const AnyFirstOrder& any) {
  std::string text;
  for (const auto& [k, v] : any.hyperparameters()) {
    if (!text.empty()) text += ", ";
    text += k;
    text += ' ';
    text += format_number(v);
  }
  return text;
}

// --report: the page, started before the first run (Plotly read, so a missing one stops nothing
// half-done), one TrainingRun added per run.
template <class T>
report::TrainingPage start_training_page(const TrainArguments& a, const LoadedData& loaded,
                                         const nn::MlpOptions& net_options, const data::Dataset<T>& test,
                                         const std::string& names) {
  report::TrainingPage page;
  page.title = "kobai train: " + names;
  page.text = net_options.describe() + " on " + loaded.description + "; batch " + std::to_string(a.batch_size) +
              ", seed " + std::to_string(a.seed) + (names.find(',') != std::string::npos
                                                        ? "; every optimizer starts from the same weights and sees the same batches."
                                                        : ".");
  page.command = command_line();
  page.classes = test.classes;
  page.test_labels = test.labels;
  page.features = static_cast<int>(test.features());
  const auto pixels = test.x.template cast<float>().eval();
  page.images.assign(pixels.data(), pixels.data() + pixels.size());
  page.plotly_js = report::find_plotly_js();
  return page;
}

// Training-set accuracy at each evaluated row (what EpochRecord lacks), when a report wants it.
template <class T>
std::function<void(const train::EpochRecord&)> with_train_accuracy(bool wanted, nn::Mlp<T>& net,
                                                                   const data::Dataset<T>& train,
                                                                   std::vector<double>& accuracies,
                                                                   std::function<void(const train::EpochRecord&)> then) {
  if (!wanted) return then;
  return [&net, &train, &accuracies, then](const train::EpochRecord& r) {
    accuracies.push_back(net.evaluate(train).accuracy);
    if (then) then(r);
  };
}

template <class T>
report::TrainingRun training_run(const AnyFirstOrder& any, const train::TrainResult& result,
                                 const std::vector<double>& train_accuracies, nn::Mlp<T>& net,
                                 const data::Dataset<T>& test) {
  report::TrainingRun run{.optimizer = any.name(), .settings = settings_text(any),
                          .status = train::to_string(result.status), .rows = {}, .predicted = {}};
  for (std::size_t i = 0; i < result.history.size(); ++i) {
    const train::EpochRecord& r = result.history[i];
    run.rows.push_back({.epoch = r.epoch, .iteration = r.iteration, .train_loss = r.train_loss,
                        .test_loss = r.test_loss,
                        .train_accuracy = i < train_accuracies.size() ? train_accuracies[i] : NAN,
                        .test_accuracy = r.test_accuracy});
  }
  run.predicted = net.evaluate(test, /*keep_predictions=*/true).predicted;
  return run;
}

}  // namespace

nn::MlpOptions network_options(const TrainArguments& a, const data::Dataset<double>& train) {
  nn::MlpOptions o;
  if (!a.layers.empty() && a.hidden_given)
    throw InvalidArgument("--layers and --hidden both give the hidden layers; use one");
  const Eigen::Index outputs = train.outputs();
  if (!a.layers.empty()) {
    o.layers = parse_widths(a.layers, "--layers");
    if (o.layers.size() < 2) throw InvalidArgument("--layers needs at least an input and an output width, got '" + a.layers + "'");
    if (o.layers.front() != train.features())
      throw InvalidArgument("--layers starts with " + std::to_string(o.layers.front()) +
                            " inputs, but the data has " + std::to_string(train.features()) + " features");
    if (o.layers.back() != outputs)
      throw InvalidArgument("--layers ends with " + std::to_string(o.layers.back()) +
                            " outputs, but the data has " + std::to_string(outputs) +
                            (train.is_classification() ? " classes" : " targets"));
  } else {
    o.layers.push_back(train.features());
    if (!a.hidden.empty() && a.hidden != "none")
      for (const Eigen::Index w : parse_widths(a.hidden, "--hidden")) o.layers.push_back(w);
    o.layers.push_back(outputs);
  }
  o.activation = nn::parse_activation(a.activation);
  o.loss = a.loss.empty() ? (train.is_classification() ? nn::Loss::softmax_cross_entropy : nn::Loss::mse)
                          : nn::parse_loss(a.loss);
  o.init = nn::parse_init(a.init);
  o.init_std = parse_number(a.init_std, "--init-std");
  o.weight_decay = parse_number(a.l2, "--l2");
  o.validate();
  return o;
}

train::TrainOptions train_options(const TrainArguments& a) {
  train::TrainOptions o;
  o.epochs = a.epochs;
  o.iterations = a.iterations;
  if (a.batch_size < 1) throw InvalidArgument("--batch-size must be >= 1, got " + std::to_string(a.batch_size));
  o.batch_size = static_cast<std::size_t>(a.batch_size);
  o.seed = a.seed;
  if (!a.schedule.empty()) o.schedule = parse_schedule(a.schedule);
  o.validate();
  return o;
}

AnyFirstOrder train_optimizer(const TrainArguments& a, const std::string& name) {
  if (!a.optimizer.line_search.empty() || a.optimizer.memory || !a.optimizer.hessian.empty())
    throw InvalidArgument("--line-search, --memory and --hessian do not apply to kobai train "
                          "(first-order optimizers only)");
  OptimizerArguments o = a.optimizer;
  o.name = name == "sgd" ? "gd" : name;
  if (!is_first_order(o.name))
    throw InvalidArgument("--optimizer: '" + name + "' is not a first-order optimizer; choose one of sgd, " +
                          detail::joined_first_order_names());
  return make_optimizer(o);
}

std::string run_config(const TrainArguments& a, const nn::MlpOptions& network, const AnyFirstOrder& optimizer) {
  std::ostringstream out;
  out << "data=" << a.data.data << "\nlabel_column=" << a.data.label_column << "\nregression=" << a.data.regression
      << "\ntrain_size=" << a.data.train_size << "\ntest_size=" << a.data.test_size
      << "\nsplit_seed=" << a.data.split_seed << "\nnetwork=" << network.describe()
      << "\ninit=" << nn::to_string(network.init) << " " << format_number(network.init_std)
      << "\nl2=" << format_number(network.weight_decay)
      << "\ndtype=" << (a.dtype == "double" || a.dtype == "float64" ? "float64" : "float32")
      << "\noptimizer=" << optimizer.name();
  for (const auto& [k, v] : optimizer.hyperparameters()) out << "\n" << k << "=" << format_number(v);
  out << "\nepochs=" << a.epochs << "\niterations=" << a.iterations << "\nbatch_size=" << a.batch_size
      << "\nseed=" << a.seed << "\nschedule=" << a.schedule;
  return out.str();
}

namespace {

int check_gradient_command(const TrainArguments& a, const data::Split<double>& data, const nn::MlpOptions& options) {
  nn::Mlp<double> net(options);
  net.initialize(a.seed);
  const Eigen::Index n = std::min<Eigen::Index>(3, data.train.size());
  const auto batch = data.train.head(static_cast<std::size_t>(n));
  data::ColumnMatrix<double> targets = batch.targets;
  if (batch.is_classification() && options.loss == nn::Loss::mse)
    targets = Eigen::Map<const data::ColumnMatrix<double>>(net.one_hot(batch.labels.data(), n), net.outputs(), n);
  const auto report = nn::check_gradient(net, batch.x.data(), n, batch.labels.data(), targets.data(), 1e-4,
                                         static_cast<std::size_t>(a.check_entries));
  // Central differences in double with h = 1e-4 leave ~1e-9 of truncation on these losses; a
  // wrong gradient is off by far more. The course's published figures are 1e-10 to 1e-13.
  bool passed = true;
  nlohmann::json arrays = nlohmann::json::array();
  if (!a.json)
    std::cout << "gradient check: " << options.describe() << ", float64, " << n
              << " training samples, central difference h = 1e-4\n"
              << "  array  entries checked   mean |backprop - numerical|   max       max relative\n";
  for (const auto& r : report.arrays) {
    const bool ok = r.mean_abs_difference < 1e-7;
    passed = passed && ok;
    arrays.push_back({{"name", r.name}, {"size", r.size}, {"checked", r.checked},
                      {"mean_abs_difference", r.mean_abs_difference},
                      {"max_abs_difference", r.max_abs_difference},
                      {"max_relative_difference", r.max_relative_difference}, {"passed", ok}});
    if (!a.json) {
      char line[200];
      std::snprintf(line, sizeof line, "  %-5s %7zu %7zu   %.3g%*s %.3g   %.3g%s\n", r.name.c_str(), r.size,
                    r.checked, r.mean_abs_difference, 20, "", r.max_abs_difference,
                    r.max_relative_difference, ok ? "" : "   FAILED");
      std::cout << line;
    }
  }
  if (a.json)
    std::cout << nlohmann::json{{"network", options.describe()}, {"samples", n}, {"step", 1e-4},
                                {"arrays", arrays}, {"passed", passed}}.dump()
              << std::endl;
  else
    std::cout << (passed ? "passed" : "FAILED") << " (mean difference < 1e-7 in every array)\n";
  set_exit_status(passed ? exit_ok : exit_check_failed);
  return 0;
}

// --deterministic's chunk: --chunk-size, else 25 samples. Each chunk costs a whole gradient buffer
// written and added (P values), so small chunks are slow: at 1 rank chunks of 10 took 1.5-2.1x
// the plain step, 25 1.2x, 50 1.05x (docs/scaling.md); a batch of 100 in chunks of 25 still splits
// 2 + 2 over 2 ranks and 1 each over 4.
std::size_t deterministic_chunk(const TrainArguments& a) {
  return a.chunk_size_given ? static_cast<std::size_t>(a.chunk_size) : 25;
}

// Under mpirun, the ranks leave train_with together: the others wait here until rank 0 has
// written its files and printed its summary, so that none ends (exit status 130 after Ctrl-C)
// while rank 0 is still writing — mpirun ends the whole job when one rank exits non-zero.
struct LeaveTogether {
  LeaveTogether() = default;
  LeaveTogether(const LeaveTogether&) = delete;
  LeaveTogether& operator=(const LeaveTogether&) = delete;
  ~LeaveTogether() {
    // Flushed now: after Ctrl-C on mpirun, its SIGKILL may come before the rank's normal exit.
    std::cout.flush();
    if (world().size() > 1 && std::uncaught_exceptions() == 0) world().barrier();
  }
};

template <class T>
void train_with(const TrainArguments& a, const LoadedData& loaded, const nn::MlpOptions& net_options,
                const train::TrainOptions& options, const AnyFirstOrder& any) {
  const data::Dataset<T> train = loaded.split.train.cast<T>();
  const data::Dataset<T> test = loaded.split.test.cast<T>();
  nn::Mlp<T> net(net_options);
  net.initialize(a.seed);
  auto optimizer = train::TypedOptimizer<T>::from(any);
  train::TrainOptions o = options;
  o.stop = &interrupt_flag();  // Ctrl-C (interrupt.hpp): stop after the current step
  o.checkpoint_every = a.checkpoint.empty() ? 0 : a.checkpoint_every;
  // Under mpirun -np K every rank computes its 1/K of each batch; one allreduce per step. Each
  // step's reduction carries every rank's Ctrl-C flag, so all stop after the same step.
  // --deterministic: chunks summed in a fixed order (the same bits for any K, one process too).
  train::CommunicatorReducer<T> plain(world(), o.stop);
  std::optional<train::DeterministicReducer<T>> ordered;
  if (a.deterministic) ordered.emplace(world(), deterministic_chunk(a), o.stop);
  train::GradientReducer<T>* reducer = ordered ? static_cast<train::GradientReducer<T>*>(&*ordered) : &plain;
  train::Trainer trainer(net, optimizer, train, &test, o, reducer);
  const bool output = is_output_rank();
  const nlohmann::json hyper = hyperparameters_to_json(any);
  const std::string config = run_config(a, net_options, any);
  if (!a.resume.empty()) {
    // Everything checked before anything is changed: a refused checkpoint changes nothing.
    const auto saved = train::load_checkpoint<T>(a.resume);
    if (saved.kind != train::FileKind::checkpoint)
      throw InvalidArgument("--resume: " + a.resume + " is a model, not a checkpoint (it has no optimizer state)");
    if (const std::string diff = train::first_difference(saved.config, config); !diff.empty())
      throw InvalidArgument("--resume: " + a.resume + " belongs to another run: " + diff);
    trainer.load_state(saved.loop);
    optimizer.load_state(saved.optimizer_state);
    std::copy(saved.parameters.begin(), saved.parameters.end(), net.parameters().data());
  }
  auto make_checkpoint = [&](train::FileKind kind) {
    train::Checkpoint<T> c;
    c.kind = kind;
    c.config = config;
    c.network = net_options;
    c.parameters.assign(net.parameters().data(), net.parameters().data() + net.parameters().size());
    if (kind == train::FileKind::checkpoint) {
      c.optimizer = any.name();
      optimizer.save_state(c.optimizer_state);
      c.loop = trainer.state();
    }
    return c;
  };
  if (!a.checkpoint.empty()) {
    train::SavedOptimizerState<T> probe;
    if (!optimizer.save_state(probe))
      throw InvalidArgument("--checkpoint: cannot save " + any.name() + "'s state");
    trainer.on_checkpoint = [&] {
      if (output) train::save_checkpoint(a.checkpoint, make_checkpoint(train::FileKind::checkpoint));
    };
    // For tests/train_checkpoint.sh: a signal to itself after iteration N, as a user would send it
    // (SIGKILL: nothing runs after it; SIGINT: the Ctrl-C path).
    const char* kill_at = std::getenv("KOBAI_TEST_KILL_AT");
    const char* interrupt_at = std::getenv("KOBAI_TEST_INTERRUPT_AT");
    const std::int64_t kill_iteration = kill_at ? std::atoll(kill_at) : -1;
    const std::int64_t interrupt_iteration = interrupt_at ? std::atoll(interrupt_at) : -1;
    if (kill_iteration > 0 || interrupt_iteration > 0)
      trainer.on_step = [kill_iteration, interrupt_iteration](const train::StepInfo& s) {
        if (s.iteration == kill_iteration) std::raise(SIGKILL);
        if (s.iteration == interrupt_iteration) std::raise(SIGINT);
      };
  }
  if (!a.json && output) {
    std::cout << "kobai train: " << net_options.describe() << ", " << (sizeof(T) == 4 ? "float32" : "float64")
              << ", " << net.parameter_count() << " parameters\n  optimizer  " << any.name() << " (";
    bool first = true;
    for (const auto& [k, v] : hyper.items()) {
      std::cout << (first ? "" : ", ") << k << " " << (v.is_number() ? format_number(v.template get<double>()) : v.dump());
      first = false;
    }
    std::cout << ")" << (a.schedule.empty() ? "" : ", schedule " + a.schedule) << "\n  data       "
              << loaded.description << "\n  training   batch " << options.batch_size << ", "
              << trainer.total_iterations() << " iterations (" << trainer.batches_per_epoch()
              << " per epoch), seed " << a.seed << ", " << num_threads() << " thread(s)"
              << (world().size() > 1 ? std::string(" per process") : std::string())
              << (a.threads == 0 && !default_threads_note().empty() ? " (" + default_threads_note() + ")" : std::string())
              << (world().size() > 1 && !a.deterministic
                      ? ", " + std::to_string(world().size()) + " processes (batch split " +
                            std::to_string(options.batch_size / static_cast<std::size_t>(world().size())) +
                            "+ per process, one allreduce per step)"
                      : std::string())
              << (a.deterministic ? "\n  deterministic chunks of " + std::to_string(deterministic_chunk(a)) +
                                        " samples, summed in order" +
                                        (world().size() > 1 ? " across " + std::to_string(world().size()) + " processes"
                                                            : std::string()) +
                                        " (the same bits for any number of processes)"
                                  : std::string())
              << "\n\n"
              << "  epoch iteration  train loss  test loss  test acc         lr     time\n";
  }
  std::optional<report::TrainingPage> page;
  if (!a.report.empty() && output) page = start_training_page(a, loaded, net_options, test, any.name());
  std::vector<double> train_accuracies;
  TrainProgress progress(output && a.progress && !a.json && report::stderr_is_terminal());
  if (!trainer.on_step) trainer.on_step = [&](const train::StepInfo& s) { progress(s); };
  // For tests/mpi/train_data_parallel.sh: rank 1 nudges a parameter after iteration N, so that
  // --check-every has a real divergence to catch.
  if (const char* desync_at = std::getenv("KOBAI_TEST_DESYNC_AT"); desync_at && world().rank() == 1)
    trainer.on_step = [&net, at = std::atoll(desync_at), inner = trainer.on_step](const train::StepInfo& s) {
      if (s.iteration == at) net.parameters().data()[0] += T(1e-3);
      inner(s);
    };
  if (a.check_every > 0 && world().size() > 1)
    trainer.on_step = [&net, every = a.check_every, inner = trainer.on_step](const train::StepInfo& s) {
      if (s.iteration % every == 0) check_ranks_agree(net, s.iteration);
      inner(s);
    };
  trainer.on_epoch = with_train_accuracy<T>(page.has_value(), net, train, train_accuracies,
                                            [&](const train::EpochRecord& r) {
                                              progress.clear();
                                              if (!a.json && output) print_row(r);
                                            });
  const train::TrainResult result = trainer.run();
  progress.clear();
  const LeaveTogether leave_together;
  // At the end (or on Ctrl-C): the checkpoint at the current step, the model, the history.
  if (result.status == train::TrainStatus::stopped) set_exit_status(exit_interrupted);
  if (!output) return;  // the other ranks hold the same model; rank 0 writes and reports
  if (!a.checkpoint.empty()) train::save_checkpoint(a.checkpoint, make_checkpoint(train::FileKind::checkpoint));
  if (!a.save_model.empty()) train::save_checkpoint(a.save_model, make_checkpoint(train::FileKind::model));
  if (!a.history.empty()) write_history(a.history, result.history);
  if (page) {
    page->runs.push_back(training_run(any, result, train_accuracies, net, test));
    report::write_training_report(a.report, *page);
  }
  const train::EpochRecord& last = result.history.back();
  if (result.history.back().epoch != std::floor(result.history.back().epoch) && !a.json) print_row(last);
  if (a.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : result.history) rows.push_back(row_to_json(r));
    std::cout << nlohmann::json{{"network", net_options.describe()},
                                {"layers", net_options.layers},
                                {"dtype", sizeof(T) == 4 ? "float32" : "float64"},
                                {"parameters", net.parameter_count()},
                                {"optimizer", any.name()},
                                {"hyperparameters", hyper},
                                {"data", loaded.description},
                                {"batch_size", options.batch_size},
                                {"seed", a.seed},
                                {"status", train::to_string(result.status)},
                                {"message", result.message},
                                {"diverged_at", result.diverged_at ? nlohmann::json(*result.diverged_at) : nlohmann::json(nullptr)},
                                {"iterations", result.iterations},
                                {"test_accuracy", std::isfinite(last.test_accuracy) ? nlohmann::json(last.test_accuracy) : nlohmann::json(nullptr)},
                                {"test_loss", std::isfinite(last.test_loss) ? nlohmann::json(last.test_loss) : nlohmann::json(nullptr)},
                                {"train_seconds", result.seconds},
                                {"history", rows}}
                     .dump()
              << std::endl;
    return;
  }
  std::cout << "\n  status     " << train::to_string(result.status) << ": " << result.message << "\n";
  if (std::isfinite(last.test_accuracy))
    std::cout << "  test accuracy " << percent(last.test_accuracy) << " ("
              << static_cast<long long>(std::llround(last.test_accuracy * static_cast<double>(test.size())))
              << "/" << test.size() << ")";
  else
    std::cout << "  test loss " << fixed(last.test_loss, 6);
  std::cout << " after " << fixed(last.epoch, last.epoch == std::floor(last.epoch) ? 0 : 2) << " epochs, "
            << fixed(result.seconds, 2) << " s of training\n";
  if (!a.history.empty()) std::cout << "  history    " << a.history << " (" << result.history.size() << " rows)\n";
  if (!a.report.empty()) std::cout << "  report     " << a.report << "\n";
  if (!a.checkpoint.empty()) std::cout << "  checkpoint " << a.checkpoint << " (iteration " << result.iterations << ")\n";
  if (!a.save_model.empty()) std::cout << "  model      " << a.save_model << "\n";
}

// --optimizers a,b,c: the same network, initial weights and batches, once per optimizer (each
// with its own PyTorch defaults unless an option sets a hyperparameter for all), then a table.
template <class T>
void compare_with(const TrainArguments& a, const LoadedData& loaded, const nn::MlpOptions& net_options,
                  const train::TrainOptions& options, const std::vector<AnyFirstOrder>& optimizers) {
  const data::Dataset<T> train = loaded.split.train.template cast<T>();
  const data::Dataset<T> test = loaded.split.test.template cast<T>();
  nlohmann::json runs = nlohmann::json::array();
  std::optional<report::TrainingPage> page;
  if (!a.report.empty()) {
    std::string names;
    for (const AnyFirstOrder& any : optimizers) names += (names.empty() ? "" : ", ") + any.name();
    page = start_training_page(a, loaded, net_options, test, names);
  }
  if (!a.json)
    std::cout << "kobai train --optimizers: " << net_options.describe() << ", " << loaded.description
              << ", batch " << options.batch_size << ", seed " << a.seed << "\n\n"
              << "  optimizer    lr      iterations  train loss  test loss  test acc   status      time\n";
  for (const AnyFirstOrder& any : optimizers) {
    nn::Mlp<T> net(net_options);
    net.initialize(a.seed);
    auto optimizer = train::TypedOptimizer<T>::from(any);
    train::TrainOptions o = options;
    o.stop = &interrupt_flag();  // Ctrl-C (interrupt.hpp): stop after the current step
    std::optional<train::DeterministicReducer<T>> ordered;  // one process: the same chunks and sums
    if (a.deterministic) ordered.emplace(world(), deterministic_chunk(a), o.stop);
    train::Trainer trainer(net, optimizer, train, &test, o, ordered ? &*ordered : nullptr);
    std::vector<double> train_accuracies;
    trainer.on_epoch = with_train_accuracy<T>(page.has_value(), net, train, train_accuracies, {});
    const train::TrainResult r = trainer.run();
    if (page) page->runs.push_back(training_run(any, r, train_accuracies, net, test));
    const train::EpochRecord& last = r.history.back();
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : r.history) rows.push_back(row_to_json(row));
    runs.push_back({{"optimizer", any.name()}, {"hyperparameters", hyperparameters_to_json(any)},
                    {"status", train::to_string(r.status)}, {"iterations", r.iterations},
                    {"test_accuracy", std::isfinite(last.test_accuracy) ? nlohmann::json(last.test_accuracy) : nlohmann::json(nullptr)},
                    {"train_seconds", r.seconds}, {"history", rows}});
    if (!a.json) {
      char line[200];
      std::snprintf(line, sizeof line, "  %-10s %-9s %10lld %11s %10s %9s   %-9s %5.2fs\n", any.name().c_str(),
                    format_number(any.lr()).c_str(), static_cast<long long>(r.iterations),
                    fixed(last.train_loss, 4).c_str(), fixed(last.test_loss, 4).c_str(),
                    std::isnan(last.test_accuracy) ? "-" : percent(last.test_accuracy).c_str(),
                    train::to_string(r.status).c_str(), r.seconds);
      std::cout << line << std::flush;
    }
    if (r.status == train::TrainStatus::stopped) {
      set_exit_status(exit_interrupted);
      break;
    }
  }
  if (page) report::write_training_report(a.report, *page);
  if (a.json) {
    nlohmann::json j{{"network", net_options.describe()}, {"data", loaded.description},
                     {"batch_size", options.batch_size}, {"seed", a.seed}, {"runs", runs}};
    if (page) j["report"] = a.report;
    std::cout << j.dump() << std::endl;
  } else if (page) {
    std::cout << "\n  report     " << a.report << "\n";
  }
}

void run_train(const TrainArguments& a) {
  // 1. everything validated before any work
  if (a.threads < 0) throw InvalidArgument("--threads must be >= 0, got " + std::to_string(a.threads));
  if (a.threads > 0) set_num_threads(a.threads);
  if (a.dtype != "float" && a.dtype != "float32" && a.dtype != "double" && a.dtype != "float64")
    throw InvalidArgument("--dtype must be float or double, got '" + a.dtype + "'");
  if (a.check_entries < 0) throw InvalidArgument("--check-entries must be >= 0, got " + std::to_string(a.check_entries));
  const train::TrainOptions options = train_options(a);
  const AnyFirstOrder any = train_optimizer(a, a.optimizer.name);
  std::vector<AnyFirstOrder> compared;
  if (!a.optimizers.empty()) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = a.optimizers.find(',', start);
      const std::string name = a.optimizers.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (name.empty()) throw InvalidArgument("--optimizers: empty name in '" + a.optimizers + "'");
      compared.push_back(train_optimizer(a, name));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (!a.checkpoint.empty() || !a.resume.empty() || !a.save_model.empty() || !a.history.empty() || a.check_gradient)
      throw InvalidArgument("--optimizers compares runs; --checkpoint, --resume, --save-model, --history and "
                            "--check-gradient apply to a single run");
  }
  if (!a.history.empty()) {
    const std::filesystem::path p(a.history);
    if (p.extension() != ".csv") throw InvalidArgument("--history must name a .csv file, got '" + a.history + "'");
    const auto dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(dir))
      throw InvalidArgument("--history: directory '" + dir.string() + "' does not exist");
  }
  if (a.checkpoint_every < 1) throw InvalidArgument("--checkpoint-every must be >= 1, got " + std::to_string(a.checkpoint_every));
  for (const std::string* path : {&a.checkpoint, &a.save_model}) {
    if (path->empty()) continue;
    const std::filesystem::path p(*path);
    const auto dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(dir))
      throw InvalidArgument("directory '" + dir.string() + "' of '" + *path + "' does not exist");
  }
  if (a.check_every < 0) throw InvalidArgument("--check-every must be >= 0, got " + std::to_string(a.check_every));
  if (a.chunk_size_given && a.chunk_size < 1)
    throw InvalidArgument("--chunk-size must be >= 1, got " + std::to_string(a.chunk_size));
  if (a.chunk_size_given && !a.deterministic)
    throw InvalidArgument("--chunk-size " + std::to_string(a.chunk_size) + " applies to --deterministic only");
  if (const int ranks = world().size(); ranks > 1) {
    if (!compared.empty() || a.check_gradient)
      throw InvalidArgument("under mpirun kobai train splits one run's batches across the processes; "
                            "--optimizers and --check-gradient run in one process");
    if (options.batch_size < static_cast<std::size_t>(ranks))
      throw InvalidArgument("--batch-size " + std::to_string(options.batch_size) + " is smaller than the " +
                            std::to_string(ranks) + " processes it is split across");
  }
  if (!a.report.empty()) {
    if (a.check_gradient) throw InvalidArgument("--report draws a training run; --check-gradient trains none");
    check_report_path(a.report);
  }
  const LoadedData loaded = load_data(a.data);
  const nn::MlpOptions net_options = network_options(a, loaded.split.train);
  if (!a.report.empty() && (!loaded.split.test.is_classification() || loaded.split.test.size() == 0))
    throw InvalidArgument("--report draws accuracy and a confusion matrix on the test set: it needs classification "
                          "data with a test set");
  // 2. the work
  if (a.check_gradient) {
    check_gradient_command(a, loaded.split, net_options);
    return;
  }
  const bool in_double = a.dtype == "double" || a.dtype == "float64";
  if (!compared.empty()) {
    if (in_double)
      compare_with<double>(a, loaded, net_options, options, compared);
    else
      compare_with<float>(a, loaded, net_options, options, compared);
    return;
  }
  if (in_double)
    train_with<double>(a, loaded, net_options, options, any);
  else
    train_with<float>(a, loaded, net_options, options, any);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto arguments = std::make_shared<TrainArguments>();
  TrainArguments& a = *arguments;
  a.optimizer.name = "adam";
  auto* command = app.add_subcommand("train", "train a neural network (default: 784-100-10 on the bundled digits)");
  add_data_options(*command, a.data);
  command->add_option("--layers", a.layers, "all widths, input to output: 784,100,10");
  command->add_option("--hidden", a.hidden, "hidden widths: 100 | 100,100 | none (softmax/linear regression)")
      ->capture_default_str()
      ->each([&a](const std::string&) { a.hidden_given = true; });
  command->add_option("--activation", a.activation, "relu, sigmoid or tanh")->capture_default_str();
  command->add_option("--loss", a.loss, "cross-entropy (classification default) or mse");
  command->add_option("--init", a.init, "normal (std --init-std), xavier, he or uniform (PyTorch's nn.Linear)")
      ->capture_default_str();
  command->add_option("--init-std", a.init_std, "std of --init normal")->capture_default_str();
  command->add_option("--l2", a.l2, "weight decay of the network: adds l2/2 * sum W^2 to the loss")->capture_default_str();
  command->add_option("--dtype", a.dtype, "float (float32) or double (float64)")->capture_default_str();
  add_optimizer_options(*command, a.optimizer);
  command->add_option("--epochs,-e", a.epochs, "passes over the training set")->capture_default_str();
  command->add_option("--iterations,-n", a.iterations, "steps to take instead of --epochs");
  command->add_option("--batch-size,-b", a.batch_size, "samples per step")->capture_default_str();
  command->add_option("--seed", a.seed, "seed of the initial weights and the shuffling")->capture_default_str();
  command->add_option("--schedule", a.schedule,
                      "learning-rate schedule: step:SIZE:GAMMA | exponential:GAMMA | inverse-time:DECAY | cosine:PERIOD[:MIN]");
  command->add_option("--threads", a.threads, "threads (default: all cores; under mpirun the cores / processes on the node)");
  command->add_option("--history", a.history, "write one row per epoch to FILE.csv");
  command->add_flag("--json", a.json, "print one JSON object instead of the table");
  command->add_flag("!--no-progress", a.progress, "no progress bar (it shows on a terminal only)");
  command->add_flag("--check-gradient", a.check_gradient,
                    "compare backpropagation with the numerical gradient on 3 samples and exit");
  command->add_option("--check-entries", a.check_entries,
                      "--check-gradient: entries checked per array, spread evenly (0 = all)")
      ->capture_default_str();
  command->add_option("--checkpoint", a.checkpoint,
                      "save the run (parameters, optimizer state, shuffling position) to FILE every "
                      "--checkpoint-every iterations, at the end and on Ctrl-C");
  command->add_option("--checkpoint-every", a.checkpoint_every, "iterations between checkpoints")->capture_default_str();
  command->add_option("--resume", a.resume, "continue the run saved in this checkpoint (give the same options)");
  command->add_option("--save-model", a.save_model, "write the trained network to FILE (for kobai predict)");
  command->add_option("--check-every", a.check_every,
                      "under mpirun: every N iterations check that all ranks hold the same parameters "
                      "(a hash compared with rank 0's), ending the job with a message if not (0 = never)")
      ->capture_default_str();
  command->add_flag("--deterministic", a.deterministic,
                    "the same parameters, bit for bit, on any number of processes (mpirun -np K) and in one: "
                    "each batch's gradient is summed from fixed chunks in a fixed order (a little slower)");
  command->add_option("--chunk-size", a.chunk_size, "--deterministic: samples per chunk (default 25)")
      ->each([&a](const std::string&) { a.chunk_size_given = true; });
  command->add_option("--report", a.report,
                      "write a self-contained HTML page to FILE.html: loss and accuracy curves, the test "
                      "set's confusion matrix, misclassified test samples");
  command->add_option("--optimizers", a.optimizers,
                      "train once with each of these (sgd,momentum,adagrad,adam: the course's comparison) "
                      "from the same weights and batches, and compare");
  command->callback([arguments] { run_train(*arguments); });
}

}  // namespace kobai::cli
