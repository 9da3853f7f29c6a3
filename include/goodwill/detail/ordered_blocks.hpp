// goodwill — detail: blocks made in parallel, committed in order.
//
// Design: the market generator and the policy simulator cut their customers
// into fixed blocks; each block is made independently (on any worker) into a
// slot, then committed (appended to the ledger, its metrics kept) strictly in
// block order, so the output is the same for any number of threads. A ring of
// 2 × threads slots bounds memory: a worker waits before starting a block
// that would overrun the oldest uncommitted one. Whoever finds the next block
// in line ready commits it (and the ready ones after it), outside the lock;
// the others keep making blocks meanwhile. The first exception stops every
// worker and is rethrown by the caller's thread.
#ifndef GOODWILL_DETAIL_ORDERED_BLOCKS_HPP
#define GOODWILL_DETAIL_ORDERED_BLOCKS_HPP

#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace goodwill::detail {

/// make(b, slot, worker) for b in [0, nblocks) on up to `threads` workers
/// (worker in [0, threads)); commit(b, slot) in block order, one at a time.
/// A slot is reused once committed: commit leaves it ready for the next block.
template <class Slot, class Make, class Commit>
void run_ordered_blocks(std::size_t nblocks, unsigned threads, Make make, Commit commit) {
  if (nblocks == 0)
    return;
  threads = static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, nblocks));
  const std::size_t window = 2 * static_cast<std::size_t>(threads);
  std::vector<Slot> slots(window);
  std::vector<char> ready(window, 0);
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t next_block = 0, committed = 0;
  bool committing = false, failed = false;
  std::exception_ptr error;

  auto fail = [&](std::unique_lock<std::mutex> &lock) { // in a catch block, lock released
    lock.lock();
    if (!failed)
      error = std::current_exception();
    failed = true;
    cv.notify_all();
  };
  auto worker = [&](unsigned id) {
    std::unique_lock lock(mutex);
    for (;;) {
      cv.wait(lock,
              [&] { return failed || next_block >= nblocks || next_block < committed + window; });
      if (failed || next_block >= nblocks)
        return;
      const std::size_t b = next_block++;
      lock.unlock();
      try {
        check_interrupt(); // each block is a break point (interrupt.hpp)
        make(b, slots[b % window], id);
      } catch (...) {
        fail(lock);
        return;
      }
      lock.lock();
      ready[b % window] = 1;
      if (committing)
        continue; // the committing worker will take it
      committing = true;
      while (!failed && committed < nblocks && ready[committed % window]) {
        auto &s = slots[committed % window];
        lock.unlock();
        try {
          commit(committed, s);
        } catch (...) {
          fail(lock);
          break;
        }
        lock.lock();
        ready[committed % window] = 0;
        ++committed;
        cv.notify_all();
      }
      committing = false;
      cv.notify_all();
    }
  };
  // a thread the OS refuses to start is an error once the others are
  // joined (they take every block between them meanwhile)
  run_on_threads(threads, worker);
  if (error)
    std::rethrow_exception(error);
  if (committed != nblocks)
    throw goodwill::error("run_ordered_blocks: internal error, blocks were lost");
}

} // namespace goodwill::detail

#endif // GOODWILL_DETAIL_ORDERED_BLOCKS_HPP
