// goodwill — detail: run one task per thread and wait for all of them.
//
// Design: task(t) for t in [0, threads): task 0 runs on the caller's thread,
// the others on std::jthreads started for the call (a thread start costs tens
// of microseconds, nothing next to the passes over millions of rows this is
// used for). Every task runs to its end; the first exception (lowest t) is
// rethrown on the caller's thread once all have finished.
//
// for_each_piece(threads, pieces, task) runs task(i) for every piece i in
// [0, pieces), the threads taking the next piece from a shared counter as
// they finish one: on a machine whose cores run at different speeds (a
// shared VM whose vCPUs' hosts are busy to different degrees — measured here
// on 2 fixed halves of a replay: one thread took up to 1.4x as long as the
// other) the work still ends at about the same time on every thread. Which
// thread runs a piece varies; so a task must write only what belongs to its
// piece, and the result is then the same for any thread count and schedule.
//
// Thread counts: every `threads` option goes through resolve_threads(),
// which refuses more than max_threads (256: far beyond the cores of any
// machine this runs on, far below the thousands at which an OS refuses to
// start threads) and turns 0 into one per hardware thread (at most 256). If
// the OS still refuses to start a thread, run_on_threads joins the threads it
// started (they finish their tasks) and throws goodwill::error naming the
// thread and the OS's reason, instead of std::terminate.
//
// Interrupts (interrupt.hpp): run_on_threads and every piece of
// for_each_piece are break points (check_interrupt), and the workers inherit
// the caller's interrupt scope.
#ifndef GOODWILL_DETAIL_PARALLEL_FOR_HPP
#define GOODWILL_DETAIL_PARALLEL_FOR_HPP

#include <goodwill/error.hpp>
#include <goodwill/interrupt.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace goodwill::detail {

/// The most threads a `threads` option may ask for.
inline constexpr unsigned max_threads = 256;

/// Refuse a thread count above max_threads (invalid_input naming `field`).
inline void check_threads(unsigned threads, const char *field = "threads") {
  if (threads > max_threads)
    throw invalid_input(field, std::to_string(threads) + " threads asked for; at most " +
                                   std::to_string(max_threads) + " (0: one per hardware thread)");
}

/// Worker threads for a request (0: one per hardware thread, at most
/// max_threads); throws invalid_input above max_threads.
[[nodiscard]] inline unsigned resolve_threads(unsigned threads) {
  check_threads(threads);
  return threads == 0 ? std::clamp(std::thread::hardware_concurrency(), 1u, max_threads) : threads;
}

/// For tests: the number of threads run_on_threads may still start before
/// it behaves as if the OS refused one (negative: no limit).
inline std::atomic<int> thread_start_budget_for_tests{-1};

/// task(t) for t in [0, threads), concurrently; rethrows the first failure.
template <class Task> void run_on_threads(unsigned threads, const Task &task) {
  check_interrupt(); // a pass of a fit, a phase of an analysis: a break point
  if (threads <= 1) {
    task(0u);
    return;
  }
  // the workers belong to the caller's interruptible call (interrupt.hpp)
  interrupt_state *const scope = current_interrupt();
  std::vector<std::exception_ptr> errors(threads);
  std::string start_failure;
  unsigned started = 1;
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads - 1);
    try {
      for (unsigned t = 1; t < threads; ++t) {
        if (thread_start_budget_for_tests.load(std::memory_order_relaxed) >= 0 &&
            thread_start_budget_for_tests.fetch_sub(1, std::memory_order_relaxed) <= 0)
          throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
        pool.emplace_back([&, t] {
          const interrupt_inherit inherit(scope);
          try {
            task(t);
          } catch (...) {
            errors[t] = std::current_exception();
          }
        });
        ++started;
      }
    } catch (const std::system_error &e) {
      start_failure = e.code().message();
    }
    if (start_failure.empty()) {
      try {
        task(0u);
      } catch (...) {
        errors[0] = std::current_exception();
      }
    }
  } // joins the threads started
  if (!start_failure.empty())
    throw error("could not start thread " + std::to_string(started + 1) + " of " +
                std::to_string(threads) + " (" + start_failure + "); the " +
                std::to_string(started - 1) +
                " started were joined and nothing was returned: ask for fewer threads");
  for (auto &e : errors)
    if (e)
      std::rethrow_exception(e);
}

/// task(i) for every i in [0, pieces), shared out dynamically over up to
/// `threads` threads; after a failure no new piece starts, and the failure
/// of the lowest piece that failed is rethrown.
template <class Task> void for_each_piece(unsigned threads, std::size_t pieces, const Task &task) {
  if (threads <= 1 || pieces <= 1) {
    for (std::size_t i = 0; i < pieces; ++i) {
      check_interrupt();
      task(i);
    }
    return;
  }
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, pieces));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(pieces);
  run_on_threads(threads, [&](unsigned) {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= pieces)
        return;
      try {
        check_interrupt();
        task(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  });
  for (auto &e : errors)
    if (e)
      std::rethrow_exception(e);
}

} // namespace goodwill::detail

#endif // GOODWILL_DETAIL_PARALLEL_FOR_HPP
