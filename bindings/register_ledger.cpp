// goodwill._core.Ledger: the columnar event store.
//
// The Python class goodwill.Ledger (python/goodwill/ledger.py) converts
// pandas/NumPy input once, vectorised, and calls the _append_* methods here
// with arrays of the exact dtypes; columns come back as read-only views.
#include "pybind11.hpp"

#include <goodwill/ledger.hpp>

#include <filesystem>
#include <sstream>
#include <string>

namespace goodwill::bindings {

namespace {

py::bytes to_bytes(const goodwill::ledger &l) {
  std::ostringstream out;
  {
    released_gil release; // and interruptible
    l.save(out);
  }
  return py::bytes(out.str());
}

goodwill::ledger from_bytes(const py::bytes &data) {
  std::istringstream in{std::string(data)};
  released_gil release; // and interruptible
  return goodwill::ledger::load(in);
}

template <class T> std::span<const T> optional_span(const std::optional<carray<T>> &a) {
  return a ? as_span(*a) : std::span<const T>{};
}

} // namespace

py::dict ledger_events_dict(const ledger &l) {
  py::dict d;
  d["time"] = to_numpy(std::vector<double>(l.times().begin(), l.times().end()));
  d["kind"] = to_numpy(std::vector<std::uint8_t>(l.kinds().begin(), l.kinds().end()));
  d["amount"] = to_numpy(std::vector<double>(l.amounts().begin(), l.amounts().end()));
  d["detail"] = to_numpy(std::vector<std::int32_t>(l.details().begin(), l.details().end()));
  return d;
}

void register_ledger(py::module_ &m) {
  using goodwill::ledger;
  py::class_<ledger>(m, "Ledger", "Columnar, append-only store of events.")
      .def(py::init<>())
      .def("__len__", &ledger::size)
      .def_property_readonly("customer_count", &ledger::customer_count)
      .def_property_readonly("key_kind",
                             [](const ledger &l) {
                               switch (l.key_kind()) {
                               case goodwill::customer_key_kind::integer:
                                 return "integer";
                               case goodwill::customer_key_kind::string:
                                 return "string";
                               default:
                                 return "dense";
                               }
                             })
      .def(
          "_append_dense",
          [](ledger &l, const carray<goodwill::customer_id> &customers, const carray<double> &times,
             const carray<std::uint8_t> &kinds, const std::optional<carray<double>> &amounts,
             const std::optional<carray<std::int32_t>> &details,
             const std::optional<carray<goodwill::rep_id>> &reps) {
            auto c = as_span(customers);
            auto t = as_span(times);
            auto k = as_span(kinds);
            auto a = optional_span(amounts);
            auto d = optional_span(details);
            auto r = optional_span(reps);
            released_gil release; // and interruptible
            l.append(c, t, k, a, d, r);
          },
          py::arg("customers").noconvert(), py::arg("times").noconvert(),
          py::arg("kinds").noconvert(), py::arg("amounts").noconvert() = py::none(),
          py::arg("details").noconvert() = py::none(), py::arg("reps").noconvert() = py::none())
      .def(
          "_append_int_rows",
          [](ledger &l, const carray<std::int64_t> &keys, const carray<double> &times,
             const carray<std::uint8_t> &kinds, const std::optional<carray<double>> &amounts,
             const std::optional<carray<std::int32_t>> &details,
             const std::optional<carray<goodwill::rep_id>> &reps) {
            auto u = as_span(keys);
            auto t = as_span(times);
            auto k = as_span(kinds);
            auto a = optional_span(amounts);
            auto d = optional_span(details);
            auto r = optional_span(reps);
            released_gil release; // and interruptible
            l.append_integer_keys(u, t, k, a, d, r);
          },
          py::arg("keys").noconvert(), py::arg("times").noconvert(), py::arg("kinds").noconvert(),
          py::arg("amounts").noconvert() = py::none(), py::arg("details").noconvert() = py::none(),
          py::arg("reps").noconvert() = py::none())
      .def(
          "_append_str_keys",
          [](ledger &l, const std::vector<std::string> &keys, const carray<std::int64_t> &codes,
             const carray<double> &times, const carray<std::uint8_t> &kinds,
             const std::optional<carray<double>> &amounts,
             const std::optional<carray<std::int32_t>> &details,
             const std::optional<carray<goodwill::rep_id>> &reps) {
            auto c = as_span(codes);
            auto t = as_span(times);
            auto k = as_span(kinds);
            auto a = optional_span(amounts);
            auto d = optional_span(details);
            auto r = optional_span(reps);
            released_gil release; // and interruptible
            l.append_keyed(std::span<const std::string>(keys), c, t, k, a, d, r);
          },
          py::arg("keys"), py::arg("codes").noconvert(), py::arg("times").noconvert(),
          py::arg("kinds").noconvert(), py::arg("amounts").noconvert() = py::none(),
          py::arg("details").noconvert() = py::none(), py::arg("reps").noconvert() = py::none())
      .def(
          "_append_int_keys",
          [](ledger &l, const carray<std::int64_t> &keys, const carray<std::int64_t> &codes,
             const carray<double> &times, const carray<std::uint8_t> &kinds,
             const std::optional<carray<double>> &amounts,
             const std::optional<carray<std::int32_t>> &details,
             const std::optional<carray<goodwill::rep_id>> &reps) {
            auto u = as_span(keys);
            auto c = as_span(codes);
            auto t = as_span(times);
            auto k = as_span(kinds);
            auto a = optional_span(amounts);
            auto d = optional_span(details);
            auto r = optional_span(reps);
            released_gil release; // and interruptible
            l.append_keyed(u, c, t, k, a, d, r);
          },
          py::arg("keys").noconvert(), py::arg("codes").noconvert(), py::arg("times").noconvert(),
          py::arg("kinds").noconvert(), py::arg("amounts").noconvert() = py::none(),
          py::arg("details").noconvert() = py::none(), py::arg("reps").noconvert() = py::none())
      .def_property_readonly("customer",
                             [](const ledger &l) { return view_of(l.share_customers()); })
      .def_property_readonly("time", [](const ledger &l) { return view_of(l.share_times()); })
      .def_property_readonly("kind", [](const ledger &l) { return view_of(l.share_kinds()); })
      .def_property_readonly("amount", [](const ledger &l) { return view_of(l.share_amounts()); })
      .def_property_readonly("detail", [](const ledger &l) { return view_of(l.share_details()); })
      .def_property_readonly("rep", [](const ledger &l) { return view_of(l.share_reps()); })
      .def_property_readonly("rep_names", &ledger::rep_names)
      .def_property_readonly("rep_count", &ledger::rep_count)
      .def_property_readonly("has_reps", &ledger::has_reps)
      .def(
          "_intern_reps",
          [](ledger &l, const std::vector<std::string> &names) {
            std::vector<goodwill::rep_id> ids;
            ids.reserve(names.size());
            const auto mark = static_cast<goodwill::rep_id>(l.rep_count());
            try {
              for (const auto &n : names)
                ids.push_back(l.intern_rep(n));
            } catch (...) {
              l.discard_reps_from(mark);
              throw;
            }
            return to_numpy(std::move(ids));
          },
          py::arg("names"), "Rep ids of these salespeople's names (interned if new), in order.")
      .def("_discard_reps_from", &ledger::discard_reps_from, py::arg("first"),
           "Forget salespeople with ids >= first that no event names (undo of _intern_reps).")
      .def_property_readonly("integer_keys",
                             [](const ledger &l) {
                               auto keys = l.integer_keys();
                               return to_numpy(std::move(keys));
                             })
      .def_property_readonly("string_keys", &ledger::string_keys)
      .def(
          "_intern_int_keys",
          [](ledger &l, const carray<std::int64_t> &keys) {
            for (const auto k : as_span(keys))
              (void)l.intern(k);
          },
          py::arg("keys"), "Give these integer keys dense ids (in order), without events.")
      .def(
          "_intern_str_keys",
          [](ledger &l, const std::vector<std::string> &keys) {
            for (const auto &k : keys)
              (void)l.intern(std::string_view(k));
          },
          py::arg("keys"), "Give these string keys dense ids (in order), without events.")
      .def("to_bytes", &to_bytes, "The ledger in goodwill's binary format.")
      .def_static("from_bytes", &from_bytes, py::arg("data"))
      .def(
          "save",
          [](const ledger &l, const std::string &path) {
            released_gil release; // and interruptible
            l.save(std::filesystem::path(path));
          },
          py::arg("path"),
          "Write the ledger to a .gwl file atomically (temporary file, fsync, rename).")
      .def_static(
          "load",
          [](const std::string &path) {
            released_gil release; // and interruptible
            return ledger::load(std::filesystem::path(path));
          },
          py::arg("path"), "Read a .gwl file (any format version), checked.")
      .def(py::pickle([](const ledger &l) { return to_bytes(l); },
                      [](const py::bytes &b) { return from_bytes(b); }));
}

} // namespace goodwill::bindings
