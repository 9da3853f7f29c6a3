// goodwill — one trait for the names of an enumeration.
//
// Design: every enumeration Python shows by name has one table of names,
// indexed by code, defined next to the enumeration as a specialisation of
// enum_traits:
//
//   enum class firing_rule : std::uint8_t { never, unprofitable, seeds };
//   template <> struct enum_traits<firing_rule> {
//     static constexpr std::array<std::string_view, 3> names{"never", "unprofitable", "seeds"};
//   };
//
// Everything else is derived from that one table: enum_names<E>() (the
// bindings turn it into the tuple Python reads, e.g. _core.FIRING_RULES),
// enum_name(e) and enum_from_name<E>(s) (the parsers of the bindings and of
// model files). The codes of a named enumeration are 0..N-1, in table order.
#ifndef GOODWILL_ENUM_NAMES_HPP
#define GOODWILL_ENUM_NAMES_HPP

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace goodwill {

/// Specialised next to each named enumeration with
/// `static constexpr std::array<std::string_view, N> names` (by code).
template <class E> struct enum_traits;

/// An enumeration with a name table.
template <class E>
concept named_enum = std::is_enum_v<E> && requires {
  enum_traits<E>::names.size();
};

/// The names of E's values, indexed by code.
template <named_enum E> [[nodiscard]] constexpr const auto &enum_names() noexcept {
  return enum_traits<E>::names;
}

/// The number of E's values.
template <named_enum E>
inline constexpr std::size_t enum_count =
    std::tuple_size_v<std::remove_cvref_t<decltype(enum_traits<E>::names)>>;

/// The name of a value ("price_match"); empty for a code outside the table.
template <named_enum E> [[nodiscard]] constexpr std::string_view enum_name(E e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < enum_count<E> ? enum_names<E>()[i] : std::string_view{};
}

/// The value with this name, if any.
template <named_enum E>
[[nodiscard]] constexpr std::optional<E> enum_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < enum_count<E>; ++i)
    if (enum_names<E>()[i] == name)
      return static_cast<E>(i);
  return std::nullopt;
}

} // namespace goodwill

#endif // GOODWILL_ENUM_NAMES_HPP
