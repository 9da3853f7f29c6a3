// Translates the goodwill::error hierarchy to Python exceptions.
//
// Each Python class is created with two bases where it fits, so that code
// catching ValueError or RuntimeError (as pandas users do) also catches ours:
//   GoodwillError(Exception)
//   InvalidInputError(GoodwillError, ValueError)     .field, .row
//   InvalidStateError(GoodwillError, ValueError)
//   InvalidTransitionError(InvalidStateError)
//   NotFittedError(GoodwillError, RuntimeError)
//   NumericalError(GoodwillError, RuntimeError)
#include "pybind11.hpp"

#include <goodwill/error.hpp>

#include <string>

namespace goodwill::bindings {
namespace {

struct exception_types {
  PyObject *base = nullptr;
  PyObject *invalid_input = nullptr;
  PyObject *invalid_state = nullptr;
  PyObject *invalid_transition = nullptr;
  PyObject *not_fitted = nullptr;
  PyObject *numerical = nullptr;
};

// Created once at import and kept for the life of the interpreter, as
// pybind11's own register_exception does.
exception_types types;

PyObject *make_type(py::module_ &m, const char *name, const char *doc,
                    std::initializer_list<PyObject *> bases) {
  py::tuple base_tuple(bases.size());
  std::size_t i = 0;
  for (PyObject *b : bases)
    base_tuple[i++] = py::reinterpret_borrow<py::object>(b);
  const std::string qualified = std::string("goodwill.") + name;
  PyObject *type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base_tuple.ptr(), nullptr);
  if (type == nullptr)
    throw py::error_already_set();
  m.attr(name) = py::reinterpret_borrow<py::object>(type);
  return type; // the new reference is deliberately kept
}

void raise(PyObject *type, const char *message, py::object field = py::none(),
           py::object row = py::none()) {
  py::object instance = py::reinterpret_borrow<py::object>(type)(py::str(message));
  instance.attr("field") = std::move(field);
  instance.attr("row") = std::move(row);
  PyErr_SetObject(type, instance.ptr());
}

} // namespace

void register_error(py::module_ &m) {
  types.base = make_type(m, "GoodwillError", "Base class of every error goodwill raises.",
                         {PyExc_Exception});
  types.invalid_input =
      make_type(m, "InvalidInputError",
                "Input goodwill cannot accept. `field` names the column and `row` the "
                "zero-based row where known (else None).",
                {types.base, PyExc_ValueError});
  types.invalid_state = make_type(m, "InvalidStateError",
                                  "A state machine definition or use that its rules do not allow.",
                                  {types.base, PyExc_ValueError});
  types.invalid_transition =
      make_type(m, "InvalidTransitionError", "A transition the relationship model does not allow.",
                {types.invalid_state});
  types.not_fitted = make_type(m, "NotFittedError", "A model was used before it was fitted.",
                               {types.base, PyExc_RuntimeError});
  types.numerical = make_type(
      m, "NumericalError", "A numerical method failed (no convergence, singular matrix, overflow).",
      {types.base, PyExc_RuntimeError});

  // pybind11 takes a void(*)(std::exception_ptr): by value by its signature.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const goodwill::invalid_input &e) {
      raise(types.invalid_input, e.what(),
            e.field().empty() ? py::object(py::none()) : py::str(e.field()),
            e.row() ? py::object(py::int_(*e.row())) : py::object(py::none()));
    } catch (const goodwill::invalid_transition &e) {
      raise(types.invalid_transition, e.what());
    } catch (const goodwill::invalid_state &e) {
      raise(types.invalid_state, e.what());
    } catch (const goodwill::not_fitted &e) {
      raise(types.not_fitted, e.what());
    } catch (const goodwill::numerical_failure &e) {
      raise(types.numerical, e.what());
    } catch (const goodwill::interrupted &e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what()); // Ctrl-C stopped the computation
    } catch (const goodwill::error &e) {
      raise(types.base, e.what());
    }
  });

  // A hook for the tests: throw each C++ error so that they can check what
  // arrives in Python.
  auto testing = m.def_submodule("_testing", "Hooks for goodwill's own tests.");
  testing.def(
      "throw_error",
      [](const std::string &kind, const std::string &message, const std::string &field,
         std::int64_t row) {
        if (kind == "invalid_input") {
          if (field.empty())
            throw goodwill::invalid_input(message);
          if (row < 0)
            throw goodwill::invalid_input(field, message);
          throw goodwill::invalid_input(field, row, message);
        }
        if (kind == "invalid_state")
          throw goodwill::invalid_state(message);
        if (kind == "invalid_transition")
          throw goodwill::invalid_transition(message);
        if (kind == "not_fitted")
          throw goodwill::not_fitted(message);
        if (kind == "numerical_failure")
          throw goodwill::numerical_failure(message);
        if (kind == "error")
          throw goodwill::error(message);
        throw std::invalid_argument("unknown error kind " + kind);
      },
      py::arg("kind"), py::arg("message"), py::arg("field") = "", py::arg("row") = -1);
}

} // namespace goodwill::bindings
