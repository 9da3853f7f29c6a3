#include <goodwill/event.hpp>

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

BOOST_AUTO_TEST_SUITE(event)

using goodwill::event_kind;

BOOST_AUTO_TEST_CASE(names_round_trip_and_are_unique) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < goodwill::event_kind_count; ++i) {
    const auto k = static_cast<event_kind>(i);
    const auto name = goodwill::to_string(k);
    BOOST_TEST(seen.insert(name).second);
    const auto back = goodwill::event_kind_from_string(name);
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(static_cast<int>(*back) == static_cast<int>(i));
  }
  BOOST_TEST(!goodwill::event_kind_from_string("discount").has_value());
}

BOOST_AUTO_TEST_CASE(codes_are_stable) {
  // The codes are part of the saved-ledger format; renumbering breaks files.
  BOOST_TEST(static_cast<int>(event_kind::price_match) == 6);
  BOOST_TEST(static_cast<int>(event_kind::returned) == 19);
  BOOST_TEST(goodwill::to_string(event_kind::returned) == "return");
  BOOST_TEST(goodwill::loss_reason_names[static_cast<int>(goodwill::loss_reason::price)] ==
             "price");
  BOOST_TEST(goodwill::lead_source_names[static_cast<int>(goodwill::lead_source::warm_referral)] ==
             "warm_referral");
}

BOOST_AUTO_TEST_CASE(negative_amounts) {
  BOOST_TEST(goodwill::allows_negative_amount(event_kind::scope_change));
  BOOST_TEST(goodwill::allows_negative_amount(event_kind::purchase));
  BOOST_TEST(!goodwill::allows_negative_amount(event_kind::deal_won));
  BOOST_TEST(!goodwill::is_event_kind(static_cast<std::uint8_t>(goodwill::event_kind_count)));
}

BOOST_AUTO_TEST_CASE(enum_name_trait) {
  // one trait for every named enumeration: names by code, both ways
  static_assert(goodwill::enum_count<goodwill::loss_reason> == goodwill::loss_reason_count);
  static_assert(goodwill::enum_name(goodwill::lead_source::partner) == "partner");
  BOOST_TEST(goodwill::enum_name(event_kind::returned) == "return");
  BOOST_TEST(goodwill::enum_name(static_cast<event_kind>(200)).empty());
  const auto role = goodwill::enum_from_name<goodwill::event_role>("decision");
  BOOST_REQUIRE(role.has_value());
  BOOST_TEST(static_cast<int>(*role) == static_cast<int>(goodwill::event_role::decision));
  BOOST_TEST(!goodwill::enum_from_name<goodwill::effort_class>("price_game").has_value());
  BOOST_TEST(&goodwill::enum_names<event_kind>() == &goodwill::event_kind_names);
}

BOOST_AUTO_TEST_CASE(kind_classes_come_from_the_table) {
  // the classes the analyses used to spell out as chains of comparisons
  std::set<std::string_view> rounds, closes, revenue;
  for (const auto &row : goodwill::event_kind_table) {
    if (row.negotiation_round)
      rounds.insert(row.name);
    if (row.closes_deal)
      closes.insert(row.name);
    if (row.earns_revenue)
      revenue.insert(row.name);
  }
  BOOST_TEST(
      (rounds == std::set<std::string_view>{"proposal", "competitor_quote", "concession",
                                            "price_match", "scope_change", "alternative_offered"}));
  BOOST_TEST((closes == std::set<std::string_view>{"deal_won", "deal_lost"}));
  BOOST_TEST((revenue == std::set<std::string_view>{"deal_won", "purchase"}));
  // every flag column is listed once, by name
  std::set<std::string_view> flags;
  for (const auto &f : goodwill::event_kind_flags)
    BOOST_TEST(flags.insert(f.first).second);
  BOOST_TEST(flags.count("closes_deal") == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
