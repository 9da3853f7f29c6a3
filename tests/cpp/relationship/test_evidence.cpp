#include <goodwill/relationship/evidence.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>

BOOST_AUTO_TEST_SUITE(evidence)

using goodwill::data_need;
using goodwill::event_kind;
using goodwill::evidence_channel;

namespace {
// Customer 0: meeting, proposal, competitor quote, match, won (margin known),
//   proposal, concession, won (margin unknown), lost on price.
// Customer 1: purchase (margin unknown), refund (margin known), lost (unspecified), churn.
// Customer 2: no events (appended as customer 3's predecessor: dense ids).
// Customer 3: one meeting at day 500.
goodwill::ledger example() {
  goodwill::ledger l;
  l.append(0, 0, event_kind::meeting, 1.5);
  l.append(0, 1, event_kind::proposal, 1000);
  l.append(0, 2, event_kind::competitor_quote, 900);
  l.append(0, 3, event_kind::price_match, 900);
  l.append(0, 4, event_kind::deal_won, 900, 2500);
  l.append(0, 20, event_kind::proposal, 1000);
  l.append(0, 21, event_kind::concession, 100);
  l.append(0, 22, event_kind::deal_won, 900, goodwill::margin_unknown);
  l.append(0, 30, event_kind::deal_lost, 1000, 1);
  l.append(1, 40, event_kind::purchase, 100, goodwill::margin_unknown);
  l.append(1, 41, event_kind::purchase, -20, 3000);
  l.append(1, 42, event_kind::deal_lost, 50, 0);
  l.append(1, 43, event_kind::churn, 0);
  l.append(3, 500, event_kind::meeting, 1);
  return l;
}
} // namespace

BOOST_AUTO_TEST_CASE(counts_by_kind_and_channel) {
  const auto p = goodwill::profile_evidence(example());
  BOOST_TEST(p.events == 14u);
  BOOST_TEST(p.customers == 4u);
  BOOST_TEST(p.customers_with_events == 3u);
  BOOST_TEST(p.first_time == 0.0);
  BOOST_TEST(p.last_time == 500.0);
  BOOST_TEST(p.time_span_days() == 500.0);
  BOOST_TEST(p.events_of(event_kind::meeting) == 2u);
  BOOST_TEST(p.customers_with(event_kind::meeting) == 2u);
  BOOST_TEST(p.events_of(event_kind::deal_won) == 2u);
  BOOST_TEST(p.customers_with(event_kind::deal_won) == 1u);
  BOOST_TEST(p.events_of(event_kind::deal_lost) == 2u);
  BOOST_TEST(p.customers_with(event_kind::deal_lost) == 2u);
  BOOST_TEST(p.events_of(evidence_channel::won_after_match) == 1u);
  BOOST_TEST(p.events_of(evidence_channel::won_after_concession) == 1u);
  BOOST_TEST(p.events_of(evidence_channel::won_at_list) == 0u);
  BOOST_TEST(p.events_of(evidence_channel::lost_on_price) == 1u);
  BOOST_TEST(p.events_of(evidence_channel::lost_other) == 1u);
  BOOST_TEST(p.events_of(evidence_channel::refund) == 1u);
  BOOST_TEST(p.customers_with(evidence_channel::refund) == 1u);
  // roles: effort = meeting×2, proposal×2, price_match, concession; responses the rest
  BOOST_TEST(p.events_of(goodwill::event_role::effort) == 6u);
  BOOST_TEST(p.events_of(goodwill::event_role::response) == 8u);
  BOOST_TEST(p.events_of(goodwill::effort_class::trust_building) == 2u);
  BOOST_TEST(p.events_of(goodwill::effort_class::transactional) == 2u);
  // every event is in exactly one kind, role, effort class and channel
  std::uint64_t by_kind = 0, by_channel = 0, by_role = 0, by_class = 0;
  for (auto v : p.kind_events)
    by_kind += v;
  for (auto v : p.channel_events)
    by_channel += v;
  for (auto v : p.role_events)
    by_role += v;
  for (auto v : p.effort_events)
    by_class += v;
  BOOST_TEST(by_kind == p.events);
  BOOST_TEST(by_channel == p.events);
  BOOST_TEST(by_role == p.events);
  BOOST_TEST(by_class == p.events);
}

BOOST_AUTO_TEST_CASE(margins_and_loss_reasons) {
  const auto p = goodwill::profile_evidence(example());
  BOOST_TEST(p.margin_events == 4u); // 2 won + 2 purchases
  BOOST_TEST(p.margins_known == 2u);
  BOOST_TEST(p.margin_known_share() == 0.5);
  BOOST_TEST(p.losses == 2u);
  BOOST_TEST(p.loss_reasons_known == 1u);
  BOOST_TEST(p.loss_reason_known_share() == 0.5);
  BOOST_TEST(p.loss_reason_events[1] == 1u);
  BOOST_TEST(p.loss_reason_events[0] == 1u);
}

BOOST_AUTO_TEST_CASE(flags) {
  const auto p = goodwill::profile_evidence(example());
  BOOST_TEST(p.has_competitor_data());
  BOOST_TEST(p.has_concessions());
  BOOST_TEST(p.has_price_data());
  BOOST_TEST(p.has_effort_records());
  BOOST_TEST(p.has_trust_building_effort());
  BOOST_TEST(p.has_responses());
  BOOST_TEST(p.has_deal_outcomes());
  BOOST_TEST(p.has_revenue());
  BOOST_TEST(p.has_margins());
  BOOST_TEST(p.has_loss_reasons());
  BOOST_TEST(p.has_purchases());
  BOOST_TEST(p.has_exits());
  BOOST_TEST(
      goodwill::check_requirements(p, goodwill::analysis_needs("transactional_spiral")).empty());
}

BOOST_AUTO_TEST_CASE(a_crm_like_ledger_lacks_the_price_game) {
  // what a CRM export gives: opportunities, proposals, wins with unknown
  // margins, losses without reasons
  goodwill::ledger l;
  for (goodwill::customer_id c = 0; c < 3; ++c) {
    l.append(c, 0, event_kind::opportunity, 0);
    l.append(c, 1, event_kind::proposal, 100);
    l.append(c, 5, event_kind::deal_won, 100, goodwill::margin_unknown);
    l.append(c, 9, event_kind::deal_lost, 100, 0);
  }
  const auto p = goodwill::profile_evidence(l);
  BOOST_TEST(!p.has_competitor_data());
  BOOST_TEST(!p.has_margins());
  BOOST_TEST(p.margin_known_share() == 0.0);
  BOOST_TEST(!p.has_loss_reasons());
  BOOST_TEST(!p.has_trust_building_effort());
  BOOST_TEST(p.has_effort_records()); // proposals are effort of class "other"
  const auto missing =
      goodwill::check_requirements(p, goodwill::analysis_needs("transactional_spiral"));
  BOOST_REQUIRE_EQUAL(missing.size(), 1u);
  BOOST_TEST(missing[0].name == "competitor_data");
  BOOST_TEST(missing[0].reason == "the data has no competitor quotes or price matches");
  BOOST_TEST(!goodwill::satisfies(p, data_need::price_game));
  l.append(0, 10, event_kind::concession, 5);
  BOOST_TEST(goodwill::satisfies(goodwill::profile_evidence(l), data_need::price_game));
  const auto fire = goodwill::check_requirements(p, goodwill::analysis_needs("fire_rule"));
  BOOST_REQUIRE_EQUAL(fire.size(), 1u);
  BOOST_TEST(fire[0].name == "trust_building_effort");
  BOOST_TEST(goodwill::check_requirements(p, goodwill::analysis_needs("loss_reasons")).size() ==
             1u);
  BOOST_TEST(goodwill::check_requirements(p, goodwill::analysis_needs("profitability")).empty());
}

BOOST_AUTO_TEST_CASE(empty_ledger) {
  const auto p = goodwill::profile_evidence(goodwill::ledger{});
  BOOST_TEST(p.events == 0u);
  BOOST_TEST(std::isnan(p.first_time));
  BOOST_TEST(p.time_span_days() == 0.0);
  BOOST_TEST(std::isnan(p.margin_known_share()));
  BOOST_TEST(std::isnan(p.loss_reason_known_share()));
  // every need is missing, each reported once, in the order asked
  const std::vector<data_need> all{data_need::time_span, data_need::events, data_need::time_span};
  const auto missing = goodwill::check_requirements(p, all);
  BOOST_REQUIRE_EQUAL(missing.size(), 2u);
  BOOST_TEST(missing[0].name == "time_span");
  BOOST_TEST(missing[1].name == "events");
  for (const auto &row : goodwill::data_need_table)
    BOOST_TEST(!goodwill::satisfies(p, row.need));
}

BOOST_AUTO_TEST_CASE(one_instant_has_no_time_span) {
  goodwill::ledger l;
  l.append(0, 7, event_kind::deal_won, 1, 100);
  l.append(1, 7, event_kind::deal_lost, 1, 1);
  const auto p = goodwill::profile_evidence(l);
  BOOST_TEST(!goodwill::satisfies(p, data_need::time_span));
  BOOST_TEST(goodwill::satisfies(p, data_need::deal_outcomes));
}

BOOST_AUTO_TEST_CASE(channels_match_a_time_ordered_pass) {
  // events arrive out of time order; the channels must be those of each
  // customer's events read in time order (trust.hpp's channel_of)
  goodwill::ledger l;
  std::uint64_t state = 12345;
  auto next = [&state](std::uint64_t m) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % m;
  };
  const event_kind pool[] = {
      event_kind::deal_won, event_kind::price_match, event_kind::concession,  event_kind::deal_lost,
      event_kind::purchase, event_kind::meeting,     event_kind::scope_change};
  for (int i = 0; i < 3000; ++i) {
    const auto k = pool[next(7)];
    const double amount = k == event_kind::purchase || k == event_kind::scope_change
                              ? static_cast<double>(next(200)) - 50.0
                              : static_cast<double>(next(100));
    l.append(static_cast<goodwill::customer_id>(next(60)), static_cast<double>(next(1000)), k,
             amount, static_cast<std::int32_t>(next(3)));
  }
  const auto p = goodwill::profile_evidence(l);
  std::array<std::uint64_t, goodwill::evidence_channel_count> events{}, customers{};
  const auto &order = l.order();
  const auto &offsets = l.customer_offsets();
  for (std::size_t c = 0; c + 1 < offsets.size(); ++c) {
    std::array<bool, goodwill::evidence_channel_count> seen{};
    goodwill::deal_context ctx;
    for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
      const auto e = l[order[i]];
      const auto ch =
          static_cast<std::size_t>(goodwill::channel_of(e.kind, e.amount, e.detail, ctx));
      ++events[ch];
      seen[ch] = true;
    }
    for (std::size_t ch = 0; ch < seen.size(); ++ch)
      customers[ch] += seen[ch];
  }
  for (std::size_t ch = 0; ch < events.size(); ++ch) {
    BOOST_TEST(p.channel_events[ch] == events[ch]);
    BOOST_TEST(p.channel_customers[ch] == customers[ch]);
  }
  BOOST_TEST(p.events_of(evidence_channel::won_after_match) > 0u);
  BOOST_TEST(p.events_of(evidence_channel::won_after_concession) > 0u);
  BOOST_TEST(p.events_of(evidence_channel::won_at_list) > 0u);
}

BOOST_AUTO_TEST_CASE(salespeople_recorded) {
  auto l = example();
  BOOST_TEST(!goodwill::profile_evidence(l).has_reps());
  BOOST_TEST(!goodwill::satisfies(goodwill::profile_evidence(l), data_need::salespeople));
  const auto ann = l.intern_rep("Ann"), bob = l.intern_rep("Bob");
  (void)l.intern_rep("Cy"); // interned, names no event
  goodwill::event e{1, 50, event_kind::deal_won, 10, 100};
  e.rep = ann;
  l.append(e);
  e.customer = 3;
  l.append(e);
  e.rep = bob;
  l.append(e);
  const auto p = goodwill::profile_evidence(l);
  BOOST_TEST(p.has_reps());
  BOOST_TEST(p.rep_events == 3u);
  BOOST_TEST(p.reps == 2u);
  BOOST_TEST(p.customers_with_rep == 2u);
  BOOST_TEST(goodwill::check_requirements(p, goodwill::analysis_needs("account_owners")).empty());
}

BOOST_AUTO_TEST_CASE(names_are_checked) {
  BOOST_TEST(static_cast<int>(goodwill::data_need_from_string("margins")) ==
             static_cast<int>(data_need::margins));
  BOOST_CHECK_EXCEPTION((void)goodwill::data_need_from_string("horoscopes"),
                        goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) { return e.field() == "needs"; });
  BOOST_CHECK_EXCEPTION((void)goodwill::analysis_needs("astrology"), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) { return e.field() == "analysis"; });
  for (const auto &row : goodwill::analysis_needs_table)
    BOOST_TEST(row.count >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()
