// Tests for goodwill/detail/parallel_for.hpp: every task or piece runs
// exactly once, whatever the thread count; failures reach the caller.
#include <goodwill/detail/parallel_for.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

using goodwill::detail::for_each_piece;
using goodwill::detail::run_on_threads;

BOOST_AUTO_TEST_SUITE(parallel_for)

BOOST_AUTO_TEST_CASE(each_task_runs_once) {
  for (const unsigned threads : {0u, 1u, 2u, 7u}) {
    const unsigned n = goodwill::detail::resolve_threads(threads);
    std::vector<std::atomic<int>> runs(n);
    run_on_threads(n, [&](unsigned t) { runs[t].fetch_add(1); });
    for (const auto &r : runs)
      BOOST_TEST(r.load() == 1);
  }
}

BOOST_AUTO_TEST_CASE(each_piece_runs_once) {
  for (const unsigned threads : {1u, 2u, 3u, 16u}) {
    for (const std::size_t pieces :
         {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{1000}}) {
      std::vector<std::atomic<int>> runs(pieces);
      for_each_piece(threads, pieces, [&](std::size_t i) { runs[i].fetch_add(1); });
      for (const auto &r : runs)
        BOOST_TEST_REQUIRE(r.load() == 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(failures_reach_the_caller) {
  // one failing piece: its error is rethrown, pieces before it all ran
  for (const unsigned threads : {1u, 2u, 4u}) {
    std::atomic<int> ran{0};
    BOOST_CHECK_EXCEPTION(for_each_piece(threads, 50,
                                         [&](std::size_t i) {
                                           if (i == 20)
                                             throw std::runtime_error("piece 20");
                                           ran.fetch_add(1);
                                         }),
                          std::runtime_error, [](const std::runtime_error &e) {
                            return std::string(e.what()) == "piece 20";
                          });
    BOOST_TEST(ran.load() >= 20); // pieces are taken in order; a taken piece runs to its end
    BOOST_TEST(ran.load() <= 49);
  }
  // two failing pieces on one thread: the lowest is the one reported
  BOOST_CHECK_EXCEPTION(run_on_threads(3,
                                       [](unsigned t) {
                                         if (t >= 1)
                                           throw std::runtime_error("task " + std::to_string(t));
                                       }),
                        std::runtime_error, [](const std::runtime_error &e) {
                          return std::string(e.what()) == "task 1";
                        });
}

BOOST_AUTO_TEST_CASE(thread_counts_are_bounded) {
  using goodwill::detail::max_threads;
  using goodwill::detail::resolve_threads;
  BOOST_TEST(resolve_threads(0) >= 1u);
  BOOST_TEST(resolve_threads(0) <= max_threads);
  BOOST_TEST(resolve_threads(max_threads) == max_threads);
  for (const unsigned bad : {max_threads + 1, 1000u, 0xFFFFFFFFu}) {
    try {
      (void)resolve_threads(bad);
      BOOST_FAIL("accepted " << bad << " threads");
    } catch (const goodwill::invalid_input &e) {
      BOOST_TEST(e.field() == "threads");
      BOOST_TEST(std::string(e.what()).find(std::to_string(bad)) != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_thread_that_cannot_start_is_a_named_error) {
  // the OS refuses the 4th thread: the 3 started finish their tasks and are
  // joined, task 0 does not run, and the error names the thread
  for (const int budget : {0, 3}) {
    std::vector<std::atomic<int>> runs(8);
    goodwill::detail::thread_start_budget_for_tests = budget;
    try {
      run_on_threads(8, [&](unsigned t) { runs[t].fetch_add(1); });
      BOOST_FAIL("no error");
    } catch (const goodwill::error &e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("could not start thread " + std::to_string(budget + 2) + " of 8") !=
                 std::string::npos);
      BOOST_TEST(what.find("the " + std::to_string(budget) + " started were joined") !=
                 std::string::npos);
    }
    goodwill::detail::thread_start_budget_for_tests = -1;
    for (int t = 0; t < 8; ++t)
      BOOST_TEST(runs[static_cast<std::size_t>(t)].load() == (t >= 1 && t <= budget ? 1 : 0));
  }
  // for_each_piece reports it the same way
  goodwill::detail::thread_start_budget_for_tests = 1;
  BOOST_CHECK_THROW(for_each_piece(4, 100, [](std::size_t) {}), goodwill::error);
  goodwill::detail::thread_start_budget_for_tests = -1;
  for_each_piece(4, 100, [](std::size_t) {}); // and works again
}

BOOST_AUTO_TEST_SUITE_END()
