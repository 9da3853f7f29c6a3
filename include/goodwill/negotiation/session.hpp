// goodwill — a bilateral alternating-offers negotiation session (SAO), and
// how a finished session is written to a ledger.
//
// Design: a session runs two negotiators on a scenario. Turn k (k = 0, 1,
// ...) belongs to party (first + k) mod 2: it first responds to the standing
// offer (accept, reject, walk away), then, if it rejected, proposes. A round
// is two turns (each party proposes once), so a deadline of R rounds allows
// 2R offers; the party owning turn 2R only responds. Relative time is
// t = k / (2R - 1) (0 at the first offer, 1 at the last), or elapsed / limit
// when a wall-clock limit is given (not reproducible). Discounting uses
// u * d^tau with tau = t (Genius) or tau = k (offers, for Rubinstein games).
// An agreement is discounted at the time of the accepted offer. The trace
// records every offer with round, proposer, outcome, both (undiscounted)
// utilities, time and a tag saying what the offer meant (concession, price
// match, alternative package, escalation).
//
// Private deadlines and reservations (a sales negotiation's end-of-quarter
// pressure): each party may have its own deadline, in rounds or as a share
// of the session's rounds, and its own reservation value, neither told to
// the other. The session ends at the earlier deadline (that party leaves:
// status deadline, deadline_party says who). Discounting keeps the session's
// clock. Without agreement each party gets its own (private) reservation.
#ifndef GOODWILL_NEGOTIATION_SESSION_HPP
#define GOODWILL_NEGOTIATION_SESSION_HPP

#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation/negotiator.hpp>
#include <goodwill/negotiation/scenario.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace goodwill {

// ---- the session ------------------------------------------------------------------

/// One offer of a trace.
struct offer_record {
  std::uint32_t round = 0;
  std::uint8_t proposer = 0;
  offer_tag tag = offer_tag::none;
  outcome_id outcome = 0;
  double u1 = 0.0, u2 = 0.0; ///< undiscounted utilities
  double t = 0.0;            ///< relative time
};

/// A trace column by column (one NumPy array each in Python; `offer` is
/// the outcome offered, `tag` the offer_tag code).
struct offer_trace_columns {
  std::vector<std::uint32_t> round;
  std::vector<std::uint8_t> proposer;
  std::vector<outcome_id> offer;
  std::vector<double> u1, u2, t;
  std::vector<std::uint8_t> tag;

  offer_trace_columns() = default;
  explicit offer_trace_columns(std::span<const offer_record> trace) {
    for_each([n = trace.size()](const char *, auto &col) { col.resize(n); });
    for (std::size_t i = 0; i < trace.size(); ++i) {
      const auto &o = trace[i];
      round[i] = o.round;
      proposer[i] = o.proposer;
      offer[i] = o.outcome;
      u1[i] = o.u1;
      u2[i] = o.u2;
      t[i] = o.t;
      tag[i] = static_cast<std::uint8_t>(o.tag);
    }
  }

  /// f(name, column) for every column, in the order Python shows them.
  template <class F> void for_each(F &&f) {
    f("round", round);
    f("proposer", proposer);
    f("offer", offer);
    f("u1", u1);
    f("u2", u2);
    f("t", t);
    f("tag", tag);
  }
};

/// Session options.
struct session_options {
  std::uint32_t rounds = 100; ///< deadline in rounds (2 offers each)
  double time_limit = 0.0;    ///< > 0: wall-clock deadline in seconds (not reproducible)
  discount_clock clock = discount_clock::relative;
  int first = 0; ///< party that opens
  std::uint64_t seed = 0;
  bool complete_information = false;
  bool keep_trace = true;
  /// Each party's own deadline in rounds (0: `rounds`), not told to the other.
  std::array<std::uint32_t, 2> own_rounds{0, 0};
  /// Each party's own deadline as a share of `rounds`, in (0, 1] (rounded
  /// up to whole rounds); the earlier of own_rounds and own_time applies.
  std::array<double, 2> own_time{1.0, 1.0};
  /// Each party's private reservation value (NaN: the scenario's).
  std::array<double, 2> reservation{std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::quiet_NaN()};
};

/// The outcome of a session.
struct session_result {
  session_status status = session_status::deadline;
  int ended_by = -1;       ///< who accepted or walked away (-1: deadline)
  int deadline_party = -1; ///< whose own deadline ended it (-1: the common one, or none)
  std::uint32_t own_rounds[2] = {0, 0}; ///< each party's deadline in rounds
  outcome_id outcome = 0;               ///< the agreement (status == agreement)
  double u1 = 0.0, u2 = 0.0;   ///< undiscounted utilities of the agreement, or reservations
  double du1 = 0.0, du2 = 0.0; ///< discounted (and penalised) utilities
  double penalty1 = 0.0, penalty2 = 0.0;
  double t = 0.0;           ///< relative time at the end
  std::uint32_t rounds = 0; ///< rounds started
  std::uint32_t offers = 0;
  bool rival_disclosed = false;
  double rival_price = 0.0;
  std::vector<offer_record> trace;

  [[nodiscard]] bool agreement() const noexcept { return status == session_status::agreement; }
};

/// Run one session; `out` is reused (its trace keeps its capacity).
inline void run_session(const scenario &sc, negotiator &a, negotiator &b,
                        const session_options &opt, session_result &out) {
  detail::check_rounds_and_first(opt.rounds, opt.first);
  negotiator *neg[2] = {&a, &b};
  const std::uint32_t all_turns = 2 * opt.rounds;
  // Private deadlines: each party's own turns; the session ends at the earlier.
  std::uint32_t own_turns[2];
  double res[2];
  for (int p = 0; p < 2; ++p) {
    const auto q = static_cast<std::size_t>(p);
    detail::check_private_terms(q, opt.own_time[q], opt.reservation[q]);
    const std::uint32_t r = detail::party_rounds(opt.rounds, opt.own_rounds[q], opt.own_time[q]);
    own_turns[p] = 2 * r;
    out.own_rounds[p] = r;
    res[p] = std::isnan(opt.reservation[q]) ? sc.reservation(p) : opt.reservation[q];
  }
  const std::uint32_t turns = std::min(own_turns[0], own_turns[1]);
  for (int p = 0; p < 2; ++p) {
    negotiator_setup s;
    s.sc = &sc;
    s.me = p;
    s.rounds = own_turns[p] / 2;
    s.own_reservation = opt.reservation[static_cast<std::size_t>(p)];
    s.clock = opt.clock;
    s.seed = opt.seed;
    s.complete_information = opt.complete_information;
    s.first = opt.first;
    neg[p]->start(s);
  }
  out.trace.clear();
  if (opt.keep_trace)
    out.trace.reserve(turns);
  // `out` is reused across sessions (run_batch): reset every field, so no
  // value of an earlier session (an agreement's outcome, its time) leaks
  // into this one — that made batch rows depend on which sessions a worker
  // thread happened to run before.
  out.status = session_status::deadline;
  out.ended_by = -1;
  out.deadline_party = -1;
  out.outcome = 0;
  out.t = 0.0;
  out.rival_disclosed = false;
  out.rival_price = 0.0;
  // The clock is read only for a wall-clock deadline.
  const auto t0 = opt.time_limit > 0.0 ? std::chrono::steady_clock::now()
                                       : std::chrono::steady_clock::time_point{};
  // Session time (discounting, the result) over all rounds; a party's own
  // time over its own deadline.
  auto rel_time = [&](std::uint32_t k) {
    if (opt.time_limit > 0.0) {
      const std::chrono::duration<double> el = std::chrono::steady_clock::now() - t0;
      return std::min(1.0, el.count() / opt.time_limit);
    }
    return all_turns <= 1
               ? 1.0
               : std::min(1.0, static_cast<double>(k) / static_cast<double>(all_turns - 1));
  };
  auto own_time = [&](int p, std::uint32_t k, double t) {
    if (own_turns[p] == all_turns)
      return t;
    if (opt.time_limit > 0.0)
      return std::min(1.0, t * static_cast<double>(all_turns) / static_cast<double>(own_turns[p]));
    return own_turns[p] <= 1
               ? 1.0
               : std::min(1.0, static_cast<double>(k) / static_cast<double>(own_turns[p] - 1));
  };
  turn_state st[2];
  outcome_id standing = 0;
  double standing_tau = 0.0, standing_t = 0.0;
  std::uint32_t k = 0;
  for (;; ++k) {
    const int p = (opt.first + static_cast<int>(k)) % 2;
    const double t = rel_time(k);
    auto &s = st[p];
    s.round = k / 2;
    s.turn = k;
    s.t = own_time(p, k, t);
    s.tau = opt.clock == discount_clock::offers ? static_cast<double>(k) : t;
    s.rival_disclosed = out.rival_disclosed;
    s.rival_price = out.rival_price;
    if (k > 0) {
      s.has_opponent_offer = true;
      s.opponent_offer = standing;
      const auto r = neg[p]->respond(s, standing);
      if (r == response::accept) {
        out.status = session_status::agreement;
        out.ended_by = p;
        out.outcome = standing;
        out.t = standing_t;
        break;
      }
      if (r == response::walk_away) {
        out.status = session_status::walked_away;
        out.ended_by = p;
        out.t = t;
        break;
      }
    }
    if (k >= turns || (opt.time_limit > 0.0 && s.t >= 1.0)) {
      out.t = t;
      if (own_turns[0] != own_turns[1])
        out.deadline_party = opt.time_limit > 0.0 ? p : (own_turns[0] < own_turns[1] ? 0 : 1);
      break;
    }
    const auto o = neg[p]->propose(s);
    if (o == end_negotiation) {
      out.status = session_status::walked_away;
      out.ended_by = p;
      out.t = t;
      break;
    }
    if (o >= sc.size())
      throw invalid_input("offer", "negotiator '" + neg[p]->name() + "' proposed outcome " +
                                       std::to_string(o) + " outside the space");
    if (const auto q = neg[p]->rival_quote(); q && !out.rival_disclosed) {
      out.rival_disclosed = true;
      out.rival_price = *q;
    }
    standing = o;
    standing_t = t;
    standing_tau = s.tau;
    if (opt.keep_trace)
      out.trace.push_back({k / 2, static_cast<std::uint8_t>(p), neg[p]->last_tag(), o,
                           sc.utility(0, o), sc.utility(1, o), t});
  }
  out.offers = std::min(k, turns);
  out.rounds = (out.offers + 1) / 2;
  out.penalty1 = a.penalty();
  out.penalty2 = b.penalty();
  if (out.agreement()) {
    out.u1 = sc.utility(0, out.outcome);
    out.u2 = sc.utility(1, out.outcome);
    out.du1 = out.u1 * sc.discount_at(0, standing_tau) - out.penalty1;
    out.du2 = out.u2 * sc.discount_at(1, standing_tau) - out.penalty2;
  } else {
    const double tau = opt.clock == discount_clock::offers ? static_cast<double>(k) : out.t;
    out.u1 = res[0];
    out.u2 = res[1];
    out.du1 = out.u1 * sc.discount_at(0, tau);
    out.du2 = out.u2 * sc.discount_at(1, tau);
  }
}

/// Run one session and return its result.
[[nodiscard]] inline session_result run_session(const scenario &sc, negotiator &a, negotiator &b,
                                                const session_options &opt = {}) {
  session_result r;
  run_session(sc, a, b, opt, r);
  return r;
}

// ---- the relationship link -------------------------------------------------------------

/// How a session is written to a ledger: who "we" are (the seller's party),
/// the customer and the time axis (days), and how to value a package in
/// currency (the scenario's price issue, else value_scale * our utility).
struct ledger_link {
  customer_id customer = 0;
  int we = 0;              ///< our party (0 or 1)
  double start_time = 0.0; ///< days at the first offer
  double days_per_round = 1.0;
  double value_scale = 1.0; ///< currency per utility unit without a price issue
};

/// Append a finished session's events to a ledger: a proposal (our first
/// offer), concessions, a competitor quote when the other side shopped,
/// price matches, alternative packages, and the close: deal_won (amount:
/// the agreed value, margin unknown) or walk_away + deal_lost / deal_lost
/// (reason: competitor if a rival quote was cited, else walked_away,
/// no_decision at the deadline). Returns the number of events appended.
inline std::size_t append_session_events(ledger &l, const scenario &sc, const session_result &r,
                                         const ledger_link &link) {
  if (link.we != 0 && link.we != 1)
    throw invalid_input("we", "must be 0 or 1");
  if (!std::isfinite(link.start_time) || !std::isfinite(link.days_per_round) ||
      link.days_per_round < 0.0)
    throw invalid_input("days_per_round", "must be finite and >= 0");
  const auto value = [&](outcome_id o) {
    return sc.price_issue() ? sc.price(o) : link.value_scale * sc.utility(link.we, o);
  };
  const auto time_of = [&](double round) { return link.start_time + round * link.days_per_round; };
  std::vector<event> ev;
  bool opened = false, quoted = false;
  double last_value = 0.0;
  for (const auto &rec : r.trace) {
    const double tm = time_of(static_cast<double>(rec.round));
    if (rec.proposer != link.we) {
      if (!quoted && r.rival_disclosed && rec.tag == offer_tag::competitor_quote) {
        ev.push_back({link.customer, tm, event_kind::competitor_quote, std::abs(r.rival_price), 0});
        quoted = true;
      }
      continue;
    }
    const double v = value(rec.outcome);
    if (!opened) {
      ev.push_back({link.customer, tm, event_kind::proposal, std::abs(v), 0});
      opened = true;
    } else if (rec.tag == offer_tag::price_match) {
      ev.push_back({link.customer, tm, event_kind::price_match, std::abs(v),
                    r.rival_disclosed && v < r.rival_price ? 1 : 0});
    } else if (rec.tag == offer_tag::alternative_offered) {
      ev.push_back({link.customer, tm, event_kind::alternative_offered, std::abs(v), 0});
    } else if (rec.tag == offer_tag::concession) {
      ev.push_back({link.customer, tm, event_kind::concession, std::abs(last_value - v), 0});
    }
    last_value = v;
  }
  const double end = time_of(static_cast<double>(r.rounds));
  if (r.agreement()) {
    ev.push_back(
        {link.customer, end, event_kind::deal_won, std::abs(value(r.outcome)), margin_unknown});
  } else {
    const double lost = opened ? std::abs(last_value) : 0.0;
    if (r.status == session_status::walked_away && r.ended_by == link.we) {
      ev.push_back({link.customer, end, event_kind::walk_away, lost, 0});
      ev.push_back({link.customer, end, event_kind::deal_lost, lost,
                    static_cast<std::int32_t>(loss_reason::walked_away)});
    } else {
      const auto why = r.rival_disclosed                         ? loss_reason::competitor
                       : r.status == session_status::walked_away ? loss_reason::price
                                                                 : loss_reason::no_decision;
      ev.push_back(
          {link.customer, end, event_kind::deal_lost, lost, static_cast<std::int32_t>(why)});
    }
  }
  for (const auto &e : ev)
    l.append(e);
  return ev.size();
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_SESSION_HPP
