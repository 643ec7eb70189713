// bindings/python/optimizer_binding.cpp — PyTorch-style optimizers that step NumPy arrays in place.
//
//   opt = _kobai.ArrayOptimizer("adam", {"lr": 1e-3}, [w, b])   # kobai.optim.Adam wraps this
//   opt.step([gw, gb])                                          # w, b updated where they are
//
// Every parameter array gets its own kobai optimizer of its dtype (float32 or float64), as
// torch.optim keeps state per parameter, and a step runs that optimizer's fused kernel directly on
// the array's memory: no copy in, no copy out, no temporary. Arrays that cannot be stepped that way
// (another dtype, not C-contiguous, read-only) are refused with a TypeError at construction, and
// gradients of another dtype or layout at the step, rather than copied (a copy would leave the
// user's array unchanged). Steps over many elements release the GIL, so other Python threads run
// while kobai's threads stream through memory.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "bindings.hpp"
#include "kobai/optim/registry.hpp"
#include "numpy_arrays.hpp"

// Named optimizer state (state()/load_state(), branch `state`): state_dict/load_state_dict exist
// when the library has it.
#if __has_include("kobai/optim/state.hpp")
#include "kobai/optim/state.hpp"
#define KOBAI_PYTHON_HAS_STATE 1
#endif

namespace kobai::python {

namespace {

// AnyFirstOrder's variant, for another element type: Adam<double> → Adam<float>.
template <class O, class T>
struct Rebind;
template <template <class> class O, class U, class T>
struct Rebind<O<U>, T> {
  using type = O<T>;
};
template <class V, class T>
struct RebindVariant;
template <class... O, class T>
struct RebindVariant<std::variant<O...>, T> {
  using type = std::variant<typename Rebind<O, T>::type...>;
};
template <class T>
using FirstOrderOf = typename RebindVariant<AnyFirstOrder::Variant, T>::type;

template <class T>
FirstOrderOf<T> rebind(const AnyFirstOrder::Variant& prototype) {
  return std::visit(
      [](const auto& o) -> FirstOrderOf<T> {
        using Target = typename Rebind<std::decay_t<decltype(o)>, T>::type;
        return Target(o.options());
      },
      prototype);
}

// Elements per step from which the GIL is released (a step this size takes tens of µs; below it,
// releasing and retaking the GIL would cost a noticeable share). Settable for the tests.
std::size_t& gil_release_threshold() {
  static std::size_t threshold = std::size_t{1} << 15;
  return threshold;
}

std::string dtype_name(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

// One parameter array and its optimizer.
struct Slot {
  py::array array;  // keeps the user's array alive; its memory is what the kernel writes
  std::size_t size = 0;
  bool is_float32 = false;
  std::variant<FirstOrderOf<float>, FirstOrderOf<double>> optimizer;
};

class ArrayOptimizer {
 public:
  ArrayOptimizer(const std::string& name, const Settings& settings, const py::iterable& params)
      : prototype_(make_first_order_method(name, settings)) {
    std::size_t index = 0;
    for (const py::handle& item : params) {
      slots_.push_back(make_slot(item, index));
      total_size_ += slots_.back().size;
      ++index;
    }
    if (slots_.empty()) throw py::value_error("optimizer got an empty parameter list");
  }

  void step(const py::sequence& grads) {
    if (grads.size() != slots_.size())
      throw py::value_error("step needs one gradient per parameter array (" + std::to_string(slots_.size()) +
                            "), got " + std::to_string(grads.size()));
    // Checked (with the GIL) before any array is touched: a bad gradient leaves every parameter as
    // it was.
    std::vector<const void*> data(slots_.size());
    for (std::size_t i = 0; i < slots_.size(); ++i) data[i] = gradient_data(grads[i], i);
    if (total_size_ >= gil_release_threshold()) {
      py::gil_scoped_release release;
      step_all(data);
    } else {
      step_all(data);
    }
  }

  double lr() const { return prototype_.lr(); }
  void set_lr(double lr) {
    try {
      prototype_.set_lr(lr);
    } catch (const InvalidArgument& e) {
      throw py::value_error(e.what());
    }
    for (Slot& s : slots_)
      std::visit([&](auto& v) { std::visit([&](auto& o) { o.set_lr(lr); }, v); }, s.optimizer);
  }
  void reset() {
    for (Slot& s : slots_)
      std::visit([&](auto& v) { std::visit([&](auto& o) { o.reset(); }, v); }, s.optimizer);
  }
  std::int64_t steps() const {
    return slots_.empty() ? 0
                          : std::visit([](const auto& v) { return std::visit([](const auto& o) { return o.steps(); }, v); },
                                       slots_.front().optimizer);
  }
  py::dict hyperparameters() const { return method_hyperparameters(Method(prototype_)); }
  const std::string& name() const { return prototype_.name(); }
#ifdef KOBAI_PYTHON_HAS_STATE
  static std::vector<py::ssize_t> shape_of(const py::array& a) { return {a.shape(), a.shape() + a.ndim()}; }

  // {index: {"step": n, "exp_avg": array shaped like the parameter, ..., scalar name: float}}, as
  // torch.optim's state_dict()["state"]; parameters not stepped yet have no entry (as in torch).
  py::dict state() const {
    py::dict out;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const Slot& s = slots_[i];
      std::visit(
          [&](const auto& v) {
            std::visit(
                [&](const auto& o) {
                  const auto st = o.state();
                  if (st.step == 0) return;
                  py::dict entry;
                  entry["step"] = st.step;
                  for (const auto& [name, values] : st.buffers) {
                    using T = typename std::decay_t<decltype(values)>::value_type;
                    py::array_t<T> a(static_cast<py::ssize_t>(values.size()), values.data());
                    entry[py::str(name)] = values.size() == s.size ? a.reshape(shape_of(s.array)) : py::array(a);
                  }
                  for (const auto& [name, value] : st.scalars) entry[py::str(name)] = value;
                  out[py::int_(i)] = entry;
                },
                v);
          },
          s.optimizer);
    }
    return out;
  }

  // The inverse of state(); every entry is checked (sizes, names) before any optimizer changes.
  void load_state(const py::dict& state) {
    for (const auto& [key, value] : state) {
      const auto index = key.cast<long>();
      if (index < 0 || static_cast<std::size_t>(index) >= slots_.size())
        throw py::value_error("state has an entry for parameter " + std::to_string(index) + ", the optimizer has " +
                              std::to_string(slots_.size()) + " parameters");
    }
    std::vector<std::function<void()>> loads;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      const py::int_ key(i);
      if (!state.contains(key)) {
        loads.emplace_back([&s] { std::visit([](auto& v) { std::visit([](auto& o) { o.reset(); }, v); }, s.optimizer); });
        continue;
      }
      const py::dict entry = state[key].cast<py::dict>();
      std::visit(
          [&](auto& v) {
            std::visit(
                [&](auto& o) {
                  using O = std::decay_t<decltype(o)>;
                  using T = typename O::Scalar;
                  OptimizerState<T> st;
                  for (const auto& [name_handle, item] : entry) {
                    const std::string name = py::str(name_handle);
                    const std::string what = "state[" + std::to_string(i) + "][\"" + name + "\"]";
                    if (name == "step") {
                      st.step = static_cast<std::int64_t>(to_double(item, what));
                    } else if (py::isinstance<py::float_>(item) || py::isinstance<py::int_>(item)) {
                      st.scalars[name] = to_double(item, what);
                    } else {
                      const auto a = as_float64(item, what);
                      if (a.ndim() == 0) {
                        st.scalars[name] = *a.data();
                        continue;
                      }
                      std::vector<T> values(static_cast<std::size_t>(a.size()));
                      for (py::ssize_t k = 0; k < a.size(); ++k) values[static_cast<std::size_t>(k)] = static_cast<T>(a.data()[k]);
                      st.buffers[name] = std::move(values);
                    }
                  }
                  O trial = o;  // load into a copy first: a bad entry leaves the optimizer as it was
                  try {
                    trial.load_state(st);
                  } catch (const InvalidArgument& e) {
                    throw py::value_error("state[" + std::to_string(i) + "]: " + e.what());
                  }
                  loads.emplace_back([&o, trial]() mutable { o = std::move(trial); });
                },
                v);
          },
          s.optimizer);
    }
    for (auto& load : loads) load();
  }
#endif

  py::list params() const {
    py::list out;
    for (const Slot& s : slots_) out.append(s.array);
    return out;
  }

 private:
  Slot make_slot(const py::handle& item, std::size_t index) const {
    const std::string what = "params[" + std::to_string(index) + "]";
    if (!py::isinstance<py::array>(item))
      throw py::type_error(what + " must be a numpy.ndarray of float32 or float64 (stepped in place), got " +
                           std::string(py::str(py::type::of(item).attr("__name__"))));
    py::array a = py::reinterpret_borrow<py::array>(item);
    const bool f32 = a.dtype().is(py::dtype::of<float>());
    const bool f64 = a.dtype().is(py::dtype::of<double>());
    if (!f32 && !f64)
      throw py::type_error(what + " must have dtype float32 or float64 (stepped in place, never copied), got " +
                           dtype_name(a));
    if (!(a.flags() & py::array::c_style))
      throw py::type_error(what + " must be C-contiguous (stepped in place, never copied); "
                                  "pass numpy.ascontiguousarray(...) and keep that array");
    if (!a.writeable()) throw py::type_error(what + " must be writeable (stepped in place), got a read-only array");
    Slot s;
    s.array = a;
    s.size = static_cast<std::size_t>(a.size());
    s.is_float32 = f32;
    if (f32) s.optimizer = rebind<float>(prototype_.variant());
    else s.optimizer = rebind<double>(prototype_.variant());
    return s;
  }

  const void* gradient_data(const py::handle& item, std::size_t index) const {
    const Slot& s = slots_[index];
    const std::string what = "grads[" + std::to_string(index) + "]";
    const std::string needed = s.is_float32 ? "float32" : "float64";
    if (!py::isinstance<py::array>(item))
      throw py::type_error(what + " must be a numpy.ndarray of " + needed + " like params[" + std::to_string(index) +
                           "], got " + std::string(py::str(py::type::of(item).attr("__name__"))));
    const py::array g = py::reinterpret_borrow<py::array>(item);
    if (!g.dtype().is(s.array.dtype()))
      throw py::type_error(what + " must have dtype " + needed + " like params[" + std::to_string(index) + "], got " +
                           dtype_name(g));
    if (!(g.flags() & py::array::c_style)) throw py::type_error(what + " must be C-contiguous");
    if (g.ndim() != s.array.ndim() || static_cast<std::size_t>(g.size()) != s.size ||
        !std::equal(g.shape(), g.shape() + g.ndim(), s.array.shape()))
      throw py::value_error(what + " must have shape " + shape_text(s.array) + " like params[" +
                            std::to_string(index) + "], got " + shape_text(g));
    const auto* p = static_cast<const char*>(s.array.data());
    const auto* q = static_cast<const char*>(g.data());
    const auto bytes = static_cast<std::ptrdiff_t>(s.size * static_cast<std::size_t>(g.itemsize()));
    if (q < p + bytes && p < q + bytes)  // the kernels read g while writing p (and assume no overlap)
      throw py::value_error(what + " must not share memory with params[" + std::to_string(index) + "]");
    return g.data();
  }

  void step_all(const std::vector<const void*>& grads) {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      void* p = const_cast<void*>(s.array.data());  // writeable, checked at construction
      std::visit(
          [&](auto& v) {
            std::visit(
                [&](auto& o) {
                  using T = typename std::decay_t<decltype(o)>::Scalar;
                  o.step(std::span<T>(static_cast<T*>(p), s.size),
                         std::span<const T>(static_cast<const T*>(grads[i]), s.size));
                },
                v);
          },
          s.optimizer);
    }
  }

  AnyFirstOrder prototype_;  // validated hyperparameters; the slots copy its options
  std::vector<Slot> slots_;
  std::size_t total_size_ = 0;
};

}  // namespace

void bind_optimizers(py::module_& m) {
  py::class_<ArrayOptimizer>(m, "ArrayOptimizer",
                             "A first-order optimizer over NumPy arrays, stepped in place (kobai.optim wraps it).")
      .def(py::init<const std::string&, const Settings&, const py::iterable&>(), py::arg("name"),
           py::arg("settings"), py::arg("params"))
      .def("step", &ArrayOptimizer::step, py::arg("grads"))
      .def_property("lr", &ArrayOptimizer::lr, &ArrayOptimizer::set_lr)
      .def("reset", &ArrayOptimizer::reset)
      .def_property_readonly("steps", &ArrayOptimizer::steps)
      .def_property_readonly("hyperparameters", &ArrayOptimizer::hyperparameters)
      .def_property_readonly("name", &ArrayOptimizer::name)
      .def_property_readonly("params", &ArrayOptimizer::params)
#ifdef KOBAI_PYTHON_HAS_STATE
      .def("state", &ArrayOptimizer::state)
      .def("load_state", &ArrayOptimizer::load_state, py::arg("state"))
#endif
      ;
  m.def("first_order_names", &first_order_names);
  m.def(
      "set_gil_release_threshold", [](std::size_t n) { gil_release_threshold() = n; }, py::arg("elements"),
      "Steps over at least this many elements release the GIL (default 32768; for tests).");
  m.def("gil_release_threshold", [] { return gil_release_threshold(); });
}

}  // namespace kobai::python
