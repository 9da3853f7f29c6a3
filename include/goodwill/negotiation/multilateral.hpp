// goodwill — several parties: a multilateral alternating-offers session (as
// NegMAS's SAOMechanism with more than two negotiators) and a request for
// proposals (RFP: one buyer negotiating with several sellers at once, citing
// one seller's offer to another as a rival quote).
//
// Design. Multilateral SAO: N parties over one discrete outcome space, in a
// fixed order. Turn k belongs to party k mod N: it answers the standing offer
// (accept, reject, walk away) and, if it rejected, proposes its own (which
// becomes the standing offer). An offer is accepted when all N - 1 other
// parties accept it in turn (NegMAS: the offer goes round the table and
// every other negotiator must accept it); a walk-away ends the session. A
// round is N turns; a deadline of R rounds allows N R turns and
// t = k / (N R - 1). Each party's negotiator sees the session through a
// bilateral scenario of its own (its utilities as party 0, the next party's
// as party 1), so every built-in strategy plays unchanged; with N = 2 the
// session is run_session's, turn for turn. The trace is column-shaped: per
// offer, round, proposer, outcome, every party's utility, and the N responses
// it got (response codes; not_asked for the proposer and for parties after
// a rejection).
//
// RFP: one buyer, S sellers, scenario s with the buyer as party 0 and seller
// s as party 1 (the sellers' spaces may differ). The S bilateral threads run
// in lockstep: global turn k is turn k of every open thread, seller 0 first
// (turns as in run_session, common deadline, `first` opens each thread).
// Rival quotes: at the buyer's turn in thread s, before proposing, the
// buyer looks at every other thread's best seller offer so far (open
// threads, and when shopping agreed threads, whose agreement is a held
// quote), by the buyer's utility in that thread's scenario; if the best of
// them (ties: lower seller index) beats seller s's best offer by more than
// `quote_margin` and beats what was last cited to s, the buyer cites it:
// seller s's later turns see rival_disclosed with rival_price (the rival
// offer's price when its scenario has a price issue, else NaN), the buyer's
// offer in thread s is tagged competitor_quote, and the citation is
// recorded (round, to, from, the rival offer, buyer utility, price, held).
// Sellers answer a cited quote through their strategy: price_matcher meets
// or beats the price (never below its floor or reservation), the
// time-dependent strategies hold to their schedule; no built-in seller goes
// below its reservation.
//
// Closing (rfp_options::close; NegMAS has no RFP, the words are the
// procurement ones). An agreement in a thread (the buyer accepted the
// seller's offer, or the seller the buyer's) is an acceptable quote, and
// that thread stops. first_acceptable: the RFP closes at the first global
// turn where a thread agrees; among the threads agreeing then the one best
// for the buyer wins (ties: lower index). shop: the buyer holds the best
// acceptable quote so far and keeps negotiating with the open threads,
// citing it (when rival_quotes); while it holds a quote it accepts the
// offers that beat the held quote by more than quote_margin, or that its
// strategy accepts and beat the held quote at all (its strategy sees every
// offer), it never proposes an outcome worth no more than the held quote
// plus the margin (it asks for the least that beats it instead, its best
// outcome when nothing does), and a better agreement replaces the held
// quote (threads in index order within a turn). Shopping ends at the first
// of: 2 shop_rounds turns after the turn of the first acceptable quote;
// 2 stall_rounds turns (stall_rounds > 0) in which no open seller improved
// its best offer for the buyer and the held quote did not improve; no
// thread open; the deadline. The buyer then awards the held quote. Both
// policies play the same turns before the turn of the first acceptable
// quote, and within it shopping keeps every agreement first_acceptable
// would weigh that beats what is already held, so shopping is never worse
// for the buyer: u_first (the held quote at the end of that turn) is at
// least first_acceptable's award, and the award at least u_first. Every
// other thread still open or agreed ends lost_to_rival. Each seller's thread
// is written to a ledger as a session is (append_rfp_events), with one
// competitor_quote event per citation to that seller (amount: its value).
// Everything is deterministic; batch runs give the same rows whatever the
// thread count.
#ifndef GOODWILL_NEGOTIATION_MULTILATERAL_HPP
#define GOODWILL_NEGOTIATION_MULTILATERAL_HPP

#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation/negotiator.hpp>
#include <goodwill/negotiation/scenario.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goodwill {

// ---- multilateral SAO ---------------------------------------------------------------

/// A response code in a multilateral trace for a party not asked.
inline constexpr std::uint8_t not_asked = 3;

/// N parties' utilities of every outcome of one discrete space.
class multilateral_scenario {
public:
  multilateral_scenario() = default;

  /// From N >= 2 utility arrays (one per party, indexed by outcome id) with
  /// reservation values and discount factors (empty: 0 and 1).
  multilateral_scenario(outcome_space space, std::vector<Eigen::ArrayXd> utilities,
                        std::vector<double> reservations = {}, std::vector<double> discounts = {},
                        std::string name = {})
      : space_(std::move(space)), name_(std::move(name)) {
    const auto n = utilities.size();
    if (n < 2)
      throw invalid_input("utilities", "a multilateral scenario needs at least 2 parties, got " +
                                           std::to_string(n));
    if (reservations.empty())
      reservations.assign(n, 0.0);
    if (discounts.empty())
      discounts.assign(n, 1.0);
    if (reservations.size() != n)
      throw invalid_input("reservations", "has " + std::to_string(reservations.size()) +
                                              " entries for " + std::to_string(n) + " parties");
    if (discounts.size() != n)
      throw invalid_input("discounts", "has " + std::to_string(discounts.size()) + " entries for " +
                                           std::to_string(n) + " parties");
    // Party p's own view: its utilities first, the next party's second.
    views_.reserve(n);
    for (std::size_t p = 0; p < n; ++p) {
      const auto q = (p + 1) % n;
      views_.emplace_back(space_, utilities[p], utilities[q], reservations[p], reservations[q],
                          discounts[p], discounts[q], name_);
    }
  }

  [[nodiscard]] std::size_t parties() const noexcept { return views_.size(); }
  [[nodiscard]] const outcome_space &space() const noexcept { return space_; }
  [[nodiscard]] const std::string &name() const noexcept { return name_; }
  [[nodiscard]] std::size_t size() const noexcept { return views_.front().size(); }
  /// Party p's bilateral view (p as party 0, party p + 1 as party 1).
  [[nodiscard]] const scenario &view(std::size_t p) const noexcept { return views_[p]; }
  [[nodiscard]] double utility(std::size_t p, outcome_id o) const noexcept {
    return views_[p].utility(0, o);
  }
  [[nodiscard]] double reservation(std::size_t p) const noexcept {
    return views_[p].reservation(0);
  }
  [[nodiscard]] double discount_at(std::size_t p, double tau) const noexcept {
    return views_[p].discount_at(0, tau);
  }

private:
  outcome_space space_;
  std::string name_;
  std::vector<scenario> views_;
};

/// Options of a multilateral session.
struct multilateral_options {
  std::uint32_t rounds = 100; ///< deadline in rounds (N offers each)
  std::uint64_t seed = 0;
  bool keep_trace = true;
};

/// A multilateral session's trace, column-shaped: one entry per offer, and
/// parties() entries per offer in `responses` and `utilities` (row-major).
struct multilateral_trace {
  std::vector<std::uint32_t> round;
  std::vector<std::uint32_t> proposer;
  std::vector<outcome_id> offer;
  std::vector<double> t;
  std::vector<std::uint8_t> responses; ///< response code or not_asked, offers x parties
  std::vector<double> utilities;       ///< undiscounted, offers x parties
  void clear() {
    round.clear();
    proposer.clear();
    offer.clear();
    t.clear();
    responses.clear();
    utilities.clear();
  }
};

/// The outcome of a multilateral session.
struct multilateral_result {
  session_status status = session_status::deadline;
  int ended_by = -1; ///< the last to accept, or who walked away (-1: deadline)
  outcome_id outcome = 0;
  std::vector<double> utilities;  ///< agreement's, or each party's reservation
  std::vector<double> discounted; ///< discounted at the accepted offer's time
  double t = 0.0;
  std::uint32_t rounds = 0;
  std::uint32_t offers = 0;
  multilateral_trace trace;
  [[nodiscard]] bool agreement() const noexcept { return status == session_status::agreement; }
};

/// Run a multilateral SAO session (header note); `out` is reused.
inline void run_multilateral_session(const multilateral_scenario &sc,
                                     const std::vector<negotiator *> &neg,
                                     const multilateral_options &opt, multilateral_result &out) {
  const std::size_t n = sc.parties();
  if (neg.size() != n)
    throw invalid_input("negotiators", "has " + std::to_string(neg.size()) + " entries for " +
                                           std::to_string(n) + " parties");
  for (std::size_t p = 0; p < n; ++p)
    if (!neg[p])
      throw invalid_input("negotiators", static_cast<std::int64_t>(p), "is null");
  if (opt.rounds == 0)
    throw invalid_input("rounds", "must be at least 1");
  const auto turns = static_cast<std::uint64_t>(opt.rounds) * n;
  if (turns > std::numeric_limits<std::uint32_t>::max())
    throw invalid_input("rounds", "rounds x parties is above 2^32");
  for (std::size_t p = 0; p < n; ++p) {
    negotiator_setup s;
    s.sc = &sc.view(p);
    s.me = 0;
    s.rounds = opt.rounds;
    s.seed = opt.seed;
    s.first = p == 0 ? 0 : 1;
    neg[p]->start(s);
  }
  out.status = session_status::deadline;
  out.ended_by = -1;
  out.outcome = 0;
  out.t = 0.0;
  out.trace.clear();
  std::vector<std::uint8_t> row(n, not_asked);
  auto rel_time = [&](std::uint64_t k) {
    return turns <= 1 ? 1.0
                      : std::min(1.0, static_cast<double>(k) / static_cast<double>(turns - 1));
  };
  auto flush = [&] { // the standing offer's responses, once it is replaced or settled
    if (opt.keep_trace && !out.trace.offer.empty())
      std::copy(row.begin(), row.end(), out.trace.responses.end() - static_cast<std::ptrdiff_t>(n));
  };
  outcome_id standing = 0;
  bool has_offer = false;
  std::size_t accepts = 0;
  double standing_t = 0.0;
  std::uint64_t k = 0;
  std::uint32_t offers = 0;
  for (;; ++k) {
    const auto p = static_cast<std::size_t>(k % n);
    const double t = rel_time(k);
    turn_state s;
    s.round = static_cast<std::uint32_t>(k / n);
    s.turn = static_cast<std::uint32_t>(k);
    s.t = t;
    s.tau = t;
    if (has_offer) {
      s.has_opponent_offer = true;
      s.opponent_offer = standing;
      const auto r = neg[p]->respond(s, standing);
      row[p] = static_cast<std::uint8_t>(r);
      if (r == response::accept) {
        if (++accepts == n - 1) {
          out.status = session_status::agreement;
          out.ended_by = static_cast<int>(p);
          out.outcome = standing;
          out.t = standing_t;
          break;
        }
        continue; // the offer goes on round the table
      }
      if (r == response::walk_away) {
        out.status = session_status::walked_away;
        out.ended_by = static_cast<int>(p);
        out.t = t;
        break;
      }
    }
    if (k >= turns) {
      out.t = t;
      break;
    }
    const auto o = neg[p]->propose(s);
    if (o == end_negotiation) {
      out.status = session_status::walked_away;
      out.ended_by = static_cast<int>(p);
      out.t = t;
      break;
    }
    if (o >= sc.size())
      throw invalid_input("offer", "negotiator '" + neg[p]->name() + "' proposed outcome " +
                                       std::to_string(o) + " outside the space");
    flush();
    std::fill(row.begin(), row.end(), not_asked);
    standing = o;
    has_offer = true;
    accepts = 0;
    standing_t = t;
    ++offers;
    if (opt.keep_trace) {
      out.trace.round.push_back(static_cast<std::uint32_t>(k / n));
      out.trace.proposer.push_back(static_cast<std::uint32_t>(p));
      out.trace.offer.push_back(o);
      out.trace.t.push_back(t);
      out.trace.responses.insert(out.trace.responses.end(), n, not_asked);
      for (std::size_t q = 0; q < n; ++q)
        out.trace.utilities.push_back(sc.utility(q, o));
    }
  }
  flush();
  out.offers = offers;
  out.rounds = static_cast<std::uint32_t>(std::min<std::uint64_t>(k, turns) / n + 1);
  out.rounds = std::min(out.rounds, opt.rounds);
  out.utilities.assign(n, 0.0);
  out.discounted.assign(n, 0.0);
  for (std::size_t q = 0; q < n; ++q) {
    out.utilities[q] = out.agreement() ? sc.utility(q, out.outcome) : sc.reservation(q);
    out.discounted[q] = out.utilities[q] * sc.discount_at(q, out.t);
  }
}

/// Run a multilateral session and return its result.
[[nodiscard]] inline multilateral_result
run_multilateral_session(const multilateral_scenario &sc, const std::vector<negotiator *> &neg,
                         const multilateral_options &opt = {}) {
  multilateral_result r;
  run_multilateral_session(sc, neg, opt, r);
  return r;
}

// ---- RFP: one buyer, several sellers ------------------------------------------------------

/// How an RFP thread ended.
enum class rfp_status : std::uint8_t {
  won = 0,           ///< agreement, and the buyer awarded this seller
  walked_away = 1,   ///< one side walked away
  deadline = 2,      ///< no agreement by the deadline
  lost_to_rival = 3, ///< still open (or agreed later) when another seller won
};
template <> struct enum_traits<rfp_status> {
  static constexpr std::array<std::string_view, 4> names{"won", "walked_away", "deadline",
                                                         "lost_to_rival"};
};

/// How the buyer closes an RFP (header note).
enum class rfp_close : std::uint8_t {
  first_acceptable = 0, ///< award at the first turn with an agreement
  shop = 1,             ///< hold the best quote, cite it, shop on, then award
};
template <> struct enum_traits<rfp_close> {
  static constexpr std::array<std::string_view, 2> names{"first_acceptable", "shop"};
};

/// Options of an RFP: the buyer's policy (defaults here, read by Python).
struct rfp_options {
  std::uint32_t rounds = 100; ///< common deadline in rounds of each thread
  int first = 0;              ///< 0: the buyer opens every thread; 1: the sellers do
  bool rival_quotes = true;   ///< whether the buyer cites rival offers
  double quote_margin = 0.0;  ///< cite (and, shopping, accept) only what beats by more than this
  rfp_close close = rfp_close::shop;
  std::uint32_t shop_rounds = 10; ///< shop: further rounds after the first acceptable quote
  std::uint32_t stall_rounds =
      3; ///< shop: stop after this many rounds with no improvement (0: never)
  std::uint64_t seed = 0;
  bool keep_trace = true;

  /// Throws invalid_input naming the first bad field.
  void validate() const {
    detail::check_rounds_and_first(rounds, first);
    if (!std::isfinite(quote_margin) || quote_margin < 0.0)
      throw invalid_input("quote_margin", "must be finite and >= 0");
    if (static_cast<std::size_t>(close) >= enum_traits<rfp_close>::names.size())
      throw invalid_input("close", "is not an rfp_close value");
    if (close == rfp_close::shop && shop_rounds == 0)
      throw invalid_input("shop_rounds", "must be at least 1 when shopping (or close at "
                                         "first_acceptable)");
  }
};

/// A rival quote the buyer cited.
struct rival_citation {
  std::uint32_t round = 0; ///< round of the thread it was cited in
  std::uint32_t to = 0;    ///< the seller it was cited to
  std::uint32_t from = 0;  ///< the seller whose offer it was
  outcome_id offer = 0;    ///< that offer (in seller `from`'s scenario)
  double buyer_utility = 0.0;
  double price = std::numeric_limits<double>::quiet_NaN(); ///< NaN without a price issue
  bool held = false; ///< the cited offer was a held quote (an agreement), not an open offer
};

/// One offer of an RFP trace.
struct rfp_offer {
  std::uint32_t seller = 0;
  std::uint32_t round = 0;
  std::uint8_t proposer = 0; ///< 0 buyer, 1 seller
  offer_tag tag = offer_tag::none;
  outcome_id outcome = 0;
  double u_buyer = 0.0, u_seller = 0.0, t = 0.0;
};

/// The outcome of one seller's thread.
struct rfp_thread {
  rfp_status status = rfp_status::deadline;
  int ended_by = -1; ///< 0 buyer, 1 seller (accepted or walked away), -1 none
  outcome_id outcome = 0;
  bool agreed = false;                  ///< reached agreement (won, or agreed too late)
  double u_buyer = 0.0, u_seller = 0.0; ///< the agreement's, else reservations
  std::uint32_t rounds = 0, offers = 0;
  std::uint32_t quotes_received = 0;
};

/// The outcome of an RFP.
struct rfp_result {
  int winner = -1; ///< the seller awarded, -1 none
  outcome_id outcome = 0;
  double u_buyer = 0.0;       ///< the award's utility to the buyer, else its reservation
  int first_quote_round = -1; ///< round of the first acceptable quote (-1: none)
  /// The quote held after that turn: at least first_acceptable's award (NaN: none).
  double u_first = std::numeric_limits<double>::quiet_NaN();
  std::uint32_t rounds = 0;
  std::vector<rfp_thread> threads;
  std::vector<rival_citation> quotes;
  std::vector<rfp_offer> trace;
};

/// Run an RFP (header note): `sellers[s]` plays party 1 of `scenarios[s]`,
/// `buyers[s]` (one negotiator per thread, e.g. clones of one strategy) party 0.
inline rfp_result run_rfp(const std::vector<const scenario *> &scenarios,
                          const std::vector<negotiator *> &buyers,
                          const std::vector<negotiator *> &sellers, const rfp_options &opt = {}) {
  const std::size_t S = scenarios.size();
  if (S == 0)
    throw invalid_input("scenarios", "an RFP needs at least one seller");
  if (buyers.size() != S || sellers.size() != S)
    throw invalid_input("sellers", "need one buyer negotiator and one seller per scenario (" +
                                       std::to_string(S) + ")");
  for (std::size_t s = 0; s < S; ++s)
    if (!scenarios[s] || !buyers[s] || !sellers[s])
      throw invalid_input("scenarios", static_cast<std::int64_t>(s), "is null");
  opt.validate();
  constexpr double ninf = -std::numeric_limits<double>::infinity();
  const bool shop = opt.close == rfp_close::shop;
  const std::uint32_t turns = 2 * opt.rounds;
  rfp_result res;
  res.threads.assign(S, {});
  struct state {
    bool open = true;
    bool has_offer = false; ///< a standing offer exists
    outcome_id standing = 0;
    int standing_by = -1; ///< party of the standing offer
    bool has_seller_offer = false;
    outcome_id seller_offer =
        0;                     ///< the seller's best offer so far (or the agreement), for the buyer
    double seller_best = ninf; ///< its buyer utility
    double cited = ninf;       ///< best buyer utility cited so far
    bool rival = false;
    double rival_price = std::numeric_limits<double>::quiet_NaN();
    double standing_t = 0.0;
  };
  std::vector<state> st(S);
  for (std::size_t s = 0; s < S; ++s)
    for (int p = 0; p < 2; ++p) {
      negotiator_setup su;
      su.sc = scenarios[s];
      su.me = p;
      su.rounds = opt.rounds;
      su.seed = opt.seed;
      su.first = opt.first;
      (p == 0 ? buyers[s] : sellers[s])->start(su);
    }
  auto rel_time = [&](std::uint32_t k) {
    return turns <= 1 ? 1.0
                      : std::min(1.0, static_cast<double>(k) / static_cast<double>(turns - 1));
  };
  // The held quote (shop): the agreed thread best for the buyer so far.
  int held = -1;
  double held_u = ninf;
  std::uint32_t first_turn = 0, last_gain = 0; ///< turn of the first quote, of the last improvement
  bool closed = false;
  std::uint32_t k = 0;
  for (; k <= turns && !closed; ++k) {
    const int p = (opt.first + static_cast<int>(k)) % 2;
    const double t = rel_time(k);
    bool any_open = false, still_open = false, gained = false;
    for (std::size_t s = 0; s < S; ++s) {
      auto &x = st[s];
      if (!x.open)
        continue;
      any_open = true;
      auto &th = res.threads[s];
      const auto &sc = *scenarios[s];
      negotiator &me = p == 0 ? *buyers[s] : *sellers[s];
      turn_state ts;
      ts.round = k / 2;
      ts.turn = k;
      ts.t = t;
      ts.tau = t;
      ts.rival_disclosed = p == 1 && x.rival;
      ts.rival_price = p == 1 ? x.rival_price : 0.0;
      if (x.has_offer) {
        ts.has_opponent_offer = true;
        ts.opponent_offer = x.standing;
        auto r = me.respond(ts, x.standing);
        // Shopping with a quote in hand: the buyer takes what beats it by the
        // margin, or what its strategy accepts and beats it at all.
        if (shop && p == 0 && held >= 0 && r != response::walk_away) {
          const double u = sc.utility(0, x.standing);
          r = u > held_u + opt.quote_margin || (r == response::accept && u > held_u)
                  ? response::accept
                  : response::reject;
        }
        if (r == response::accept) {
          x.open = false;
          th.agreed = true;
          th.ended_by = p;
          th.outcome = x.standing;
          th.u_buyer = sc.utility(0, x.standing);
          th.u_seller = sc.utility(1, x.standing);
          // The agreement is this seller's quote from now on.
          x.has_seller_offer = true;
          x.seller_offer = x.standing;
          x.seller_best = th.u_buyer;
          if (th.u_buyer > held_u) { // the held quote (ties: the lower index)
            held_u = th.u_buyer;
            held = static_cast<int>(s);
            gained = true;
          }
          continue;
        }
        if (r == response::walk_away) {
          x.open = false;
          th.status = rfp_status::walked_away;
          th.ended_by = p;
          continue;
        }
      }
      if (k >= turns) {
        x.open = false;
        th.status = rfp_status::deadline;
        continue;
      }
      offer_tag cited_tag = offer_tag::none;
      if (p == 0 && opt.rival_quotes && S > 1) {
        // The best seller offer elsewhere, for the buyer: open threads', and
        // when shopping the agreements (held quotes; closing at the first,
        // an agreement ends the RFP this turn).
        int best = -1;
        double bu = ninf;
        for (std::size_t j = 0; j < S; ++j) {
          if (j == s || !st[j].has_seller_offer || !(st[j].open || (shop && res.threads[j].agreed)))
            continue;
          const double u = st[j].seller_best;
          if (u > bu) {
            bu = u;
            best = static_cast<int>(j);
          }
        }
        // No narrowing (double to double): clang-tidy 14 flags an infinite
        // constant as a branch of ?:, a false positive.
        // NOLINTNEXTLINE(bugprone-narrowing-conversions)
        const double own = x.has_seller_offer ? x.seller_best : ninf;
        if (best >= 0 && bu > own + opt.quote_margin && bu > x.cited) {
          const auto j = static_cast<std::size_t>(best);
          rival_citation c;
          c.round = k / 2;
          c.to = static_cast<std::uint32_t>(s);
          c.from = static_cast<std::uint32_t>(j);
          c.offer = st[j].seller_offer;
          c.buyer_utility = bu;
          c.held = res.threads[j].agreed;
          if (scenarios[j]->price_issue())
            c.price = scenarios[j]->price(c.offer);
          res.quotes.push_back(c);
          x.cited = bu;
          x.rival = true;
          x.rival_price = c.price;
          ++th.quotes_received;
          cited_tag = offer_tag::competitor_quote;
        }
      }
      auto o = me.propose(ts);
      if (o == end_negotiation) {
        x.open = false;
        th.status = rfp_status::walked_away;
        th.ended_by = p;
        continue;
      }
      if (o >= sc.size())
        throw invalid_input("offer", "negotiator '" + me.name() + "' proposed outcome " +
                                         std::to_string(o) + " outside the space");
      // Shopping with a quote in hand, the buyer offers nothing it likes less:
      // below the held quote (plus margin) it asks for the least that beats
      // it (its best outcome when nothing does).
      if (shop && p == 0 && held >= 0 && sc.utility(0, o) <= held_u + opt.quote_margin) {
        const auto &sorted = sc.sorted_utility(0);
        const double bar = held_u + opt.quote_margin;
        const auto n =
            static_cast<std::size_t>(std::partition_point(sorted.begin(), sorted.end(),
                                                          [bar](double v) { return v > bar; }) -
                                     sorted.begin());
        o = sc.ranking(0)[n == 0 ? 0 : n - 1];
      }
      still_open = true;
      x.standing = o;
      x.has_offer = true;
      x.standing_by = p;
      x.standing_t = t;
      if (p == 1 && sc.utility(0, o) > x.seller_best) {
        x.has_seller_offer = true;
        x.seller_offer = o;
        x.seller_best = sc.utility(0, o);
        gained = true;
      }
      ++th.offers;
      th.rounds = k / 2 + 1;
      if (opt.keep_trace)
        res.trace.push_back({static_cast<std::uint32_t>(s), k / 2, static_cast<std::uint8_t>(p),
                             cited_tag != offer_tag::none ? cited_tag : me.last_tag(), o,
                             sc.utility(0, o), sc.utility(1, o), t});
    }
    if (held >= 0 && res.first_quote_round < 0) {
      res.first_quote_round = static_cast<int>(k / 2);
      res.u_first = held_u;
      first_turn = k;
      last_gain = k;
    } else if (gained) {
      last_gain = k;
    }
    if (held >= 0)
      closed = !shop || !still_open ||
               std::uint64_t{k} >= std::uint64_t{first_turn} + 2 * std::uint64_t{opt.shop_rounds} ||
               (opt.stall_rounds > 0 &&
                std::uint64_t{k} >= std::uint64_t{last_gain} + 2 * std::uint64_t{opt.stall_rounds});
    if (!any_open)
      break;
  }
  if (held >= 0) {
    res.winner = held;
    res.outcome = res.threads[static_cast<std::size_t>(held)].outcome;
    res.u_buyer = held_u;
    for (std::size_t s = 0; s < S; ++s) {
      auto &th = res.threads[s];
      if (static_cast<int>(s) == held)
        th.status = rfp_status::won;
      else if (st[s].open || th.agreed)
        th.status = rfp_status::lost_to_rival;
      st[s].open = false;
    }
  }
  res.rounds = std::min(opt.rounds, (std::min(k, turns) + 1) / 2);
  // Only the award is a deal: every other thread ends at the reservations.
  for (std::size_t s = 0; s < S; ++s) {
    auto &th = res.threads[s];
    if (th.status != rfp_status::won) {
      th.u_buyer = scenarios[s]->reservation(0);
      th.u_seller = scenarios[s]->reservation(1);
    }
  }
  if (res.winner < 0)
    res.u_buyer = scenarios[0]->reservation(0);
  return res;
}

/// How an RFP is written to a ledger: seller `seller`'s thread (we are that
/// seller; the customer is the buyer), days per round, and the currency value
/// of a package (the scenario's price issue, else value_scale * our utility).
struct rfp_ledger_link {
  customer_id customer = 0;
  std::uint32_t seller = 0;
  double start_time = 0.0;
  double days_per_round = 1.0;
  double value_scale = 1.0;
};

/// Append seller link.seller's thread of an RFP to a ledger: proposal (our
/// first offer), concessions, a competitor_quote event for every rival quote
/// the buyer cited to us (amount: the rival's price, or value_scale times the
/// buyer's utility of it without a price issue), price matches and
/// alternatives, then deal_won, or deal_lost with reason competitor when the
/// buyer awarded another seller (walk_away + deal_lost when we walked away,
/// no_decision at the deadline). Returns the number of events appended.
inline std::size_t append_rfp_events(ledger &l, const std::vector<const scenario *> &scenarios,
                                     const rfp_result &r, const rfp_ledger_link &link) {
  if (link.seller >= r.threads.size() || link.seller >= scenarios.size())
    throw invalid_input("seller", "no seller " + std::to_string(link.seller) + " in the RFP");
  if (!std::isfinite(link.start_time) || !std::isfinite(link.days_per_round) ||
      link.days_per_round < 0.0)
    throw invalid_input("days_per_round", "must be finite and >= 0");
  const auto &sc = *scenarios[link.seller];
  const auto &th = r.threads[link.seller];
  const auto value = [&](outcome_id o) {
    return sc.price_issue() ? sc.price(o) : link.value_scale * sc.utility(1, o);
  };
  const auto time_of = [&](double round) { return link.start_time + round * link.days_per_round; };
  std::vector<event> ev;
  // Quotes cited to us, in order, interleaved with our offers by round.
  std::vector<const rival_citation *> quotes;
  for (const auto &q : r.quotes)
    if (q.to == link.seller)
      quotes.push_back(&q);
  std::size_t qi = 0;
  auto emit_quotes_until = [&](std::uint32_t round, bool inclusive) {
    while (qi < quotes.size() &&
           (quotes[qi]->round < round || (inclusive && quotes[qi]->round == round))) {
      const auto &q = *quotes[qi++];
      const double amount =
          std::isnan(q.price) ? link.value_scale * q.buyer_utility : std::abs(q.price);
      ev.push_back({link.customer, time_of(q.round), event_kind::competitor_quote, amount, 0});
    }
  };
  bool opened = false;
  double last_value = 0.0;
  for (const auto &rec : r.trace) {
    if (rec.seller != link.seller)
      continue;
    if (rec.proposer == 0) {
      emit_quotes_until(rec.round, true);
      continue;
    }
    emit_quotes_until(rec.round, false);
    const double tm = time_of(static_cast<double>(rec.round));
    const double v = value(rec.outcome);
    if (!opened) {
      ev.push_back({link.customer, tm, event_kind::proposal, std::abs(v), 0});
      opened = true;
    } else if (rec.tag == offer_tag::price_match) {
      ev.push_back({link.customer, tm, event_kind::price_match, std::abs(v), 0});
    } else if (rec.tag == offer_tag::alternative_offered) {
      ev.push_back({link.customer, tm, event_kind::alternative_offered, std::abs(v), 0});
    } else if (rec.tag == offer_tag::concession) {
      ev.push_back({link.customer, tm, event_kind::concession, std::abs(last_value - v), 0});
    }
    last_value = v;
  }
  emit_quotes_until(std::numeric_limits<std::uint32_t>::max(), true);
  const double end = time_of(static_cast<double>(std::max(th.rounds, r.rounds)));
  const double lost = opened ? std::abs(last_value) : 0.0;
  switch (th.status) {
  case rfp_status::won:
    ev.push_back(
        {link.customer, end, event_kind::deal_won, std::abs(value(th.outcome)), margin_unknown});
    break;
  case rfp_status::lost_to_rival:
    ev.push_back({link.customer, end, event_kind::deal_lost, lost,
                  static_cast<std::int32_t>(loss_reason::competitor)});
    break;
  case rfp_status::walked_away:
    if (th.ended_by == 1) {
      ev.push_back({link.customer, end, event_kind::walk_away, lost, 0});
      ev.push_back({link.customer, end, event_kind::deal_lost, lost,
                    static_cast<std::int32_t>(loss_reason::walked_away)});
    } else {
      ev.push_back({link.customer, end, event_kind::deal_lost, lost,
                    static_cast<std::int32_t>(th.quotes_received ? loss_reason::competitor
                                                                 : loss_reason::price)});
    }
    break;
  case rfp_status::deadline:
    ev.push_back({link.customer, end, event_kind::deal_lost, lost,
                  static_cast<std::int32_t>(loss_reason::no_decision)});
    break;
  }
  // Events go in time order (the ledger's rule): a stable sort by time keeps
  // same-time events in the order written.
  std::stable_sort(ev.begin(), ev.end(),
                   [](const event &a, const event &b) { return a.time < b.time; });
  for (const auto &e : ev)
    l.append(e);
  return ev.size();
}

// ---- batches ---------------------------------------------------------------------------------

/// One RFP of a batch: sellers' scenarios and the seller strategies.
struct rfp_setup {
  std::vector<const scenario *> scenarios;
  std::vector<const negotiator *> sellers;
};

/// One row of an RFP batch.
struct rfp_row {
  std::uint32_t rfp = 0, buyer = 0;
  std::uint64_t seed = 0;
  int winner = -1;
  outcome_id outcome = 0;
  double u_buyer = 0.0, u_winner = 0.0; ///< the winner's utility (NaN without award)
  double u_first = std::numeric_limits<double>::quiet_NaN(); ///< rfp_result::u_first
  std::int32_t first_quote_round = -1;                       ///< its round (-1: none)
  std::uint32_t rounds = 0, quotes = 0;
};

/// RFP batch rows column by column (one NumPy array each in Python).
struct rfp_columns {
  std::vector<std::uint32_t> rfp, buyer;
  std::vector<std::uint64_t> seed;
  std::vector<std::int32_t> winner;
  std::vector<outcome_id> outcome;
  std::vector<double> u_buyer, u_winner, u_first;
  std::vector<std::int32_t> first_quote_round;
  std::vector<std::uint32_t> rounds, quotes;

  rfp_columns() = default;
  explicit rfp_columns(std::span<const rfp_row> rows) {
    for_each([n = rows.size()](const char *, auto &col) { col.resize(n); });
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto &r = rows[i];
      rfp[i] = r.rfp;
      buyer[i] = r.buyer;
      seed[i] = r.seed;
      winner[i] = r.winner;
      outcome[i] = r.outcome;
      u_buyer[i] = r.u_buyer;
      u_winner[i] = r.u_winner;
      u_first[i] = r.u_first;
      first_quote_round[i] = r.first_quote_round;
      rounds[i] = r.rounds;
      quotes[i] = r.quotes;
    }
  }

  /// f(name, column) for every column, in the order Python shows them.
  template <class F> void for_each(F &&f) {
    f("rfp", rfp);
    f("buyer", buyer);
    f("seed", seed);
    f("winner", winner);
    f("outcome", outcome);
    f("u_buyer", u_buyer);
    f("u_winner", u_winner);
    f("u_first", u_first);
    f("first_quote_round", first_quote_round);
    f("rounds", rounds);
    f("quotes", quotes);
  }
};

/// Every (rfp, buyer strategy, seed) on `threads` threads; rows in that
/// nested order, identical whatever the thread count (each row plays on its
/// own clones).
[[nodiscard]] inline std::vector<rfp_row>
run_rfp_batch(const std::vector<rfp_setup> &rfps, const std::vector<const negotiator *> &buyers,
              const std::vector<std::uint64_t> &seeds, rfp_options opt = {}, unsigned threads = 0) {
  for (std::size_t i = 0; i < rfps.size(); ++i)
    if (rfps[i].scenarios.size() != rfps[i].sellers.size())
      throw invalid_input("rfps", static_cast<std::int64_t>(i),
                          "needs one seller strategy per scenario");
  for (const auto *b : buyers)
    if (!b)
      throw invalid_input("buyers", "a buyer strategy is null");
  opt.validate();
  opt.keep_trace = false;
  const std::size_t per = buyers.size() * seeds.size();
  std::vector<rfp_row> rows(rfps.size() * per);
  detail::for_each_piece(detail::resolve_threads(threads), rows.size(), [&](std::size_t idx) {
    const std::size_t ri = idx / per;
    const std::size_t bi = (idx % per) / seeds.size();
    const auto seed = seeds[idx % seeds.size()];
    const auto &setup = rfps[ri];
    std::vector<std::unique_ptr<negotiator>> bs, ss;
    std::vector<negotiator *> bp, sp;
    for (std::size_t s = 0; s < setup.scenarios.size(); ++s) {
      bs.push_back(buyers[bi]->clone());
      ss.push_back(setup.sellers[s]->clone());
      bp.push_back(bs.back().get());
      sp.push_back(ss.back().get());
    }
    auto o = opt;
    o.seed = seed;
    const auto r = run_rfp(setup.scenarios, bp, sp, o);
    auto &row = rows[idx];
    row.rfp = static_cast<std::uint32_t>(ri);
    row.buyer = static_cast<std::uint32_t>(bi);
    row.seed = seed;
    row.winner = r.winner;
    row.outcome = r.outcome;
    row.u_buyer = r.u_buyer;
    row.u_winner = r.winner >= 0 ? r.threads[static_cast<std::size_t>(r.winner)].u_seller
                                 : std::numeric_limits<double>::quiet_NaN();
    row.u_first = r.u_first;
    row.first_quote_round = r.first_quote_round;
    row.rounds = r.rounds;
    row.quotes = static_cast<std::uint32_t>(r.quotes.size());
  });
  return rows;
}

/// One row of a multilateral batch.
struct multilateral_row {
  std::uint32_t scenario = 0;
  std::uint64_t seed = 0;
  session_status status = session_status::deadline;
  outcome_id outcome = 0;
  std::uint32_t rounds = 0, offers = 0;
  double t = 0.0;
  std::vector<double> utilities;
};

/// Every (scenario, seed) with the given negotiators (one prototype per
/// party) on `threads` threads; rows identical whatever the thread count.
[[nodiscard]] inline std::vector<multilateral_row>
run_multilateral_batch(const std::vector<const multilateral_scenario *> &scenarios,
                       const std::vector<const negotiator *> &parties,
                       const std::vector<std::uint64_t> &seeds, multilateral_options opt = {},
                       unsigned threads = 0) {
  for (const auto *s : scenarios)
    if (!s || s->parties() != parties.size())
      throw invalid_input("scenarios", "each scenario needs one negotiator per party (" +
                                           std::to_string(parties.size()) + ")");
  opt.keep_trace = false;
  std::vector<multilateral_row> rows(scenarios.size() * seeds.size());
  detail::for_each_piece(detail::resolve_threads(threads), rows.size(), [&](std::size_t idx) {
    const auto si = idx / seeds.size();
    std::vector<std::unique_ptr<negotiator>> own;
    std::vector<negotiator *> ptr;
    for (const auto *p : parties) {
      own.push_back(p->clone());
      ptr.push_back(own.back().get());
    }
    auto o = opt;
    o.seed = seeds[idx % seeds.size()];
    const auto r = run_multilateral_session(*scenarios[si], ptr, o);
    auto &row = rows[idx];
    row.scenario = static_cast<std::uint32_t>(si);
    row.seed = o.seed;
    row.status = r.status;
    row.outcome = r.outcome;
    row.rounds = r.rounds;
    row.offers = r.offers;
    row.t = r.t;
    row.utilities = r.utilities;
  });
  return rows;
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_MULTILATERAL_HPP
