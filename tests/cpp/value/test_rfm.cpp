#include <goodwill/value/rfm.hpp>

#include "btyd_data.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

BOOST_AUTO_TEST_SUITE(rfm)

namespace tt = boost::test_tools;

// Customer 0 buys on days 0, 2 (same week 0: one purchase of 30), 8, 9
// (week 1: 5 + 7) and 20 (week 2); customer 1 once on day 3; customer 2 only
// on day 30 (after the calibration end 20, before the observation end 34).
BOOST_AUTO_TEST_CASE(lifetimes_semantics_by_hand) {
  const std::vector<std::uint32_t> c{0, 0, 1, 0, 0, 0, 2};
  const std::vector<double> t{2, 0, 3, 8, 9, 20, 30};
  const std::vector<double> a{10, 20, 4, 5, 7, 9, 50};
  goodwill::rfm_options o;
  o.period_length = 7;
  o.observation_end = 34;
  const auto s = goodwill::summarize_transactions(c, 3, t, a, o);
  BOOST_REQUIRE_EQUAL(s.size(), 3u);
  BOOST_TEST(s.frequency[0] == 2.0);
  BOOST_TEST(s.recency[0] == 2.0);
  BOOST_TEST(s.T[0] == 4.0); // week of day 34 is 4
  BOOST_TEST(s.monetary_value[0] == (12.0 + 9.0) / 2, tt::tolerance(1e-12));
  BOOST_TEST(s.frequency[1] == 0.0);
  BOOST_TEST(s.monetary_value[1] == 0.0);
  BOOST_TEST(s.T[2] == 0.0);
  BOOST_TEST(!s.has_holdout());

  o.calibration_end = 20;
  const auto h = goodwill::summarize_transactions(c, 3, t, a, o);
  BOOST_REQUIRE_EQUAL(h.size(), 2u); // customer 2 has no calibration purchase
  BOOST_TEST(h.T[0] == 2.0);
  BOOST_TEST(h.duration_holdout == 2.0);
  BOOST_TEST(h.frequency_holdout[0] == 0.0);
  BOOST_TEST(h.frequency_holdout[1] == 0.0);

  o.calibration_end = 8.5;
  const auto g = goodwill::summarize_transactions(c, 3, t, a, o);
  BOOST_TEST(g.frequency[0] == 1.0);         // weeks 0 and 1 (day 8 only)
  BOOST_TEST(g.monetary_value[0] == 5.0);    // day 9 is after the split
  BOOST_TEST(g.frequency_holdout[0] == 2.0); // weeks 1 and 2
  BOOST_TEST(g.monetary_value_holdout[0] == 8.0, tt::tolerance(1e-12)); // mean of 7 and 9
}

BOOST_AUTO_TEST_CASE(bad_rows_are_named) {
  const std::vector<std::uint32_t> c{0, 1};
  const std::vector<double> t{0, std::nan("")};
  try {
    (void)goodwill::summarize_transactions(c, 2, t);
    BOOST_FAIL("expected invalid_input");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "time");
    BOOST_TEST(e.row().value() == 1);
  }
  const std::vector<double> t2{0, 1};
  BOOST_CHECK_THROW((void)goodwill::summarize_transactions(c, 1, t2), goodwill::invalid_input);
  goodwill::rfm_options o;
  o.period_length = 0;
  BOOST_CHECK_THROW((void)goodwill::summarize_transactions(c, 2, t2, {}, o),
                    goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(ledger_matches_transaction_log) {
  goodwill::ledger l;
  l.append(0, 2, goodwill::event_kind::purchase, 10);
  l.append(0, 0, goodwill::event_kind::deal_won, 20);
  l.append(0, 4, goodwill::event_kind::meeting, 0);
  l.append(0, 8, goodwill::event_kind::purchase, 5);
  l.append(0, 15, goodwill::event_kind::purchase, -3); // refund: not a purchase
  l.append(1, 3, goodwill::event_kind::purchase, 4);
  l.append(1, 17, goodwill::event_kind::purchase, 6);
  goodwill::rfm_options o;
  o.period_length = 7;
  o.observation_end = 21;
  const auto s = goodwill::summarize_ledger(l, o);
  const std::vector<std::uint32_t> c{0, 0, 0, 1, 1};
  const std::vector<double> t{2, 0, 8, 3, 17}, a{10, 20, 5, 4, 6};
  const auto r = goodwill::summarize_transactions(c, 2, t, a, o);
  BOOST_REQUIRE_EQUAL(s.size(), r.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    BOOST_TEST(s.frequency[i] == r.frequency[i]);
    BOOST_TEST(s.recency[i] == r.recency[i]);
    BOOST_TEST(s.T[i] == r.T[i]);
    BOOST_TEST(s.monetary_value[i] == r.monetary_value[i]);
  }
  BOOST_TEST(s.frequency[1] == 1.0);
  BOOST_TEST(s.recency[1] == 2.0);
}

// The CDNOW 1/10 sample summarised by day over the 39-week calibration period
// (1997-01-01 .. 1997-09-30) must reproduce the published summary
// cdnow_customers_summary_with_transactions.csv (Fader, Hardie & Lee 2005,
// frequency, recency and T in weeks to 2 decimals, zbar the mean repeat spend).
BOOST_AUTO_TEST_CASE(cdnow_sample_reproduces_published_summary,
                     GOODWILL_NEEDS_SHARED_DATA("cdnow/CDNOW_sample.txt")) {
  const auto ref =
      goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary_with_transactions.csv");
  std::ifstream in(goodwill_test::shared_data_path("cdnow/CDNOW_sample.txt"));
  BOOST_REQUIRE(!ref.empty());
  BOOST_REQUIRE(in.good());
  using namespace std::chrono;
  auto day = [](int ymd) {
    const year_month_day d{year{ymd / 10000}, month{static_cast<unsigned>(ymd / 100 % 100)},
                           std::chrono::day{static_cast<unsigned>(ymd % 100)}};
    return static_cast<double>(sys_days(d).time_since_epoch().count());
  };
  std::vector<std::uint32_t> c;
  std::vector<double> t, a;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    int cust = 0, sid = 0, date = 0, cds = 0;
    double dollars = 0;
    if (ss >> cust >> sid >> date >> cds >> dollars) {
      c.push_back(static_cast<std::uint32_t>(sid - 1));
      t.push_back(day(date));
      a.push_back(dollars);
    }
  }
  goodwill::rfm_options o;
  o.calibration_end = day(19970930);
  o.observation_end = day(19980630);
  const auto s = goodwill::summarize_transactions(c, 2357, t, a, o);
  BOOST_REQUIRE_EQUAL(s.size(), ref[0].size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    BOOST_TEST(s.frequency[i] == ref[1][i]);
    BOOST_TEST(std::abs(s.recency[i] / 7 - ref[2][i]) <= 0.0051);
    BOOST_TEST(std::abs(s.T[i] / 7 - ref[3][i]) <= 0.0051);
    BOOST_TEST(std::abs(s.monetary_value[i] - ref[4][i]) <= 0.0051);
  }
  BOOST_TEST(s.duration_holdout == 273.0);
}

BOOST_AUTO_TEST_SUITE_END()
