// goodwill — interrupting a long computation.
//
// Design: a caller that can be interrupted (the Python bindings: Ctrl-C in a
// notebook; a C++ application's cancel button) installs an interrupt_scope
// on its thread for the duration of a call, with a poll function that says
// whether to stop. Long loops call check_interrupt() at natural break points
// — between the pieces of a replay, the blocks of a simulation or market,
// the passes of a fit, the sessions of a batch — and the dispatchers in
// detail/parallel_for.hpp and detail/ordered_blocks.hpp call it for them, so
// most algorithms need no call of their own. The poll runs only on the thread
// that installed the scope (Python's signal check needs that thread and the
// GIL), at most once per interval (a clock read per check otherwise); worker
// threads started by run_on_threads inherit the scope and see its stop flag.
// A stop throws goodwill::interrupted on every thread that checks; the
// dispatchers stop handing out work and rethrow it on the caller's thread,
// which the Python bindings turn into KeyboardInterrupt. Without a scope,
// check_interrupt() is one thread-local load.
#ifndef GOODWILL_INTERRUPT_HPP
#define GOODWILL_INTERRUPT_HPP

#include <goodwill/error.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace goodwill {

namespace detail {

/// What an interrupt_scope shares with the threads of its call.
struct interrupt_state {
  bool (*poll)(void *) = nullptr;
  void *context = nullptr;
  std::thread::id owner;
  std::chrono::steady_clock::duration interval{};
  std::chrono::steady_clock::time_point next_poll{};
  std::atomic<bool> stop{false};
};

/// The scope of the call running on this thread (nullptr: none).
inline interrupt_state *&current_interrupt() noexcept {
  thread_local interrupt_state *current = nullptr;
  return current;
}

/// Installs `state` as this thread's scope for its lifetime (worker threads
/// of a call: the caller's scope), restoring the previous one after.
class interrupt_inherit {
public:
  explicit interrupt_inherit(interrupt_state *state) noexcept : previous_(current_interrupt()) {
    current_interrupt() = state;
  }
  ~interrupt_inherit() { current_interrupt() = previous_; }
  interrupt_inherit(const interrupt_inherit &) = delete;
  interrupt_inherit &operator=(const interrupt_inherit &) = delete;

private:
  interrupt_state *previous_;
};

} // namespace detail

/// Throws goodwill::interrupted if the call running on this thread was asked
/// to stop (see interrupt_scope); otherwise returns at once.
inline void check_interrupt() {
  detail::interrupt_state *s = detail::current_interrupt();
  if (s == nullptr)
    return;
  if (!s->stop.load(std::memory_order_relaxed) && s->poll != nullptr &&
      std::this_thread::get_id() == s->owner) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= s->next_poll) {
      s->next_poll = now + s->interval;
      if (s->poll(s->context))
        s->stop.store(true, std::memory_order_relaxed);
    }
  }
  if (s->stop.load(std::memory_order_relaxed))
    throw interrupted("interrupted: the computation was asked to stop");
}

/// Makes the computations called on this thread interruptible while it
/// lives: `poll(context)` returns true to stop them, and is called from
/// check_interrupt() on this thread at most once per `interval`. Scopes
/// nest (the inner one applies until it ends). Not copyable or movable.
///
/// \code
///   std::atomic<bool> cancel{false};
///   goodwill::interrupt_scope scope(
///       [](void *c) { return static_cast<std::atomic<bool> *>(c)->load(); }, &cancel);
///   auto r = goodwill::replay(model, ledger); // throws goodwill::interrupted once cancel is set
/// \endcode
class interrupt_scope {
public:
  interrupt_scope(bool (*poll)(void *), void *context,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(100))
      : inherit_(&state_) {
    state_.poll = poll;
    state_.context = context;
    state_.owner = std::this_thread::get_id();
    state_.interval = interval;
    state_.next_poll = std::chrono::steady_clock::now();
  }
  interrupt_scope(const interrupt_scope &) = delete;
  interrupt_scope &operator=(const interrupt_scope &) = delete;

  /// Ask the scope's computations to stop (from any thread).
  void request_stop() noexcept { state_.stop.store(true, std::memory_order_relaxed); }
  /// Whether a stop was asked for.
  [[nodiscard]] bool stop_requested() const noexcept {
    return state_.stop.load(std::memory_order_relaxed);
  }

private:
  detail::interrupt_state state_; // declared before inherit_: it outlives it
  detail::interrupt_inherit inherit_;
};

} // namespace goodwill

#endif // GOODWILL_INTERRUPT_HPP
