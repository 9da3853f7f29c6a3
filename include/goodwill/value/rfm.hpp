// goodwill — RFM summaries (frequency, recency, T, monetary value) of a
// transaction log, the input of the buy-till-you-die models.
//
// Design: the semantics are lifetimes' summary_data_from_transaction_data
// and calibration_and_holdout_data, so that numbers agree with what users
// know. Time is cut into periods of `period_length` time units starting at
// `origin` (period k = floor((t − origin)/period_length)); transactions of a
// customer in the same period are one purchase whose value is their sum.
// Per customer, from the periods with a purchase up to the end of
// calibration (observation_end when there is no split):
//   frequency      = purchase periods − 1 (repeat purchases),
//   recency        = last purchase period − first purchase period,
//   T              = period of the calibration end − first purchase period,
//   monetary_value = mean value of the repeat purchase periods (0 if none).
// With a calibration end C < observation_end E, the holdout columns are
//   frequency_holdout      = purchase periods with a transaction in (C, E],
//   monetary_value_holdout = mean value of those transactions (not summed by
//                            period, as lifetimes; 0 if none),
//   duration_holdout       = period(E) − period(C).
// Customers with no transaction up to the calibration end are not in the
// summary (they have no first purchase); transactions after E are ignored.
// From a ledger, purchase and deal_won events are the transactions; refunds
// (negative amounts) are not purchases and are left out.
#ifndef GOODWILL_VALUE_RFM_HPP
#define GOODWILL_VALUE_RFM_HPP

#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace goodwill {

/// How to summarise a transaction log.
struct rfm_options {
  /// Length of a period in the time unit of the input (e.g. 7 for weeks of
  /// days). Results are in periods.
  double period_length = 1.0;
  /// Where period 0 starts.
  double origin = 0.0;
  /// Last time observed (inclusive); NaN: the last transaction's time.
  double observation_end = std::numeric_limits<double>::quiet_NaN();
  /// End of calibration (inclusive); NaN: no calibration/holdout split.
  double calibration_end = std::numeric_limits<double>::quiet_NaN();
};

/// One row per customer with a purchase in the calibration window.
struct rfm_summary {
  std::vector<std::uint32_t> customer; ///< dense customer id of each row
  std::vector<double> frequency, recency, T, monetary_value;
  /// Holdout columns (empty without a calibration end).
  std::vector<double> frequency_holdout, monetary_value_holdout;
  double duration_holdout = std::numeric_limits<double>::quiet_NaN();
  [[nodiscard]] std::size_t size() const noexcept { return customer.size(); }
  [[nodiscard]] bool has_holdout() const noexcept { return !std::isnan(duration_holdout); }
};

namespace detail {

inline void check_rfm_options(const rfm_options &o) {
  if (!(o.period_length > 0) || !std::isfinite(o.period_length))
    throw invalid_input("period_length", "must be finite and positive");
  if (!std::isfinite(o.origin))
    throw invalid_input("origin", "must be finite");
  if (std::isinf(o.observation_end))
    throw invalid_input("observation_end", "must be finite (or NaN for the last transaction)");
  if (std::isinf(o.calibration_end))
    throw invalid_input("calibration_end", "must be finite (or NaN for no holdout)");
  if (!std::isnan(o.calibration_end) && !std::isnan(o.observation_end) &&
      !(o.calibration_end < o.observation_end))
    throw invalid_input("calibration_end", "must be before observation_end");
}

/// Summarise customers whose transactions are given, customer by customer, as
/// index ranges into (time, amount) sorted by time.
template <class Rows>
rfm_summary summarize(std::size_t n_customers, const Rows &rows_of, std::span<const double> time,
                      std::span<const double> amount, rfm_options o, double last_time) {
  const bool split = !std::isnan(o.calibration_end);
  if (std::isnan(o.observation_end))
    o.observation_end = last_time;
  if (split && !(o.calibration_end < o.observation_end))
    throw invalid_input("calibration_end", "must be before observation_end");
  const double cal_end = split ? o.calibration_end : o.observation_end;
  auto period = [&](double t) { return std::floor((t - o.origin) / o.period_length); };
  const double cal_period = period(cal_end), end_period = period(o.observation_end);
  rfm_summary s;
  if (split)
    s.duration_holdout = end_period - cal_period;
  std::vector<std::size_t> idx;
  for (std::size_t c = 0; c < n_customers; ++c) {
    rows_of(c, idx);
    double first = 0, last = 0, current = -std::numeric_limits<double>::infinity();
    double periods = 0, repeat_sum = 0, period_sum = 0;
    double hold_periods = 0, hold_sum = 0, hold_n = 0,
           hold_current = -std::numeric_limits<double>::infinity();
    for (const std::size_t i : idx) {
      const double t = time[i];
      if (t > o.observation_end)
        break;
      const double a = amount.empty() ? 0.0 : amount[i];
      const double k = period(t);
      if (t <= cal_end) {
        if (k != current) {
          if (periods > 1)
            repeat_sum += period_sum;
          if (periods == 0)
            first = k;
          periods += 1;
          current = k;
          period_sum = 0;
          last = k;
        }
        period_sum += a;
      } else {
        if (k != hold_current) {
          hold_periods += 1;
          hold_current = k;
        }
        hold_sum += a;
        hold_n += 1;
      }
    }
    if (periods == 0)
      continue;
    if (periods > 1)
      repeat_sum += period_sum;
    s.customer.push_back(static_cast<std::uint32_t>(c));
    s.frequency.push_back(periods - 1);
    s.recency.push_back(last - first);
    s.T.push_back(cal_period - first);
    s.monetary_value.push_back(periods > 1 ? repeat_sum / (periods - 1) : 0.0);
    if (split) {
      s.frequency_holdout.push_back(hold_periods);
      s.monetary_value_holdout.push_back(hold_n > 0 ? hold_sum / hold_n : 0.0);
    }
  }
  return s;
}

} // namespace detail

/// RFM summary of a transaction log: `customer[i]` (dense ids below
/// n_customers), `time[i]` and `amount[i]` (may be empty: monetary values 0).
/// Rows may come in any order; ties in time keep their order.
[[nodiscard]] inline rfm_summary summarize_transactions(std::span<const std::uint32_t> customer,
                                                        std::size_t n_customers,
                                                        std::span<const double> time,
                                                        std::span<const double> amount = {},
                                                        const rfm_options &options = {}) {
  detail::check_rfm_options(options);
  const std::size_t n = customer.size();
  if (time.size() != n)
    throw invalid_input("time", "has " + std::to_string(time.size()) +
                                    " rows where 'customer' has " + std::to_string(n));
  if (!amount.empty() && amount.size() != n)
    throw invalid_input("amount", "has " + std::to_string(amount.size()) +
                                      " rows where 'customer' has " + std::to_string(n));
  double last_time = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::int64_t>(i);
    if (customer[i] >= n_customers)
      throw invalid_input("customer", row,
                          "id " + std::to_string(customer[i]) + " is not below " +
                              std::to_string(n_customers));
    if (!std::isfinite(time[i]))
      throw invalid_input("time", row, "must be finite");
    if (!amount.empty() && !std::isfinite(amount[i]))
      throw invalid_input("amount", row, "must be finite");
    last_time = std::max(last_time, time[i]);
  }
  if (n == 0 && std::isnan(options.observation_end))
    return {};
  // Counting sort by customer, then a stable sort by time within each.
  std::vector<std::uint64_t> offsets(n_customers + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    ++offsets[customer[i] + 1];
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  std::vector<std::uint64_t> fill(offsets.begin(), offsets.end() - 1);
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i)
    order[fill[customer[i]]++] = i;
  for (std::size_t c = 0; c < n_customers; ++c)
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(offsets[c]),
                     order.begin() + static_cast<std::ptrdiff_t>(offsets[c + 1]),
                     [&](std::size_t p, std::size_t q) { return time[p] < time[q]; });
  auto rows_of = [&](std::size_t c, std::vector<std::size_t> &idx) {
    idx.assign(order.begin() + static_cast<std::ptrdiff_t>(offsets[c]),
               order.begin() + static_cast<std::ptrdiff_t>(offsets[c + 1]));
  };
  return detail::summarize(n_customers, rows_of, time, amount, options, last_time);
}

/// RFM summary of a ledger's transactions: purchase and deal_won events with
/// a non-negative amount (times in days; e.g. period_length = 7 for weeks).
/// Rows are the ledger's dense customer ids.
[[nodiscard]] inline rfm_summary summarize_ledger(const ledger &events,
                                                  const rfm_options &options = {}) {
  detail::check_rfm_options(options);
  const auto &order = events.order();
  const auto &offsets = events.customer_offsets();
  const auto kinds = events.kinds();
  const auto times = events.times();
  const auto amounts = events.amounts();
  auto is_transaction = [&](std::size_t i) {
    const auto k = static_cast<event_kind>(kinds[i]);
    return traits(k).earns_revenue && amounts[i] >= 0;
  };
  double last_time = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < events.size(); ++i)
    if (is_transaction(i))
      last_time = std::max(last_time, times[i]);
  if (!std::isfinite(last_time) && std::isnan(options.observation_end))
    return {};
  auto rows_of = [&](std::size_t c, std::vector<std::size_t> &idx) {
    idx.clear();
    for (std::uint64_t j = offsets[c]; j < offsets[c + 1]; ++j) {
      const std::size_t i = order[static_cast<std::size_t>(j)];
      if (is_transaction(i))
        idx.push_back(i);
    }
  };
  return detail::summarize(events.customer_count(), rows_of, times, amounts, options, last_time);
}

} // namespace goodwill

#endif // GOODWILL_VALUE_RFM_HPP
