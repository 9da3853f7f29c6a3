// goodwill — account owners: which salesperson holds each account's recent deals.
//
// Design: an account's owner is derived from the data, never assigned. Among
// the customer's deals (deal_won and deal_lost events that name a rep) whose
// time lies in [end − window_days, end], where end is the time of the
// ledger's last event, each rep's count is taken; the top rep is the one with
// the most deals (ties: the one whose latest such deal is later, then the
// lower rep id). The top rep is the owner only if it holds a strict majority
// (share > 0.5 of the rep'd deals in the window); otherwise there is no
// owner, and the result says how close the top rep came (its share, the
// number of deals, how many reps tie with it). Deals in the window that name
// no rep are counted apart (`unattributed`) and are not in the share's
// denominator: the share is among deals whose salesperson is known.
// O(events + reps); one pass over the ledger's reading order.
#ifndef GOODWILL_RELATIONSHIP_OWNERS_HPP
#define GOODWILL_RELATIONSHIP_OWNERS_HPP

#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace goodwill {

/// Parameters of account_owners().
struct owner_params {
  /// Only deals at most this many days before the ledger's last event count.
  double window_days = 365.0;

  /// Throws invalid_input naming the field if a parameter is bad.
  void validate() const {
    if (!(window_days > 0.0)) // also NaN
      throw invalid_input("window_days",
                          "must be positive (got " + std::to_string(window_days) + ")");
  }
};

/// The owner of one account (see the header's design note).
struct account_owner {
  rep_id owner = no_rep;          ///< the top rep if it holds a majority, else no_rep
  rep_id top = no_rep;            ///< the rep with the most deals in the window (no_rep: none)
  std::uint32_t top_deals = 0;    ///< the top rep's deals in the window
  std::uint32_t deals = 0;        ///< deals in the window that name a rep
  std::uint32_t unattributed = 0; ///< deals in the window that name no rep
  std::uint32_t tied = 0;         ///< other reps with as many deals as the top rep
  /// top_deals / deals (NaN when deals == 0).
  double share = std::numeric_limits<double>::quiet_NaN();

  [[nodiscard]] bool has_owner() const noexcept { return owner != no_rep; }
};

/// Owners of every account, indexed by customer id.
struct owners_result {
  std::vector<account_owner> accounts;
  double window_start = std::numeric_limits<double>::quiet_NaN(); ///< first time counted
  double window_end = std::numeric_limits<double>::quiet_NaN();   ///< the ledger's last event
  double window_days = 0.0;
};

/// Each account's owner: the rep with a strict majority of its recent deals.
///
/// Example:
/// \code
///   goodwill::ledger l;
///   auto ann = l.intern_rep("Ann");
///   l.append(goodwill::event{0, 1.0, goodwill::event_kind::deal_won, 10.0, 0, ann});
///   auto r = goodwill::account_owners(l);
///   // r.accounts[0].owner == ann, share 1.0 of 1 deal
/// \endcode
[[nodiscard]] inline owners_result account_owners(const ledger &l, const owner_params &p = {}) {
  p.validate();
  owners_result out;
  out.window_days = p.window_days;
  out.accounts.resize(l.customer_count());
  if (l.empty())
    return out;
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto reps = l.reps();
  const auto customers = l.customers();
  const double end = *std::max_element(times.begin(), times.end());
  const double start = end - p.window_days;
  out.window_end = end;
  out.window_start = start;

  const auto won = static_cast<std::uint8_t>(event_kind::deal_won);
  const auto lost = static_cast<std::uint8_t>(event_kind::deal_lost);
  std::vector<std::uint32_t> count(l.rep_count(), 0);
  std::vector<double> latest(l.rep_count(), -std::numeric_limits<double>::infinity());
  std::vector<rep_id> touched;
  // Group the window's deals by customer without the full reading order:
  // deal rows are few, so collect them and sort by customer (stable).
  std::vector<std::uint32_t> rows;
  for (std::size_t i = 0; i < times.size(); ++i)
    if ((kinds[i] == won || kinds[i] == lost) && times[i] >= start)
      rows.push_back(static_cast<std::uint32_t>(i));
  std::stable_sort(rows.begin(), rows.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return customers[a] < customers[b]; });
  for (std::size_t first = 0; first < rows.size();) {
    const customer_id c = customers[rows[first]];
    std::size_t last = first;
    auto &acc = out.accounts[c];
    for (; last < rows.size() && customers[rows[last]] == c; ++last) {
      const auto i = rows[last];
      const rep_id r = reps[i];
      if (r == no_rep) {
        ++acc.unattributed;
        continue;
      }
      if (count[r] == 0)
        touched.push_back(r);
      ++count[r];
      latest[r] = std::max(latest[r], times[i]);
      ++acc.deals;
    }
    for (const rep_id r : touched) {
      const bool better =
          acc.top == no_rep || count[r] > acc.top_deals ||
          (count[r] == acc.top_deals &&
           (latest[r] > latest[acc.top] || (latest[r] == latest[acc.top] && r < acc.top)));
      if (better) {
        acc.top = r;
        acc.top_deals = count[r];
      }
    }
    for (const rep_id r : touched)
      if (r != acc.top && count[r] == acc.top_deals)
        ++acc.tied;
    if (acc.deals > 0) {
      acc.share = static_cast<double>(acc.top_deals) / static_cast<double>(acc.deals);
      if (2 * static_cast<std::uint64_t>(acc.top_deals) > acc.deals)
        acc.owner = acc.top;
    }
    for (const rep_id r : touched) {
      count[r] = 0;
      latest[r] = -std::numeric_limits<double>::infinity();
    }
    touched.clear();
    first = last;
  }
  return out;
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_OWNERS_HPP
