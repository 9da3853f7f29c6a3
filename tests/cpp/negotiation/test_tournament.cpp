#include <goodwill/negotiation/tournament.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <vector>

BOOST_AUTO_TEST_SUITE(tournament)

namespace tt = boost::test_tools;
using goodwill::issue;

namespace {
// Two parties over price x service: opposed on price, both like service.
goodwill::scenario deal(double r1, double r2, std::int64_t levels) {
  goodwill::outcome_space s(
      {issue::integer("price", 0, levels - 1), issue::ordinal("service", {"basic", "full"})});
  Eigen::ArrayXd u1(s.size()), u2(s.size());
  for (goodwill::outcome_id id = 0; id < s.size(); ++id) {
    const double p = static_cast<double>(s.value_index(id, 0)) / static_cast<double>(levels - 1);
    const double q = static_cast<double>(s.value_index(id, 1));
    u1[static_cast<Eigen::Index>(id)] = 0.8 * p + 0.2 * q;
    u2[static_cast<Eigen::Index>(id)] = 0.7 * (1.0 - p) + 0.3 * q;
  }
  return goodwill::scenario(s, u1, u2, r1, r2, 1.0, 1.0, "deal");
}

struct field {
  std::vector<std::unique_ptr<goodwill::negotiator>> owned;
  std::vector<const goodwill::negotiator *> ptr;
  field() {
    owned.push_back(goodwill::boulware(0.2));
    owned.push_back(goodwill::conceder(5.0));
    owned.push_back(goodwill::linear_concession());
    owned.push_back(goodwill::hardliner());
    for (const auto &o : owned)
      ptr.push_back(o.get());
  }
};
} // namespace

BOOST_AUTO_TEST_CASE(cartesian_both_roles) {
  const auto a = deal(0.1, 0.2, 21), b = deal(0.0, 0.3, 11);
  const std::vector<const goodwill::scenario *> sc{&a, &b};
  field f;
  const std::vector<std::uint64_t> seeds{1, 2, 3};
  goodwill::tournament_options opt;
  opt.session.rounds = 40;
  const auto with = goodwill::run_tournament(sc, f.ptr, seeds, opt);
  BOOST_TEST(with.sessions.size() == 2u * 16u * 3u);
  opt.self_play = false;
  const auto without = goodwill::run_tournament(sc, f.ptr, seeds, opt);
  BOOST_TEST(without.sessions.size() == 2u * 12u * 3u);
  // Each strategy plays each other in both roles, on every scenario and seed.
  std::vector<int> first(4, 0), second(4, 0);
  for (const auto &r : without.sessions) {
    BOOST_TEST(r.first != r.second);
    ++first[r.first];
    ++second[r.second];
  }
  for (int s = 0; s < 4; ++s) {
    BOOST_TEST(first[static_cast<std::size_t>(s)] == 2 * 3 * 3);
    BOOST_TEST(second[static_cast<std::size_t>(s)] == 2 * 3 * 3);
  }
  // Advantage = (u - r) / (u_max - r) as NegMAS 0.16 scores it; u_max is 1
  // for both parties here (price best, full service); a failed session scores 0.
  for (std::size_t i = 0; i < without.sessions.size(); ++i) {
    const auto &r = without.sessions[i];
    const auto &s = *sc[r.scenario];
    BOOST_TEST(without.score1[i] == (r.u1 - s.reservation(0)) / (1.0 - s.reservation(0)),
               tt::tolerance(1e-12));
    BOOST_TEST(without.score2[i] == (r.u2 - s.reservation(1)) / (1.0 - s.reservation(1)),
               tt::tolerance(1e-12));
    if (r.status != goodwill::session_status::agreement)
      BOOST_TEST(without.score1[i] == 0.0);
  }
  // Ranking: every strategy, best first, intervals around the means.
  const auto &rk = without.ranking;
  BOOST_TEST(rk.strategy.size() == 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    BOOST_TEST(rk.n[k] == 36u);
    BOOST_TEST(rk.lower[k] <= rk.mean[k]);
    BOOST_TEST(rk.mean[k] <= rk.upper[k]);
    if (k > 0)
      BOOST_TEST(rk.mean[k - 1] >= rk.mean[k]);
  }
  BOOST_TEST(without.pairwise.a.size() == 6u);
}

BOOST_AUTO_TEST_CASE(identical_for_any_thread_count) {
  const auto a = deal(0.1, 0.2, 31);
  const std::vector<const goodwill::scenario *> sc{&a};
  field f;
  std::vector<std::uint64_t> seeds(7);
  for (std::size_t i = 0; i < seeds.size(); ++i)
    seeds[i] = 100 + i;
  goodwill::tournament_options opt;
  opt.session.rounds = 30;
  opt.bootstrap = 500; // the bootstrap streams too must not depend on threads
  opt.threads = 1;
  const auto one = goodwill::run_tournament(sc, f.ptr, seeds, opt);
  opt.threads = 2;
  const auto two = goodwill::run_tournament(sc, f.ptr, seeds, opt);
  opt.threads = 3;
  const auto three = goodwill::run_tournament(sc, f.ptr, seeds, opt);
  for (const auto *o : {&two, &three}) {
    BOOST_TEST(o->score1 == one.score1);
    BOOST_TEST(o->score2 == one.score2);
    BOOST_TEST(o->ranking.strategy == one.ranking.strategy);
    BOOST_TEST(o->ranking.lower == one.ranking.lower);
    BOOST_TEST(o->ranking.upper == one.ranking.upper);
    BOOST_TEST(o->pairwise.p == one.pairwise.p);
  }
}

BOOST_AUTO_TEST_CASE(welch_and_bh_golden_values) {
  // scipy.stats.ttest_ind(x, y, equal_var=False), SciPy 1.x:
  // t = -1.8973665961010275, df = 5.882352941176471, p = 0.10753119493062728.
  const std::vector<double> x{1, 2, 3, 4, 5}, y{2, 4, 6, 8, 10};
  double t, df, p;
  goodwill::detail::tournament::welch(x, y, t, df, p);
  BOOST_TEST(t == -1.8973665961010275, tt::tolerance(1e-12));
  BOOST_TEST(df == 5.882352941176471, tt::tolerance(1e-12));
  BOOST_TEST(p == 0.10753119493062728, tt::tolerance(1e-9));
  // Unequal sizes: t = 0.6328145078635634, df = 3.1368345980752395, p = 0.5699866392555789.
  const std::vector<double> u{0.2, 0.5, 0.1, 0.9}, v{0.3, 0.3, 0.35, 0.31, 0.2, 0.4};
  goodwill::detail::tournament::welch(u, v, t, df, p);
  BOOST_TEST(t == 0.6328145078635634, tt::tolerance(1e-12));
  BOOST_TEST(df == 3.1368345980752395, tt::tolerance(1e-12));
  BOOST_TEST(p == 0.5699866392555789, tt::tolerance(1e-9));
  // Student's pooled test (scipy.stats.ttest_ind default, NegMAS's
  // pairwise_tests): t = 0.7874473062200799, df = 8, p = 0.4537156749881796.
  goodwill::detail::tournament::welch(u, v, t, df, p, true);
  BOOST_TEST(t == 0.7874473062200799, tt::tolerance(1e-12));
  BOOST_TEST(df == 8.0);
  BOOST_TEST(p == 0.4537156749881796, tt::tolerance(1e-9));
  // Benjamini–Hochberg by hand: sorted p .01 .03 .04 .5, m = 4:
  // q = min over l >= j of 4 p_(l) / l -> .04, .0533.., .0533.., .5.
  const std::vector<double> ps{0.01, 0.04, 0.03, 0.5};
  const auto q = goodwill::bh_qvalues(ps);
  BOOST_TEST(q[0] == 0.04, tt::tolerance(1e-12));
  BOOST_TEST(q[1] == 0.16 / 3.0, tt::tolerance(1e-12));
  BOOST_TEST(q[2] == 0.16 / 3.0, tt::tolerance(1e-12));
  BOOST_TEST(q[3] == 0.5, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(ranking_from_rows) {
  // Hand-made rows, reservations 0.1 and 0.2, best utilities 0.9 and 0.7:
  // strategy 0 always scores (0.7 - 0.1) / 0.8 = 0.75, strategy 1 scores
  // (0.3 - 0.2) / 0.5 = 0.2 or (0.5 - 0.2) / 0.5 = 0.6: mean 0.4; a constant
  // score has a zero-width interval.
  std::vector<goodwill::batch_row> rows;
  for (int k = 0; k < 20; ++k) {
    goodwill::batch_row r;
    r.first = 0;
    r.second = 1;
    r.status = goodwill::session_status::agreement;
    r.u1 = 0.7;
    r.u2 = (k % 2 ? 0.5 : 0.3);
    r.welfare = r.u1 + r.u2;
    rows.push_back(r);
  }
  const std::vector<goodwill::tournament_sides> res{{{0.1, 0.2}, {0.9, 0.7}}};
  const auto out = goodwill::rank_tournament(rows, 2, res);
  // t interval of strategy 1 (0.2 and 0.6 alternating, n = 20): sd =
  // sqrt(20 * 0.04 / 19), half-width t_{19, 0.975} sd / sqrt(20), with
  // t_{19, 0.975} = 2.0930240544083087 (scipy.stats.t.ppf(0.975, 19)).
  const double half = 2.0930240544083087 * std::sqrt(20 * 0.04 / 19.0) / std::sqrt(20.0);
  BOOST_TEST(out.ranking.lower[1] == 0.4 - half, tt::tolerance(1e-9));
  BOOST_TEST(out.ranking.upper[1] == 0.4 + half, tt::tolerance(1e-9));
  goodwill::tournament_options boot;
  boot.bootstrap = 2000;
  const auto b = goodwill::rank_tournament(rows, 2, res, boot);
  BOOST_TEST(b.ranking.lower[0] == 0.75, tt::tolerance(1e-12));
  BOOST_TEST(b.ranking.lower[1] < 0.4);
  BOOST_TEST(b.ranking.upper[1] > 0.4);
  BOOST_TEST(std::abs(b.ranking.upper[1] - out.ranking.upper[1]) < 0.05);
  BOOST_TEST(out.ranking.strategy[0] == 0u);
  BOOST_TEST(out.ranking.mean[0] == 0.75, tt::tolerance(1e-12));
  BOOST_TEST(out.ranking.lower[0] == 0.75, tt::tolerance(1e-12));
  BOOST_TEST(out.ranking.upper[0] == 0.75, tt::tolerance(1e-12));
  BOOST_TEST(out.ranking.mean[1] == 0.4, tt::tolerance(1e-12));
  BOOST_TEST(out.ranking.lower[1] < 0.4);
  BOOST_TEST(out.ranking.upper[1] > 0.4);
  BOOST_TEST(out.ranking.agreement_rate[0] == 1.0);
  BOOST_TEST(out.pairwise.significant[0] == 1);
  BOOST_TEST(out.pairwise.difference[0] == 0.35, tt::tolerance(1e-12));
  goodwill::tournament_options bad;
  bad.fdr = 0.0;
  BOOST_CHECK_THROW((void)goodwill::rank_tournament(rows, 2, res, bad), goodwill::invalid_input);
  bad.fdr = 0.05;
  bad.bootstrap = 10;
  BOOST_CHECK_THROW((void)goodwill::rank_tournament(rows, 2, res, bad), goodwill::invalid_input);
  rows[3].second = 5;
  BOOST_CHECK_THROW((void)goodwill::rank_tournament(rows, 2, res), goodwill::invalid_input);
}

// The names the bindings parse and Python lists (TOURNAMENT_SCORES, CLOCKS),
// in code order: a table out of step with the enumerators would score every
// tournament by the wrong rule without an error.
BOOST_AUTO_TEST_CASE(score_and_clock_names_follow_the_codes) {
  using goodwill::enum_from_name;
  using goodwill::enum_name;
  using goodwill::tournament_score;
  BOOST_TEST(enum_name(tournament_score::advantage) == "advantage");
  BOOST_TEST(enum_name(tournament_score::utility) == "utility");
  BOOST_TEST(enum_name(tournament_score::welfare) == "welfare");
  BOOST_TEST((enum_from_name<tournament_score>("welfare") == tournament_score::welfare));
  BOOST_TEST(!enum_from_name<tournament_score>("profit").has_value());
  BOOST_TEST(enum_name(goodwill::discount_clock::relative) == "relative");
  BOOST_TEST(enum_name(goodwill::discount_clock::offers) == "offers");
  BOOST_TEST(goodwill::enum_count<goodwill::discount_clock> == 2U);
}

BOOST_AUTO_TEST_SUITE_END()
