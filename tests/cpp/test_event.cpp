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
  BOOST_TEST(goodwill::loss_reason_names[static_cast<int>(goodwill::loss_reason::price)] == "price");
  BOOST_TEST(goodwill::lead_source_names[static_cast<int>(goodwill::lead_source::warm_referral)] ==
             "warm_referral");
}

BOOST_AUTO_TEST_CASE(negative_amounts) {
  BOOST_TEST(goodwill::allows_negative_amount(event_kind::scope_change));
  BOOST_TEST(goodwill::allows_negative_amount(event_kind::purchase));
  BOOST_TEST(!goodwill::allows_negative_amount(event_kind::deal_won));
  BOOST_TEST(!goodwill::is_event_kind(static_cast<std::uint8_t>(goodwill::event_kind_count)));
}

BOOST_AUTO_TEST_SUITE_END()
