// goodwill bindings — the one header every register_<concept>.cpp includes.
//
// Conventions (after boost-histogram): convert Python arguments to C++ views
// first, release the GIL for the computation, reacquire it to build results.
// Bulk data crosses as NumPy arrays without copies: inputs are taken as
// C-contiguous arrays of the exact dtype (the Python layer converts once,
// vectorised), outputs are views of shared C++ buffers kept alive by a capsule.
#ifndef GOODWILL_BINDINGS_PYBIND11_HPP
#define GOODWILL_BINDINGS_PYBIND11_HPP

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/interrupt.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace py = pybind11;

namespace goodwill {
class ledger;
} // namespace goodwill

namespace goodwill::bindings {

/// Releases the GIL for a computation and makes it stop on Ctrl-C: an
/// interrupt_scope (interrupt.hpp) whose poll checks Python's signals (with
/// the GIL, on this thread, at most every 100 ms); a stop surfaces as
/// goodwill::interrupted, which the error translator raises as
/// KeyboardInterrupt. Use it wherever a binding would release the GIL.
class released_gil {
public:
  released_gil() = default;
  released_gil(const released_gil &) = delete;
  released_gil &operator=(const released_gil &) = delete;

private:
  static bool poll(void *) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear(); // raised again, as KeyboardInterrupt, by the translator
      return true;
    }
    return false;
  }
  goodwill::interrupt_scope scope_{&poll, nullptr}; // installed with the GIL held
  py::gil_scoped_release release_;                  // destroyed first: GIL back
};

/// A C-contiguous NumPy array of exactly T, as taken by the bindings.
template <class T> using carray = py::array_t<T, py::array::c_style>;

/// A span over a 1-d NumPy array (no copy). The array must outlive the span.
template <class T> std::span<const T> as_span(const carray<T> &a) {
  if (a.ndim() != 1)
    throw py::value_error("expected a one-dimensional array");
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

/// A read-only NumPy view of a shared buffer (a std::vector with any
/// allocator); the view keeps it alive.
template <class T, class A>
py::array_t<T> view_of(std::shared_ptr<const std::vector<T, A>> buffer) {
  using holder_t = std::shared_ptr<const std::vector<T, A>>;
  auto *holder = new holder_t(std::move(buffer));
  py::capsule owner(holder, [](void *p) { delete static_cast<holder_t *>(p); });
  const auto &v = **holder;
  py::array_t<T> result({static_cast<py::ssize_t>(v.size())}, {static_cast<py::ssize_t>(sizeof(T))},
                        v.data(), owner);
  py::detail::array_proxy(result.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return result;
}

/// A NumPy array that takes ownership of a vector (moved, not copied).
template <class T, class A> py::array_t<T> to_numpy(std::vector<T, A> &&v) {
  return view_of(std::make_shared<const std::vector<T, A>>(std::move(v)));
}

/// A dict of NumPy arrays from a column-shaped C++ result (a struct of
/// vectors with for_each(f) calling f(name, column) for each column, such as
/// batch_columns): every column is moved into its array, no object per row.
template <class Columns> py::dict columns_dict(Columns &&columns) {
  py::dict d;
  columns.for_each([&d](const char *name, auto &column) { d[name] = to_numpy(std::move(column)); });
  return d;
}

/// A tuple of Python strings from a name table (std::array or span of
/// string_view): the vocabularies _core shows (_core.EVENT_KINDS, ...).
template <class Names> py::tuple name_tuple(const Names &names) {
  py::tuple t(names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    t[i] = py::str(std::string(names[i]));
  return t;
}

/// A std::array member as a property that reads as a tuple and is set whole
/// from a sequence of N values:
///   .def_property("mix", tuple_getter(&C::mix), array_setter(&C::mix), doc)
/// def_readwrite would return a list that is a copy, so `params.mix[0] = v`
/// would change nothing and say nothing; a tuple refuses item assignment.
template <class C, class T, std::size_t N> auto tuple_getter(std::array<T, N> C::*member) {
  return [member](const C &c) {
    py::tuple t(N);
    for (std::size_t i = 0; i < N; ++i)
      t[i] = py::cast((c.*member)[i]);
    return t;
  };
}
template <class C, class T, std::size_t N> auto array_setter(std::array<T, N> C::*member) {
  return [member](C &c, const std::array<T, N> &v) { c.*member = v; };
}

/// The names of a named enumeration (enum_names.hpp) as a tuple, by code.
template <named_enum E> py::tuple enum_tuple() {
  return name_tuple(enum_names<E>());
}

/// The name of an enumeration value, as Python sees it.
template <named_enum E> std::string enum_str(E e) {
  return std::string(enum_name(e));
}

/// The value named `name`, or invalid_input naming `field` and the known names.
template <named_enum E> E parse_enum(std::string_view name, const char *field) {
  if (const auto e = enum_from_name<E>(name))
    return *e;
  std::string all;
  for (auto n : enum_names<E>())
    all += (all.empty() ? "" : ", ") + std::string(n);
  throw invalid_input(field, "must be one of " + all + ", got '" + std::string(name) + "'");
}

/// The progress callback of a computation (a std::function<void(size_t,
/// size_t)> such as simulation_progress or market_progress) from an optional
/// Python callable: empty for None; else it reacquires the GIL to call it (an
/// exception it raises propagates out of the computation). The callable must
/// outlive the computation.
template <class Progress> Progress progress_adapter(const std::optional<py::function> &callback) {
  if (!callback || callback->is_none())
    return {};
  return [&f = *callback](std::size_t done, std::size_t total) {
    py::gil_scoped_acquire acquire;
    f(done, total);
  };
}

/// A ledger's event columns as a dict of NumPy arrays (time, kind, amount,
/// detail): the events a session, an RFP or an elicitation wrote. Defined in
/// register_ledger.cpp.
py::dict ledger_events_dict(const ledger &l);

// The registration functions, one per folder of include/goodwill (and helper
// files per sub-topic, register_<folder>_<topic>.cpp, that fill the same
// submodule); module.cpp creates the submodules and calls them.
void register_error(py::module_ &m);
void register_event(py::module_ &m);
void register_ledger(py::module_ &m);
void register_relationship(py::module_ &relationship);
void register_relationship_spiral(py::module_ &relationship);
void register_relationship_evidence(py::module_ &relationship);
void register_relationship_health(py::module_ &relationship);
void register_relationship_winback(py::module_ &relationship);
void register_negotiation(py::module_ &negotiation);
void register_negotiation_elicitation(py::module_ &negotiation);
void register_value(py::module_ &value);
void register_value_btyd(py::module_ &value);
void register_synthetic_market(py::module_ &synthetic);
void register_synthetic_simulation(py::module_ &synthetic);
void register_decision(py::module_ &decision);

} // namespace goodwill::bindings

#endif // GOODWILL_BINDINGS_PYBIND11_HPP
