#include <goodwill/relationship/relationship_model.hpp>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(relationship_model)

using goodwill::compare_op;
using goodwill::condition;
using goodwill::event_kind;
using goodwill::feature;
using goodwill::relationship_model;
using goodwill::transition_spec;

namespace {

std::string error_of(const std::string &json) {
  try {
    (void)relationship_model::from_json_string(json);
  } catch (const goodwill::invalid_state &e) {
    return e.what();
  }
  return "";
}

double features(double trust, double price_matches, double out[goodwill::feature_count]) {
  for (std::size_t i = 0; i < goodwill::feature_count; ++i)
    out[i] = 0.0;
  out[static_cast<std::size_t>(feature::trust)] = trust;
  out[static_cast<std::size_t>(feature::price_matches)] = price_matches;
  return 0.0;
}

} // namespace

BOOST_AUTO_TEST_CASE(parse_guard_reads_conditions) {
  const auto g = goodwill::parse_guard(" trust < 0.3 and price_matches >= 3 && amount != -1.5");
  BOOST_TEST_REQUIRE(g.size() == 3u);
  BOOST_TEST((g[0] == condition{feature::trust, compare_op::lt, 0.3}));
  BOOST_TEST((g[1] == condition{feature::price_matches, compare_op::ge, 3.0}));
  BOOST_TEST((g[2] == condition{feature::amount, compare_op::ne, -1.5}));
  BOOST_TEST(goodwill::parse_guard("").empty());
  BOOST_TEST(goodwill::to_string(std::span<const condition>(g)) ==
             "trust < 0.3 and price_matches >= 3 and amount != -1.5");
}

BOOST_AUTO_TEST_CASE(parse_guard_errors_name_the_part) {
  BOOST_CHECK_EXCEPTION(
      (void)goodwill::parse_guard("trst < 0.3"), goodwill::invalid_state, [](const auto &e) {
        return std::string(e.what()).find("unknown feature 'trst'") != std::string::npos;
      });
  BOOST_CHECK_EXCEPTION(
      (void)goodwill::parse_guard("trust <> 0.3"), goodwill::invalid_state, [](const auto &e) {
        return std::string(e.what()).find("'> 0.3' is not a number") != std::string::npos;
      });
  BOOST_CHECK_EXCEPTION(
      (void)goodwill::parse_guard("trust"), goodwill::invalid_state, [](const auto &e) {
        return std::string(e.what()).find("cannot read condition 'trust'") != std::string::npos;
      });
}

BOOST_AUTO_TEST_CASE(invalid_models_are_rejected_with_the_reason) {
  BOOST_TEST(error_of(R"({"states": ["a", "b"], "initial": "a",
      "transitions": [{"from": "a", "on": "meeting", "to": "c"}]})") ==
             "transition 0 (a -[meeting]-> c): unknown state 'c' in 'to'");
  BOOST_TEST(error_of(R"({"states": ["a", "b"], "initial": "a",
      "transitions": [{"from": "x", "on": "meeting", "to": "b"}]})") ==
             "transition 0 (x -[meeting]-> b): unknown state 'x' in 'from'");
  BOOST_TEST(error_of(R"({"states": ["a", "b"], "initial": "a",
      "transitions": [{"from": "a", "on": "meting", "to": "b"}]})") ==
             "transition 0 (a -[meting]-> b): unknown event kind 'meting'");
  BOOST_TEST(error_of(R"({"states": ["a", "b", "c"], "initial": "a",
      "transitions": [{"from": "a", "on": "meeting", "to": "b"}]})") ==
             "state 'c' is unreachable from the initial state 'a'");
  BOOST_TEST(error_of(R"({"states": ["a", "b", "c"], "initial": "a",
      "transitions": [{"from": "a", "on": "deal_won", "to": "b", "guard": "trust < 0.6"},
                      {"from": ["a", "b"], "on": "deal_won", "to": "c", "guard": "trust >= 0.5"}]})") ==
             "ambiguous: transition 0 (a -[deal_won if trust < 0.6]-> b) and transition 1 "
             "([a,b] -[deal_won if trust >= 0.5]-> c) can both fire in state 'a' on 'deal_won'");
  BOOST_TEST(error_of(R"({"states": ["a", "a"], "initial": "a", "transitions": []})") ==
             "state 'a' is listed twice");
  BOOST_TEST(error_of(R"({"states": ["a"], "initial": "z", "transitions": []})") ==
             "initial state 'z' is not among the states");
  BOOST_TEST(
      error_of(R"({"states": ["a", "b"], "initial": "a",
      "transitions": [{"from": "a", "on": "meeting", "to": "b", "guard": "trust < 0.2 and trust > 0.4"}]})") ==
      "transition 0 (a -[meeting if trust < 0.2 and trust > 0.4]-> b): its guard can never hold");
  BOOST_TEST(error_of(R"({"states": ["a", "b"], "initial": "a",
      "transitions": [{"from": "a", "on": "meeting", "to": "b", "guard": "trust < 0.2 and trst > 0.4"}]})")
                 .find("model JSON: transition 0: guard 'trust < 0.2 and trst > 0.4': unknown "
                       "feature 'trst'") == 0u);
  BOOST_TEST(error_of(R"({"states": ["a"], "transitions": [], "colour": 1})") ==
             "model JSON: unknown key 'colour'");
  BOOST_TEST(error_of("{not json").find("model JSON: cannot parse") == 0u);
  BOOST_TEST(error_of(R"({"states": [], "transitions": []})") ==
             "a model needs at least one state");
}

BOOST_AUTO_TEST_CASE(disjoint_guards_are_not_ambiguous) {
  // boundaries: < 0.5 and >= 0.5 are disjoint; == 2 and > 2 are disjoint
  BOOST_TEST(error_of(R"({"states": ["a", "b", "c"], "initial": "a",
      "transitions": [{"from": "a", "on": "deal_won", "to": "b", "guard": "trust < 0.5"},
                      {"from": "a", "on": "deal_won", "to": "c", "guard": [["trust", ">=", 0.5]]},
                      {"from": "b", "on": "meeting", "to": "a", "guard": "deals_won == 2"},
                      {"from": "b", "on": "meeting", "to": "c", "guard": "deals_won > 2"}]})") ==
             "");
  // != is treated conservatively: it could overlap
  BOOST_TEST(error_of(R"({"states": ["a", "b", "c"], "initial": "a",
      "transitions": [{"from": "a", "on": "meeting", "to": "b", "guard": "deals_won != 1"},
                      {"from": "a", "on": "meeting", "to": "c", "guard": "deals_won == 1"}]})")
                 .find("ambiguous: transition 0") == 0u);
}

BOOST_AUTO_TEST_CASE(the_ambiguity_check_is_bounded_up_front) {
  // 257 disjoint guards on one state and kind: refused before the pairwise
  // check, with the count in the message
  auto band_model = [](std::size_t n, bool wildcard, std::size_t states) {
    std::vector<std::string> names;
    for (std::size_t s = 0; s < states; ++s)
      names.push_back("s" + std::to_string(s));
    std::vector<transition_spec> t;
    for (std::size_t s = 1; s < states; ++s) // a chain: every state reachable
      t.push_back({{names[s - 1]}, "meeting", names[s], {}});
    for (std::size_t i = 0; i < n; ++i)
      t.push_back({{wildcard ? "*" : "s0"},
                   "deal_won",
                   "s0",
                   {condition{feature::deals_won, compare_op::eq, static_cast<double>(i)}}});
    return relationship_model(names, "s0", t);
  };
  BOOST_CHECK_NO_THROW(band_model(relationship_model::max_transitions_per_cell, false, 2));
  try {
    (void)band_model(relationship_model::max_transitions_per_cell + 1, false, 2);
    BOOST_FAIL("a cell of 257 transitions was accepted");
  } catch (const goodwill::invalid_state &e) {
    BOOST_TEST(std::string(e.what()) ==
               "257 transitions apply in state 's0' on 'deal_won' (at most 256 may apply to one "
               "state and event kind)");
  }
  // wildcards are checked once per kind: 200 disjoint wildcard guards in
  // 2,000 states build (400,000 entries, 20,000 guard comparisons, not 4e7)
  const auto m = band_model(200, true, 2000);
  BOOST_TEST(m.candidates(1, event_kind::deal_won).size() == 200u);
  // and still caught when two of them overlap, in whichever state first
  try {
    (void)relationship_model(
        {"a", "b"}, "a",
        {{{"a"}, "meeting", "b", {}},
         {{"*"}, "deal_won", "a", {condition{feature::trust, compare_op::lt, 0.6}}},
         {{"*"}, "deal_won", "b", {condition{feature::trust, compare_op::gt, 0.5}}}});
    BOOST_FAIL("overlapping wildcards were accepted");
  } catch (const goodwill::invalid_state &e) {
    BOOST_TEST(std::string(e.what()).find("ambiguous: transition 1") == 0u);
  }
  // the compiled table is bounded: 256 wildcards in 65,280 states would be
  // 16.8 M entries
  try {
    (void)band_model(256, true, 65280);
    BOOST_FAIL("a 16.8 M-entry table was accepted");
  } catch (const goodwill::invalid_state &e) {
    BOOST_TEST(std::string(e.what()) ==
               "the model's transition table would hold 16776959 (state, transition) entries "
               "with 16711680 guard conditions (at most 4194304 and 16777216; wildcard "
               "transitions count once per state)");
  }
  // a state listed twice in one 'from' is still refused
  BOOST_CHECK_THROW(relationship_model({"a", "b"}, "a", {{{"a", "b", "a"}, "meeting", "b", {}}}),
                    goodwill::invalid_state);
}

BOOST_AUTO_TEST_CASE(explicit_beats_wildcard) {
  auto m = relationship_model::from_json_string(R"({"states": ["a", "b", "c"], "initial": "a",
      "transitions": [{"from": "*", "on": "churn", "to": "c"},
                      {"from": "a", "on": "churn", "to": "b", "guard": "trust < 0.3"},
                      {"from": "c", "on": "return", "to": "a"}]})");
  double f[goodwill::feature_count];
  features(0.5, 0, f);
  // in a, the explicit transition's guard fails: the wildcard is skipped, a stays a
  BOOST_TEST(m.next(0, event_kind::churn, f) == 0);
  features(0.2, 0, f);
  BOOST_TEST(m.next(0, event_kind::churn, f) == 1);
  // in b, only the wildcard applies
  BOOST_TEST(m.next(1, event_kind::churn, f) == 2);
  // no transition: unchanged
  BOOST_TEST(m.next(1, event_kind::meeting, f) == 1);
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  const auto m = goodwill::relationship_selling();
  const auto again = relationship_model::from_json_string(m.to_json().dump());
  BOOST_TEST(again.to_json() == m.to_json());
  BOOST_TEST(again.states() == m.states());
  BOOST_TEST(again.transitions().size() == m.transitions().size());
}

BOOST_AUTO_TEST_CASE(default_model_encodes_the_seeds) {
  const auto m = goodwill::relationship_selling();
  BOOST_TEST(m.state_count() == 11u);
  auto code = [&](const char *s) { return *m.find_state(s); };
  BOOST_TEST(m.initial() == code("prospect"));
  double f[goodwill::feature_count];
  features(0.5, 0, f);
  BOOST_TEST(m.next(code("prospect"), event_kind::meeting, f) == code("qualified"));
  BOOST_TEST(m.next(code("qualified"), event_kind::proposal, f) == code("negotiating"));
  // won with decent trust and no price matching: developing
  BOOST_TEST(m.next(code("negotiating"), event_kind::deal_won, f) == code("developing"));
  // won after meeting/beating rival prices twice: transactional (seed 000)
  features(0.9, 2, f);
  BOOST_TEST(m.next(code("negotiating"), event_kind::deal_won, f) == code("transactional"));
  features(0.3, 0, f);
  BOOST_TEST(m.next(code("negotiating"), event_kind::deal_won, f) == code("transactional"));
  // walking away from the sale, not from the customer
  BOOST_TEST(m.next(code("negotiating"), event_kind::walk_away, f) == code("qualified"));
  BOOST_TEST(m.next(code("developing"), event_kind::promise_broken, f) == code("at_risk"));
  features(0.8, 0, f);
  BOOST_TEST(m.next(code("developing"), event_kind::promise_broken, f) == code("developing"));
  BOOST_TEST(m.next(code("developing"), event_kind::referral_given, f) == code("partner"));
  BOOST_TEST(m.next(code("at_risk"), event_kind::promise_kept, f) == code("developing"));
  BOOST_TEST(m.next(code("partner"), event_kind::fire, f) == code("fired"));
  BOOST_TEST(m.next(code("fired"), event_kind::returned, f) == code("won_back"));
  BOOST_TEST(m.next(code("won_back"), event_kind::purchase, f) == code("developing"));
  BOOST_TEST(m.next(code("partner"), event_kind::churn, f) == code("churned"));
  // a lost or churned customer who buys again is won back, return event or not
  BOOST_TEST(m.next(code("lost"), event_kind::deal_won, f) == code("won_back"));
  BOOST_TEST(m.next(code("churned"), event_kind::purchase, f) == code("won_back"));
  BOOST_TEST(m.next(code("lost"), event_kind::proposal, f) == code("lost"));
}

BOOST_AUTO_TEST_CASE(default_model_loses_deals_not_customers) {
  const auto m = goodwill::relationship_selling();
  auto code = [&](const char *s) { return *m.find_state(s); };
  double f[goodwill::feature_count];
  features(0.5, 0, f);
  // a lost deal moves nobody at once: the dormancy rule decides (replay.hpp)
  for (const char *s :
       {"negotiating", "transactional", "developing", "partner", "at_risk", "won_back"})
    BOOST_TEST(m.next(code(s), event_kind::deal_lost, f) == code(s));
  // an account that keeps losing, with its trust gone below 0.5, is at risk
  features(0.3, 0, f);
  f[static_cast<std::size_t>(feature::losses_in_a_row)] = 3.0;
  for (const char *s : {"transactional", "developing", "partner"})
    BOOST_TEST(m.next(code(s), event_kind::deal_lost, f) == code("at_risk"));
  f[static_cast<std::size_t>(feature::losses_in_a_row)] = 2.0;
  BOOST_TEST(m.next(code("partner"), event_kind::deal_lost, f) == code("partner"));
  // a strong account's streak among many deals is not a risk by itself
  features(0.8, 0, f);
  f[static_cast<std::size_t>(feature::losses_in_a_row)] = 5.0;
  BOOST_TEST(m.next(code("partner"), event_kind::deal_lost, f) == code("partner"));
  const auto &d = m.dormancy();
  BOOST_TEST(m.has_dormancy());
  BOOST_TEST(d.to == "lost");
  BOOST_TEST(m.dormancy_target() == code("lost"));
  BOOST_TEST(d.days == 180.0);
  BOOST_TEST(d.min_gaps == 5u);
  BOOST_TEST(d.quantile == 0.9);
  BOOST_TEST(d.min_days == 90.0);
  BOOST_TEST(d.max_days == 365.0);
  for (const char *s :
       {"negotiating", "transactional", "developing", "partner", "at_risk", "won_back"})
    BOOST_TEST(m.dormancy_from(code(s)));
  for (const char *s : {"prospect", "qualified", "lost", "churned", "fired"})
    BOOST_TEST(!m.dormancy_from(code(s)));
  using F = relationship_model::kind_flag;
  BOOST_TEST((m.kind_flags(event_kind::deal_lost) & F::flag_arm) != 0);
  BOOST_TEST((m.kind_flags(event_kind::deal_won) & F::flag_cancel) != 0);
  BOOST_TEST((m.kind_flags(event_kind::purchase) & F::flag_cancel) != 0);
  BOOST_TEST((m.kind_flags(event_kind::returned) & F::flag_cancel) != 0);
  BOOST_TEST(m.kind_flags(event_kind::meeting) == 0);
  // the numbers can be changed; the states stay the default model's
  goodwill::dormancy_rule shorter;
  shorter.days = 120.0;
  shorter.min_gaps = 0;
  const auto m2 = goodwill::relationship_selling(shorter);
  BOOST_TEST(m2.dormancy().days == 120.0);
  BOOST_TEST(m2.dormancy().to == "lost");
  BOOST_TEST(m2.dormancy().from == d.from);
}

BOOST_AUTO_TEST_CASE(dormancy_json_round_trip_and_defaults) {
  const auto m = relationship_model::from_json_string(R"({"states": ["active", "gone"],
      "initial": "active", "transitions": [],
      "dormancy": {"to": "gone", "from": "active", "days": 60}})");
  // "gone" is reachable through the dormancy move alone
  BOOST_TEST(m.has_dormancy());
  BOOST_TEST(m.dormancy().days == 60.0);
  BOOST_TEST(m.dormancy().on == std::vector<std::string>{"deal_lost"});
  BOOST_TEST(
      (m.dormancy().cancel_on == std::vector<std::string>{"deal_won", "purchase", "return"}));
  BOOST_TEST(m.dormancy().min_gaps == goodwill::dormancy_rule{}.min_gaps);
  const auto again = relationship_model::from_json_string(m.to_json().dump());
  BOOST_TEST((again.dormancy() == m.dormancy()));
  BOOST_TEST(again.to_json() == m.to_json());
  // no dormancy: not in the JSON, and a null one is none
  const auto plain = relationship_model::from_json_string(
      R"({"states": ["a"], "transitions": [], "dormancy": null})");
  BOOST_TEST(!plain.has_dormancy());
  BOOST_TEST(!plain.to_json().contains("dormancy"));
}

BOOST_AUTO_TEST_CASE(invalid_dormancy_rules_are_rejected_with_the_reason) {
  auto with = [](const std::string &rule) {
    return error_of(R"({"states": ["a", "b"], "initial": "a",
        "transitions": [{"from": "a", "on": "meeting", "to": "b"}], "dormancy": )" +
                    rule + "}");
  };
  BOOST_TEST(with(R"({"to": "c", "from": "a"})") == "dormancy: unknown state 'c' in 'to'");
  BOOST_TEST(with(R"({"to": "b", "from": ["a", "x"]})") == "dormancy: unknown state 'x' in 'from'");
  BOOST_TEST(with(R"({"to": "b", "from": ["a", "b"]})") ==
             "dormancy: 'from' holds the target state 'b'");
  BOOST_TEST(with(R"({"to": "b", "from": []})") == "dormancy: 'from' is empty");
  BOOST_TEST(with(R"({"to": "b", "from": "a", "on": "deal_lsot"})") ==
             "dormancy: unknown event kind 'deal_lsot' in 'on'");
  BOOST_TEST(with(R"({"to": "b", "from": "a", "cancel_on": ["deal_won", "deal_lost"]})") ==
             "dormancy: event kind 'deal_lost' is listed twice (in 'on' or 'cancel_on')");
  BOOST_TEST(with(R"({"to": "b", "from": "a", "days": 0})") ==
             "dormancy: 'days' must be a positive number of days, got 0.000000");
  BOOST_TEST(with(R"({"to": "b", "from": "a", "quantile": 1.5})") ==
             "dormancy: 'quantile' must be in (0, 1], got 1.500000");
  BOOST_TEST(with(R"({"to": "b", "from": "a", "min_days": 400})") ==
             "dormancy: 'min_days' is above 'max_days'");
  BOOST_TEST(with(R"({"to": "b", "from": "a", "min_gaps": -1})") ==
             "model JSON: dormancy: 'min_gaps' must be a non-negative integer");
  BOOST_TEST(with(R"({"to": "b", "from": "a", "window": 3})") ==
             "model JSON: dormancy: unknown key 'window'");
  BOOST_TEST(with(R"({"from": "a"})") == "model JSON: dormancy: 'to' must be a state name");
  BOOST_TEST(with(R"({"to": "b"})") == "model JSON: dormancy: 'from' is missing");
}

BOOST_AUTO_TEST_CASE(features_used_mask) {
  const auto m = goodwill::relationship_selling();
  const auto used = m.features_used();
  BOOST_TEST((used & (1u << static_cast<unsigned>(feature::trust))) != 0u);
  BOOST_TEST((used & (1u << static_cast<unsigned>(feature::price_matches))) != 0u);
  BOOST_TEST((used & (1u << static_cast<unsigned>(feature::engagement))) == 0u);
}

BOOST_AUTO_TEST_CASE(deep_json_is_refused_before_anything_recurses) {
  using goodwill::relationship_model;
  // 100,000 nested lists: refused by the depth scan, before the parser
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  try {
    (void)relationship_model::from_json_string(deep);
    BOOST_FAIL("accepted");
  } catch (const goodwill::invalid_state &e) {
    BOOST_TEST(std::string(e.what()).find("nested more than 64") != std::string::npos);
  }
  // brackets inside strings do not count
  BOOST_CHECK_NO_THROW((void)relationship_model::from_json_string(
      "{\"states\": [\"a" + std::string(100, '[') + "\\\"" + std::string(100, '{') + "\"]}"));
  // a deep value within the limit, in a place that reports what it found:
  // described, not dumped
  const std::string guard = R"({"states": ["a"], "transitions": [{"from": "a", "on": "lead",
      "to": "a", "guard": [)" +
                            std::string(50, '[') + std::string(50, ']') + "]}]}";
  try {
    (void)relationship_model::from_json_string(guard);
    BOOST_FAIL("accepted");
  } catch (const goodwill::invalid_state &e) {
    BOOST_TEST(std::string(e.what()).find("more than 8 deep") != std::string::npos);
  }
  // a deep nlohmann::json built in C++ (no text to scan) is described too
  nlohmann::json v = nlohmann::json::array();
  for (int i = 0; i < 100000; ++i)
    v = nlohmann::json::array({std::move(v)});
  nlohmann::json model = {{"states", nlohmann::json::array({std::move(v)})}};
  try {
    (void)relationship_model::from_json(model);
    BOOST_FAIL("accepted");
  } catch (const goodwill::invalid_state &e) {
    BOOST_TEST(std::string(e.what()).find("more than 8 deep") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
