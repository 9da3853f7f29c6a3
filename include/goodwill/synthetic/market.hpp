// goodwill — a synthetic market: seeded event streams for customer archetypes.
//
// Design: every customer c gets its own counter-based random stream,
// Philox4x64-10 keyed by (seed, c) (detail/random.hpp), so a customer's
// events depend only on (seed, c, horizon, start_time, mix) — not on how
// many customers are generated, nor on the number of threads. Customers are
// generated in blocks (in parallel when threads > 1) into per-block column
// buffers, and the blocks are appended to the ledger in customer order by
// whichever worker finishes the next block in line; at most 2 x threads
// blocks are in flight, so memory beyond the ledger itself stays small.
// The ledger holds each customer's events contiguously in time order
// (ledger::is_grouped() is true), customer keys are the integers 0..n-1
// (key == dense id).
//
// One customer's story, on a single clock (so events come out in order):
//   1. first contact at start_time + U(0, min(horizon/4, 180)) days: a lead
//      (amount: expected deal value; detail: lead source drawn from the
//      archetype's mix), then 1 + Poisson(discovery) discovery sessions
//      (1-4 hours, ~a week apart; seed 004: "ask the customer to describe
//      their perceived problems and needs" before proposing), then the first
//      deal.
//   2. afterwards, competing clocks: scheduled meetings every
//      meeting_interval x U(1 - jitter, 1 + jitter) days (seed 004: "develop
//      a schedule for meeting with customers"), and Poisson processes for new
//      deals, repeat purchases, service issues, promises, referrals, support
//      and churn, with the per-year rates of the table below.
//   3. a deal: lead (existing_customer) -> proposal at list price V (V =
//      deal_size x exp(growth x years since first contact) x LogNormal(0,
//      0.5)) -> competitor_quote (5-25% below) -> price_match (detail 1 when
//      we beat it by 3%) -> Poisson(concessions) concessions of about
//      concession_size each -> late scope_change cut of 10-35% (negative
//      amount; seed 001) -> alternative_offered -> the seller's walk_away
//      (then deal_lost, reason walked_away; the seller may fire a customer
//      after a walk-away, seed 002) -> deal_won (amount: final price P,
//      detail: margin in basis points, 1e4 x (1 - cost/P) with cost = V x (1 -
//      margin): matching and conceding lower it, seed 000) or deal_lost
//      (detail: loss reason). A won deal is invoiced as a purchase ~2 weeks
//      later. A quote left unmatched cuts the win probability to 35% of its
//      base and a loss is then lost on price. Steps are days apart; a deal
//      still open at the horizon simply stops (open pipeline).
//   4. churn (and firing) end the relationship; with probability
//      return_share the customer comes back after Exp(mean return_months)
//      ("went elsewhere for six months and then returned at a profitable
//      price", seed 002; return_share, return_months): a `return` event, then margins 5 points
//      higher and half the price-match propensity.
//   Service issues cost the customer U(200, 3000) and lead to a refund (a
//   negative purchase, margin unknown) one time in four.
//
// The archetypes' rates, the default mix and their units are in
// synthetic/archetypes.hpp (market_params::model), shared with the policy
// simulator; this generator reads the fields that header marks "both" and
// "synthetic_market only". deal_growth is the yearly growth (0.8: +80% a
// year), applied continuously as exp(log1p(growth) x years).
//
// A deal in progress takes the place of scheduled meetings, so a 30-day
// cadence yields about 8 meetings a year. The default mix gives about 25
// events per customer-year over three years (checked in
// tests/cpp/test_market.cpp). A caller wanting about N events per customer
// sets horizon_days to roughly 365 x N / 25 (e.g. 50 events: 730 days).
#ifndef GOODWILL_SYNTHETIC_MARKET_HPP
#define GOODWILL_SYNTHETIC_MARKET_HPP

#include <goodwill/detail/ordered_blocks.hpp>
#include <goodwill/detail/random.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/synthetic/archetypes.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

/// What to generate.
struct market_params {
  /// Number of customers (keys and ids 0..customers-1).
  std::uint32_t customers = 1000;
  /// Length of the simulated period in days (> 0).
  double horizon_days = 3 * 365.0;
  /// The seed: same seed and parameters, same market, on any thread count.
  std::uint64_t seed = 0;
  /// The synthetic-customer model (archetype table; synthetic/archetypes.hpp).
  market_model model{};
  /// Weights of the archetypes in code order (non-negative, finite, not all
  /// zero; need not sum to 1); default the model's.
  std::array<double, archetype_count> mix = market_model{}.mix;
  /// Time of the start of the period, in days.
  double start_time = 0.0;
  /// Worker threads (1..256, detail::max_threads); the result does not depend on it.
  unsigned threads = 1;
  /// Key of the first customer: the market holds customers with keys
  /// first_customer .. first_customer + customers - 1, each exactly as in a
  /// market generated from key 0 with the same seed. Blocks generated apart
  /// (on other machines) and concatenated equal one market generated whole.
  std::uint32_t first_customer = 0;

  /// Throw invalid_input naming the first bad field.
  void validate() const {
    if (customers == 0xFFFFFFFFu)
      throw invalid_input("customers", "must be below 4294967295");
    if (static_cast<std::uint64_t>(first_customer) + customers > 0xFFFFFFFFull)
      throw invalid_input("first_customer", "first_customer + customers must be below 4294967296");
    if (!std::isfinite(horizon_days) || !(horizon_days > 0.0))
      throw invalid_input("horizon_days",
                          "must be a positive finite number, got " + std::to_string(horizon_days));
    if (!std::isfinite(start_time))
      throw invalid_input("start_time", "must be finite");
    if (!std::isfinite(start_time + horizon_days * 2.0))
      throw invalid_input("horizon_days", "start_time + horizon_days overflows");
    market_model::validate_mix(mix, "mix");
    model.validate();
    if (threads < 1 || threads > detail::max_threads)
      throw invalid_input("threads", "must be between 1 and " +
                                         std::to_string(detail::max_threads) + ", got " +
                                         std::to_string(threads));
  }
};

/// A generated market: the events and each customer's archetype.
struct market {
  /// The events; customer keys are the integers 0..n-1 (key == dense id),
  /// each customer's events contiguous and in time order.
  ledger events;
  /// archetypes[c] is customer c's archetype.
  std::vector<archetype> archetypes;
};

/// Called after each block of customers is appended: (customers done, total).
using market_progress = std::function<void(std::size_t, std::size_t)>;

namespace detail {

/// Per-block output columns.
struct market_block {
  std::vector<customer_id> customer;
  std::vector<double> time;
  std::vector<std::uint8_t> kind;
  std::vector<double> amount;
  std::vector<std::int32_t> detail;

  void clear() noexcept {
    customer.clear();
    time.clear();
    kind.clear();
    amount.clear();
    detail.clear();
  }
};

/// Generates one customer's events into a block (see the header comment).
class customer_story {
public:
  customer_story(const market_params &p, customer_id c, market_block &out)
      : rng_(p.seed, static_cast<std::uint64_t>(p.first_customer) + c), out_(out), id_(c),
        end_(p.start_time + p.horizon_days) {
    arch_ = static_cast<archetype>(categorical(rng_, p.mix));
    prof_ = &p.model.archetypes[static_cast<std::size_t>(arch_)];
    log_growth_ = std::log1p(prof_->deal_growth);
    size_sigma_ = p.model.deal_size_sigma;
    t0_ = p.start_time + uniform(rng_, 0.0, std::min(p.horizon_days / 4, 180.0));
  }

  [[nodiscard]] archetype kind() const noexcept { return arch_; }

  void run() {
    const auto &pr = *prof_;
    double t = t0_;
    // First contact: lead, discovery, first deal.
    const auto source = static_cast<std::int32_t>(categorical(rng_, pr.lead_sources));
    emit(t, event_kind::lead, expected_value(t), source);
    const auto sessions = 1 + poisson(rng_, pr.discovery_extra);
    for (std::uint32_t i = 0; i < sessions; ++i) {
      if (i > 0 && !advance(t, 7.0))
        return;
      emit(t, event_kind::discovery, 0.25 * std::floor(uniform(rng_, 4.0, 17.0)));
    }
    if (!deal(t, false))
      return;

    const double per_day = 1.0 / 365.0;
    const std::array<double, 7> rates{
        pr.deals_per_year * per_day,     pr.purchases_per_year * per_day,
        pr.service_per_year * per_day,   pr.promises_per_year * per_day,
        pr.referrals_per_year * per_day, pr.support_per_year * per_day,
        pr.churn_per_year * per_day};
    double total = 0.0;
    for (double r : rates)
      total += r;
    const double mean_gap = 1.0 / total;
    double next_meeting = t + meeting_interval();
    for (;;) {
      const double t_next = t + exponential_mean(rng_, mean_gap);
      if (next_meeting <= t_next) {
        t = next_meeting;
        if (t >= end_)
          return;
        emit(t, event_kind::meeting, 0.25 * std::floor(uniform(rng_, 2.0, 9.0)));
        next_meeting = t + meeting_interval();
        continue;
      }
      t = t_next;
      if (t >= end_)
        return;
      switch (categorical(rng_, rates)) {
      case 0:
        if (!deal(t, true))
          return;
        break;
      case 1:
        emit(t, event_kind::purchase,
             pr.deal_size * pr.order_share * growth(t) * lognormal(rng_, 0.0, 0.4),
             margin_bps(margin() + 0.03 * normal(rng_)));
        break;
      case 2:
        emit(t, event_kind::service_issue, uniform(rng_, 200.0, 3000.0));
        if (bernoulli(rng_, 0.25)) {
          if (!advance(t, 3.0))
            return;
          emit(t, event_kind::purchase, -uniform(rng_, 100.0, 1000.0), margin_unknown);
        }
        break;
      case 3:
        emit(t, bernoulli(rng_, pr.broken_share) ? event_kind::promise_broken
                                                 : event_kind::promise_kept);
        break;
      case 4:
        emit(t, event_kind::referral_given);
        break;
      case 5:
        emit(t, event_kind::support, 0.25 * std::floor(uniform(rng_, 2.0, 17.0)));
        break;
      default:
        if (!leave(t, event_kind::churn))
          return;
        break;
      }
      if (next_meeting < t)
        next_meeting = t + meeting_interval();
    }
  }

private:
  // Advance the clock by Exp(mean); false when that passes the horizon.
  bool advance(double &t, double mean) {
    t += exponential_mean(rng_, mean);
    return t < end_;
  }

  double meeting_interval() {
    const double j = prof_->meeting_jitter;
    return prof_->meeting_days * uniform(rng_, 1.0 - j, 1.0 + j);
  }

  double growth(double t) const { return std::exp(log_growth_ * (t - t0_) / 365.0); }

  double expected_value(double t) const { return prof_->deal_size * growth(t); }

  double margin() const { return prof_->margin + (returned_ ? 0.05 : 0.0); }

  static std::int32_t margin_bps(double m) {
    return static_cast<std::int32_t>(std::lround(std::clamp(m, -10.0, 1.0) * 1e4));
  }

  void emit(double t, event_kind k, double amount = 0.0, std::int32_t detail = 0) {
    out_.customer.push_back(id_);
    out_.time.push_back(t);
    out_.kind.push_back(static_cast<std::uint8_t>(k));
    out_.amount.push_back(amount);
    out_.detail.push_back(detail);
  }

  // The customer leaves (churn) or is fired; false if they do not come back
  // before the horizon.
  bool leave(double &t, event_kind how) {
    emit(t, how);
    if (!bernoulli(rng_, prof_->return_share))
      return false;
    if (!advance(t, prof_->return_months * 30.4375))
      return false;
    emit(t, event_kind::returned);
    returned_ = true;
    return true;
  }

  // One deal from its lead (if `with_lead`) to its outcome. False when the
  // horizon is reached or the relationship ends.
  bool deal(double &t, bool with_lead) {
    const auto &pr = *prof_;
    const double v = expected_value(t) * lognormal(rng_, 0.0, size_sigma_);
    const double cost = v * (1.0 - margin());
    double price = v;
    if (with_lead)
      emit(t, event_kind::lead, expected_value(t),
           static_cast<std::int32_t>(lead_source::existing_customer));
    if (!advance(t, 5.0))
      return false;
    emit(t, event_kind::proposal, price);
    bool unmatched_quote = false;
    if (bernoulli(rng_, pr.quote_prob)) {
      if (!advance(t, 7.0))
        return false;
      const double quote = price * (1.0 - uniform(rng_, 0.05, 0.25));
      emit(t, event_kind::competitor_quote, quote);
      const double match = pr.match_prob * (returned_ ? 0.5 : 1.0);
      if (bernoulli(rng_, match)) {
        if (!advance(t, 2.0))
          return false;
        const bool beat = bernoulli(rng_, pr.beat_prob);
        price = beat ? quote * 0.97 : quote;
        emit(t, event_kind::price_match, price, beat ? 1 : 0);
      } else {
        unmatched_quote = true;
      }
    }
    const auto concessions = poisson(rng_, pr.concessions);
    for (std::uint32_t i = 0; i < concessions; ++i) {
      if (!advance(t, 4.0))
        return false;
      const double d = price * pr.concession_size * uniform(rng_, 0.5, 1.5);
      price -= d;
      emit(t, event_kind::concession, d);
    }
    bool cut_without_alternative = false;
    if (bernoulli(rng_, pr.scope_cut_prob)) {
      if (!advance(t, 5.0))
        return false;
      const double cut = price * uniform(rng_, 0.10, 0.35);
      price -= cut;
      emit(t, event_kind::scope_change, -cut);
      if (bernoulli(rng_, pr.alternative_prob)) {
        if (!advance(t, 1.0))
          return false;
        const double alt = price * uniform(rng_, 1.05, 1.25);
        emit(t, event_kind::alternative_offered, alt);
        if (bernoulli(rng_, 0.5))
          price = alt;
      } else {
        cut_without_alternative = true;
      }
    }
    if (bernoulli(rng_, pr.walk_away_prob)) {
      if (!advance(t, 2.0))
        return false;
      emit(t, event_kind::walk_away, price);
      emit(t, event_kind::deal_lost, price, static_cast<std::int32_t>(loss_reason::walked_away));
      if (bernoulli(rng_, pr.fire_prob)) {
        if (!advance(t, 7.0))
          return false;
        return leave(t, event_kind::fire);
      }
      return true;
    }
    if (!advance(t, 10.0))
      return false;
    const double win = pr.win_prob * (unmatched_quote ? 0.35 : 1.0);
    if (bernoulli(rng_, win)) {
      const auto m = margin_bps(1.0 - cost / price);
      emit(t, event_kind::deal_won, price, m);
      if (!advance(t, 14.0))
        return false;
      emit(t, event_kind::purchase, price, m);
    } else {
      std::int32_t reason;
      if (unmatched_quote)
        reason = static_cast<std::int32_t>(loss_reason::price);
      else if (cut_without_alternative && bernoulli(rng_, 0.5))
        reason = static_cast<std::int32_t>(loss_reason::scope);
      else
        reason = static_cast<std::int32_t>(categorical(rng_, pr.loss_reasons));
      emit(t, event_kind::deal_lost, price, reason);
    }
    return true;
  }

  counter_stream rng_;
  market_block &out_;
  customer_id id_;
  double end_;
  archetype arch_ = archetype::loyal_partner;
  const archetype_profile *prof_ = nullptr;
  double t0_ = 0.0;
  double log_growth_ = 0.0, size_sigma_ = 0.5;
  bool returned_ = false;
};

/// A generous estimate of the number of events, to reserve the ledger once
/// (unused address space costs no memory until it is touched).
inline std::size_t expected_market_events(const market_params &p) {
  double total = 0.0, per_year = 0.0;
  for (std::size_t i = 0; i < archetype_count; ++i) {
    total += p.mix[i];
    per_year += p.mix[i] * p.model.archetypes[i].events_per_year;
  }
  const double per_customer = 8.0 + 1.15 * per_year / total * p.horizon_days / 365.0;
  const double estimate = per_customer * static_cast<double>(p.customers);
  return estimate >= static_cast<double>(ledger::max_size) ? ledger::max_size
                                                           : static_cast<std::size_t>(estimate);
}

/// Customers per block.
inline constexpr std::uint32_t market_block_customers = 2048;

} // namespace detail

/// Generate a synthetic market (see the header comment for the model).
/// Throws invalid_input naming the field when params are bad. The result is
/// identical, byte for byte, for any params.threads.
[[nodiscard]] inline market generate_market(const market_params &params,
                                            const market_progress &progress = {}) {
  params.validate();
  market result;
  const std::uint32_t n = params.customers;
  result.archetypes.resize(n);
  for (std::uint32_t i = 0; i < n; ++i)
    result.events.intern(static_cast<std::int64_t>(params.first_customer) + i);
  if (n == 0)
    return result;
  result.events.reserve(detail::expected_market_events(params));

  const std::size_t block = detail::market_block_customers;
  const std::size_t nblocks = (n + block - 1) / block;
  detail::run_ordered_blocks<detail::market_block>(
      nblocks, params.threads,
      [&](std::size_t b, detail::market_block &out, unsigned) {
        const auto first = static_cast<std::uint32_t>(b * block);
        const auto last = static_cast<std::uint32_t>(std::min<std::size_t>(n, (b + 1) * block));
        for (std::uint32_t c = first; c < last; ++c) {
          detail::customer_story story(params, c, out);
          result.archetypes[c] = story.kind();
          story.run();
        }
      },
      [&](std::size_t b, detail::market_block &s) {
        result.events.append(std::span<const customer_id>(s.customer),
                             std::span<const double>(s.time), std::span<const std::uint8_t>(s.kind),
                             std::span<const double>(s.amount),
                             std::span<const std::int32_t>(s.detail));
        s.clear();
        if (progress)
          progress(std::min<std::size_t>(n, (b + 1) * block), n);
      });
  return result;
}

} // namespace goodwill

#endif // GOODWILL_SYNTHETIC_MARKET_HPP
