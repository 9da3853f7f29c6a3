// Tests for goodwill/interrupt.hpp: a stop asked for while a computation
// runs ends it with goodwill::interrupted on the caller's thread, from the
// workers too; without one, nothing changes; scopes nest and end.
#include <goodwill/detail/ordered_blocks.hpp>
#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/interrupt.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using goodwill::detail::for_each_piece;
using goodwill::detail::run_on_threads;

BOOST_AUTO_TEST_SUITE(interrupt)

namespace {
bool read_flag(void *flag) {
  return static_cast<std::atomic<bool> *>(flag)->load();
}
} // namespace

BOOST_AUTO_TEST_CASE(no_scope_no_effect) {
  goodwill::check_interrupt(); // nothing installed: returns
  std::atomic<int> runs{0};
  for_each_piece(2, 100, [&](std::size_t) { runs.fetch_add(1); });
  BOOST_TEST(runs.load() == 100);
}

BOOST_AUTO_TEST_CASE(a_stop_ends_the_pieces_on_every_thread) {
  for (const unsigned threads : {1u, 2u, 4u}) {
    std::atomic<bool> stop{false};
    std::atomic<int> started{0};
    goodwill::interrupt_scope scope(&read_flag, &stop, std::chrono::milliseconds(0));
    // the caller's poll sets the flag once 10 pieces have started; later
    // pieces do not start, on the caller's thread or on the workers
    BOOST_CHECK_THROW(for_each_piece(threads, 10000,
                                     [&](std::size_t) {
                                       if (started.fetch_add(1) == 10)
                                         stop.store(true);
                                       std::this_thread::sleep_for(std::chrono::microseconds(50));
                                     }),
                      goodwill::interrupted);
    BOOST_TEST(scope.stop_requested());
    BOOST_TEST(started.load() < 10000);
  }
  goodwill::check_interrupt(); // the scope ended with its block
}

BOOST_AUTO_TEST_CASE(workers_see_a_stop_asked_from_another_thread) {
  // a scope whose poll never says stop; request_stop() from a third thread
  std::atomic<bool> never{false};
  goodwill::interrupt_scope scope(&read_flag, &never);
  std::atomic<int> started{0};
  std::jthread stopper([&] {
    while (started.load() < 5)
      std::this_thread::yield();
    scope.request_stop();
  });
  BOOST_CHECK_THROW(goodwill::detail::run_ordered_blocks<int>(
                        100000, 2,
                        [&](std::size_t, int &slot, unsigned) {
                          started.fetch_add(1);
                          slot = 1;
                          std::this_thread::sleep_for(std::chrono::microseconds(20));
                        },
                        [](std::size_t, int &slot) { slot = 0; }),
                    goodwill::interrupted);
  BOOST_TEST(started.load() < 100000);
}

BOOST_AUTO_TEST_CASE(poll_runs_on_the_owner_only_and_at_most_once_per_interval) {
  struct counter {
    std::thread::id owner = std::this_thread::get_id();
    std::atomic<int> calls{0};
    std::atomic<int> foreign{0};
  } c;
  auto poll = [](void *p) {
    auto *k = static_cast<counter *>(p);
    k->calls.fetch_add(1);
    if (std::this_thread::get_id() != k->owner)
      k->foreign.fetch_add(1);
    return false;
  };
  {
    goodwill::interrupt_scope scope(poll, &c, std::chrono::hours(1));
    run_on_threads(3, [](unsigned) {
      for (int i = 0; i < 1000; ++i)
        goodwill::check_interrupt();
    });
  }
  BOOST_TEST(c.calls.load() == 1); // the first check polls; the next is an hour away
  BOOST_TEST(c.foreign.load() == 0);
}

BOOST_AUTO_TEST_CASE(scopes_nest) {
  std::atomic<bool> outer_stop{false}, inner_stop{true};
  goodwill::interrupt_scope outer(&read_flag, &outer_stop, std::chrono::milliseconds(0));
  {
    goodwill::interrupt_scope inner(&read_flag, &inner_stop, std::chrono::milliseconds(0));
    BOOST_CHECK_THROW(goodwill::check_interrupt(), goodwill::interrupted);
  }
  goodwill::check_interrupt(); // the outer scope applies again: no stop
  outer_stop.store(true);
  BOOST_CHECK_THROW(goodwill::check_interrupt(), goodwill::interrupted);
  // an interrupted is a goodwill::error
  try {
    goodwill::check_interrupt();
  } catch (const goodwill::error &e) {
    BOOST_TEST(std::string(e.what()).find("interrupted") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
