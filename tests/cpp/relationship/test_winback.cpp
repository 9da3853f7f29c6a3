#include <goodwill/relationship/winback.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

BOOST_AUTO_TEST_SUITE(winback)

using goodwill::event_kind;
using goodwill::km_band;
namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
// Freireich et al. (1963), Blood 21(6) 699–716: weeks of remission of the 21
// leukaemia patients on 6-mercaptopurine (0: censored), the textbook
// Kaplan–Meier example (Gehan 1965; Kleinbaum & Klein, Survival Analysis,
// ch. 2; R survival's `gehan`).
const std::vector<double> mp_weeks{6,  6,  6,  6,  7,  9,  10, 10, 11, 13, 16,
                                   17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
const std::vector<std::uint8_t> mp_event{1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1,
                                         0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
} // namespace

BOOST_AUTO_TEST_CASE(freireich_6mp_kaplan_meier) {
  // R: summary(survfit(Surv(time, cens) ~ 1, data = gehan[gehan$treat == "6-MP", ]))
  //  time n.risk n.event survival std.err lower 95% CI upper 95% CI
  //     6     21       3    0.857  0.0764        0.720        1.000
  //     7     17       1    0.807  0.0869        0.653        0.996
  //    10     15       1    0.753  0.0963        0.586        0.968
  //    13     12       1    0.690  0.1068        0.510        0.935
  //    16     11       1    0.627  0.1141        0.439        0.896
  //    22      7       1    0.538  0.1282        0.337        0.858
  //    23      6       1    0.448  0.1346        0.249        0.807
  const auto km = goodwill::kaplan_meier(mp_weeks, mp_event, 0.95, km_band::log);
  const double times[] = {6, 7, 10, 13, 16, 22, 23};
  const double risk[] = {21, 17, 15, 12, 11, 7, 6};
  const double surv[] = {0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448};
  const double se[] = {0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346};
  const double lo[] = {0.720, 0.653, 0.586, 0.510, 0.439, 0.337, 0.249};
  const double hi[] = {1.000, 0.996, 0.968, 0.935, 0.896, 0.858, 0.807};
  BOOST_TEST(km.timeline.front() == 0.0);
  BOOST_TEST(km.survival.front() == 1.0);
  std::size_t checked = 0;
  for (std::size_t r = 0; r < km.size(); ++r)
    for (std::size_t k = 0; k < 7; ++k)
      if (km.timeline[r] == times[k]) {
        ++checked;
        BOOST_TEST(km.at_risk[r] == risk[k]);
        BOOST_TEST(std::abs(km.survival[r] - surv[k]) < 5e-4);
        BOOST_TEST(std::abs(km.survival[r] * std::sqrt(km.greenwood[r]) - se[k]) < 5e-5);
        BOOST_TEST(std::abs(km.lower[r] - lo[k]) < 5e-4);
        BOOST_TEST(std::abs(km.upper[r] - hi[k]) < 5e-4);
      }
  BOOST_TEST(checked == 7u);
  // exact products: S(23) = 18/21 · 16/17 · 14/15 · 11/12 · 10/11 · 6/7 · 5/6
  BOOST_TEST(km.survival_at(23.5) ==
                 18.0 / 21 * 16.0 / 17 * 14.0 / 15 * 11.0 / 12 * 10.0 / 11 * 6.0 / 7 * 5.0 / 6,
             tt::tolerance(1e-12));
  BOOST_TEST(km.survival_at(5.9) == 1.0);
  BOOST_TEST(km.survival_at(100) == km.survival.back());
  // the median is the first time S <= 0.5: 23 weeks (R: median 23, 0.95LCL 16)
  BOOST_TEST(km.median == 23.0);
  BOOST_TEST(km.median_lower == 16.0);
  BOOST_TEST(std::isinf(km.median_upper));
  // censored-only times are on the timeline with the estimate unchanged
  BOOST_TEST(km.size() == 17u); // 0 and 16 distinct durations
}

BOOST_AUTO_TEST_CASE(bands_bracket_the_estimate) {
  for (auto band : {km_band::log_log, km_band::log, km_band::plain}) {
    const auto km = goodwill::kaplan_meier(mp_weeks, mp_event, 0.9, band);
    for (std::size_t r = 0; r < km.size(); ++r) {
      BOOST_TEST(km.lower[r] <= km.survival[r]);
      BOOST_TEST(km.survival[r] <= km.upper[r]);
      BOOST_TEST(km.lower[r] >= 0.0);
      BOOST_TEST(km.upper[r] <= 1.0);
    }
  }
  // log-log band: lifelines 0.30.3, KaplanMeierFitter().fit(weeks, event) on
  // the same data (computed 2026-11-25): confidence_interval_ at 6, 13, 23
  // weeks and median_survival_times(confidence_interval_) = [13, inf].
  const auto km = goodwill::kaplan_meier(mp_weeks, mp_event);
  const auto at = [&](double t) {
    return static_cast<std::size_t>(std::find(km.timeline.begin(), km.timeline.end(), t) -
                                    km.timeline.begin());
  };
  BOOST_TEST(km.lower[at(6)] == 0.6197179553, tt::tolerance(1e-9));
  BOOST_TEST(km.upper[at(6)] == 0.9515517476, tt::tolerance(1e-9));
  BOOST_TEST(km.lower[at(13)] == 0.4316102225, tt::tolerance(1e-9));
  BOOST_TEST(km.upper[at(13)] == 0.8490659633, tt::tolerance(1e-9));
  BOOST_TEST(km.lower[at(23)] == 0.1880520060, tt::tolerance(1e-9));
  BOOST_TEST(km.upper[at(23)] == 0.6801426285, tt::tolerance(1e-9));
  BOOST_TEST(km.median_lower == 13.0);
  BOOST_TEST(std::isinf(km.median_upper));
  // and by the formula, S^exp(±z σ / log S), at 6 weeks
  const double s = 18.0 / 21.0, sigma = std::sqrt(3.0 / (21.0 * 18.0)), z = 1.959963984540054;
  BOOST_TEST(km.lower[1] == std::pow(s, std::exp(-z * sigma / std::log(s))), tt::tolerance(1e-12));
  BOOST_TEST(km.upper[1] == std::pow(s, std::exp(z * sigma / std::log(s))), tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(edge_cases) {
  // everybody returns: S reaches 0 and the band closes
  const std::vector<double> d{1, 2, 2};
  const std::vector<std::uint8_t> e{1, 1, 1};
  const auto km = goodwill::kaplan_meier(d, e);
  BOOST_TEST(km.survival.back() == 0.0);
  BOOST_TEST(km.lower.back() == 0.0);
  BOOST_TEST(km.upper.back() == 0.0);
  BOOST_TEST(km.median == 2.0);
  // nobody returns: S = 1 throughout, no median
  const std::vector<std::uint8_t> none{0, 0, 0};
  const auto flat = goodwill::kaplan_meier(d, none);
  BOOST_TEST(flat.survival.back() == 1.0);
  BOOST_TEST(std::isinf(flat.median));
  const auto empty = goodwill::kaplan_meier({}, {});
  BOOST_TEST(empty.size() == 1u);
  const std::vector<double> bad{1, std::nan("")};
  const std::vector<std::uint8_t> two{1, 1};
  BOOST_CHECK_THROW((void)goodwill::kaplan_meier(bad, two), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)goodwill::kaplan_meier(d, two), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)goodwill::kaplan_meier(d, e, 1.5), goodwill::invalid_input);
}

BOOST_DATA_TEST_CASE(survival_is_non_increasing_in_unit_interval, bdata::make({1, 2, 3, 4, 5}),
                     seed) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  std::uniform_int_distribution<int> day(0, 40);
  std::bernoulli_distribution ev(0.6);
  std::vector<double> d;
  std::vector<std::uint8_t> e;
  for (int i = 0; i < 30 * seed; ++i) {
    d.push_back(day(rng));
    e.push_back(ev(rng) ? 1 : 0);
  }
  const auto km = goodwill::kaplan_meier(d, e);
  for (std::size_t r = 0; r < km.size(); ++r) {
    BOOST_TEST(km.survival[r] >= 0.0);
    BOOST_TEST(km.survival[r] <= 1.0);
    if (r > 0) {
      BOOST_TEST(km.survival[r] <= km.survival[r - 1]);
      BOOST_TEST(km.at_risk[r] == km.at_risk[r - 1] - km.events[r - 1] - km.censored[r - 1]);
    }
  }
}

BOOST_AUTO_TEST_CASE(spells_from_the_default_model) {
  const auto model = goodwill::relationship_selling();
  const auto code = [&](const char *s) { return *model.find_state(s); };
  goodwill::ledger l;
  // 0: wins, churns at 10, comes back at 70 (return), churns again at 100 —
  //    censored at the ledger's end (300): spells 60 (returned) and 200.
  l.append(0, 0, event_kind::purchase, 100, 3000);
  l.append(0, 10, event_kind::churn);
  l.append(0, 70, event_kind::returned);
  l.append(0, 100, event_kind::churn);
  // 1: negotiates and loses at 5 (not lost: the dormancy clock starts), is
  //    fired at 20 (the clock stops), buys again at 125: one spell of 105
  //    from 'fired', back at won_back.
  l.append(1, 0, event_kind::meeting, 1);
  l.append(1, 1, event_kind::proposal, 100);
  l.append(1, 5, event_kind::deal_lost, 100, 1);
  l.append(1, 20, event_kind::fire);
  l.append(1, 125, event_kind::purchase, 50, 2000);
  // 2: never leaves
  l.append(2, 0, event_kind::purchase, 10, 1000);
  l.append(2, 300, event_kind::meeting, 1);
  // 3: loses its only deal at 10, buys again at 250: lost at 190 (the
  //    180-day window), back at 250 — 240 days without business
  l.append(3, 0, event_kind::meeting, 1);
  l.append(3, 1, event_kind::proposal, 100);
  l.append(3, 10, event_kind::deal_lost, 100, 1);
  l.append(3, 250, event_kind::purchase, 50, 2000);
  const auto r = goodwill::replay(model, l);
  const std::vector<goodwill::state_code> exits{code("lost"), code("churned"), code("fired")};
  const auto s =
      goodwill::win_back_spells(r, exits, std::numeric_limits<double>::quiet_NaN(), l.times());
  BOOST_REQUIRE_EQUAL(s.size(), 4u);
  BOOST_TEST(s.customer[0] == 0u);
  BOOST_TEST(s.duration[0] == 60.0);
  BOOST_TEST(s.returned[0] == 1);
  BOOST_TEST(s.return_state[0] == code("won_back"));
  BOOST_TEST(s.duration[1] == 200.0);
  BOOST_TEST(s.returned[1] == 0);
  BOOST_TEST(s.customer[2] == 1u);
  BOOST_TEST(s.exit_state[2] == code("fired"));
  BOOST_TEST(s.start[2] == 20.0);
  BOOST_TEST(s.duration[2] == 105.0);
  BOOST_TEST(s.returned[2] == 1);
  // the dormancy move: the spell starts at the lost deal, not at the move
  BOOST_TEST(s.customer[3] == 3u);
  BOOST_TEST(s.exit_state[3] == code("lost"));
  BOOST_TEST(s.start[3] == 10.0);
  BOOST_TEST(s.duration[3] == 240.0);
  BOOST_TEST(s.returned[3] == 1);
  // without the ledger's times a spell starts at the logged move (190)
  const auto bare = goodwill::win_back_spells(r, exits);
  BOOST_TEST(bare.start[3] == 190.0);
  BOOST_TEST(bare.duration[3] == 60.0);
  // an earlier end censors customer 1 and cuts customer 0's second spell;
  // customer 3 is not lost yet at 110 (its move is logged at 190)
  const auto early = goodwill::win_back_spells(r, exits, 110.0, l.times());
  BOOST_REQUIRE_EQUAL(early.size(), 3u);
  BOOST_TEST(early.duration[1] == 10.0);
  BOOST_TEST(early.duration[2] == 90.0);
  BOOST_TEST(early.returned[2] == 0);
  const std::vector<goodwill::state_code> bad{99};
  BOOST_CHECK_THROW((void)goodwill::win_back_spells(r, bad), goodwill::invalid_input);
  const std::vector<double> short_times(3, 0.0);
  BOOST_CHECK_THROW((void)goodwill::win_back_spells(r, exits, 300.0, short_times),
                    goodwill::invalid_input);
  // KM of the spells: returns at 60 (4 at risk), 105 (3) and 240 (1; 200 censored)
  const auto km = goodwill::kaplan_meier(s.duration, s.returned);
  BOOST_TEST(km.survival_at(60) == 3.0 / 4.0, tt::tolerance(1e-12));
  BOOST_TEST(km.survival_at(150) == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(km.survival_at(240) == 0.0, tt::tolerance(1e-12));
  BOOST_TEST(km.median == 105.0);
}

BOOST_AUTO_TEST_SUITE_END()
