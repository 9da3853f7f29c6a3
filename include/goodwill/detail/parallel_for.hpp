// goodwill — detail: run one task per thread and wait for all of them.
//
// Design: task(t) for t in [0, threads): task 0 runs on the caller's thread,
// the others on std::jthreads started for the call (a thread start costs tens
// of microseconds, nothing next to the passes over millions of rows this is
// used for). Every task runs to its end; the first exception (lowest t) is
// rethrown on the caller's thread once all have finished.
#ifndef GOODWILL_DETAIL_PARALLEL_FOR_HPP
#define GOODWILL_DETAIL_PARALLEL_FOR_HPP

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace goodwill::detail {

/// Worker threads for a request (0: one per hardware thread).
[[nodiscard]] inline unsigned resolve_threads(unsigned threads) noexcept {
  return threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;
}

/// task(t) for t in [0, threads), concurrently; rethrows the first failure.
template <class Task> void run_on_threads(unsigned threads, const Task &task) {
  if (threads <= 1) {
    task(0u);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t)
      pool.emplace_back([&, t] {
        try {
          task(t);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    try {
      task(0u);
    } catch (...) {
      errors[0] = std::current_exception();
    }
  } // joins
  for (auto &e : errors)
    if (e)
      std::rethrow_exception(e);
}

} // namespace goodwill::detail

#endif // GOODWILL_DETAIL_PARALLEL_FOR_HPP
