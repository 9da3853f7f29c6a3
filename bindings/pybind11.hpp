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

#include <goodwill/interrupt.hpp>

#include <memory>
#include <span>
#include <vector>

namespace py = pybind11;

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
  py::gil_scoped_release release_;                 // destroyed first: GIL back
};

/// A C-contiguous NumPy array of exactly T, as taken by the bindings.
template <class T>
using carray = py::array_t<T, py::array::c_style>;

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
  py::array_t<T> result({static_cast<py::ssize_t>(v.size())},
                        {static_cast<py::ssize_t>(sizeof(T))}, v.data(), owner);
  py::detail::array_proxy(result.ptr())->flags &=
      ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return result;
}

/// A NumPy array that takes ownership of a vector (moved, not copied).
template <class T, class A> py::array_t<T> to_numpy(std::vector<T, A> &&v) {
  return view_of(std::make_shared<const std::vector<T, A>>(std::move(v)));
}

void register_error(py::module_ &m);
void register_event(py::module_ &m);
void register_ledger(py::module_ &m);
void register_spiral(py::module_ &m);
void register_health(py::module_ &m);
void register_evidence(py::module_ &m);
void register_relationship(py::module_ &m);
void register_market(py::module_ &m);
void register_negotiation(py::module_ &m);
void register_negotiation_elicitation(py::module_ &m);
void register_value(py::module_ &m);
void register_btyd(py::module_ &m);
void register_decision(py::module_ &m);
void register_simulation(py::module_ &m);

} // namespace goodwill::bindings

#endif // GOODWILL_BINDINGS_PYBIND11_HPP
