// goodwill — the error hierarchy.
//
// Design: every error goodwill throws derives from goodwill::error (itself a
// std::runtime_error), so a caller can catch all of them at once or one family
// at a time. Errors about input carry the offending field and row so that a
// message about row 48,213 of a CRM export can be traced back to that row; the
// Python bindings translate each class to a Python exception of the same name
// that is also a ValueError or a RuntimeError (see bindings/register_error.cpp).
#ifndef GOODWILL_ERROR_HPP
#define GOODWILL_ERROR_HPP

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace goodwill {

/// Base class of every exception goodwill throws.
class error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The caller passed data or arguments that goodwill cannot accept.
///
/// When the problem is in tabular input, field() names the column and row()
/// the zero-based row; what() always contains both in readable form.
class invalid_input : public error {
public:
  /// An error about an argument as a whole.
  explicit invalid_input(const std::string &message) : error(message) {}

  /// An error about one field, e.g. ("amount", "is NaN").
  invalid_input(std::string field, const std::string &problem)
      : error("field '" + field + "': " + problem), field_(std::move(field)) {}

  /// An error about one field of one row of tabular input.
  invalid_input(std::string field, std::int64_t row, const std::string &problem)
      : error("row " + std::to_string(row) + ", field '" + field + "': " + problem),
        field_(std::move(field)), row_(row) {}

  /// The offending field (column), or an empty string.
  [[nodiscard]] const std::string &field() const noexcept { return field_; }
  /// The offending zero-based row, if the input is tabular.
  [[nodiscard]] std::optional<std::int64_t> row() const noexcept { return row_; }

private:
  std::string field_;
  std::optional<std::int64_t> row_;
};

/// A state machine was asked to do something its definition does not allow:
/// an unknown or unreachable state, an ambiguous or impossible transition.
class invalid_state : public error {
public:
  using error::error;
};

/// A transition that the model does not allow was requested.
class invalid_transition : public invalid_state {
public:
  using invalid_state::invalid_state;
};

/// A model was used for prediction before it was fitted.
class not_fitted : public error {
public:
  using error::error;
};

/// A numerical method failed: no convergence, a singular matrix, a value
/// that is not finite where it must be.
class numerical_failure : public error {
public:
  using error::error;
};

/// A computation was asked to stop (interrupt.hpp: the caller's
/// interrupt_scope; in Python, Ctrl-C), and stopped without a result.
class interrupted : public error {
public:
  using error::error;
};

} // namespace goodwill

#endif // GOODWILL_ERROR_HPP
