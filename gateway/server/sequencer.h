// Sequencer: the engine role of ccx-exchange. Whoever runs it owns the ExchangeCore
// (books, streams, feed, registry) and the journal; it is single-writer: one thread at a
// time, under the engine lock. The gateway thread hands it inputs through a preallocated
// SPSC ring (InputRecord); for each input the sequencer stamps the time, appends it to the
// journal and applies it to the core; after each batch it makes the journal durable (group
// commit in `batch` mode), releases the messages the batch produced and tells the gateway
// and the market-data publisher (callbacks). The day schedule (phases, auctions, held-back
// NOIIs, settlements) enters the same way: when the clock says something is due, the
// sequencer journals and applies a kClock input.
//
// Who runs it (EngineMode):
//   kDedicated  only the engine thread: the gateway pushes and wakes it (futex), the
//               engine thread answers by waking the gateway. Two thread hand-offs per
//               message: best when each thread has a core of its own.
//   kCombining  (default) the gateway thread, right after pushing what it read, takes the
//               engine lock if it is free and drains the ring itself (no hand-off); the
//               engine thread drains whatever is left whenever the gateway did not, and
//               runs the clock. On a 2-core machine a thread wake-up costs more than the
//               work, so this halves the round trip (docs/PERFORMANCE.md).
#pragma once

#include <atomic>
#include <cstdlib>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "gateway/core/exchange_core.h"
#include "gateway/journal/journal.h"
#include "gateway/ring/spsc_ring.h"
#include "gateway/server/clock.h"
#include "gateway/server/engine_mode.h"

namespace ccx {

class Sequencer;

/// One ring slot: an OUCH message from a logged-in participant, or a task for the engine
/// thread (operator commands; rare, heap-allocated).
struct InputRecord {
  enum Kind : uint8_t { kOuch = 0, kTask = 1 };
  Kind kind = kOuch;
  uint8_t length = 0;
  uint32_t participant = 0;
  std::function<void(Sequencer&)>* task = nullptr;  ///< kTask: owned by the record
  uint8_t message[ouch::kMaxMessageSize] = {};
};

/// What the sending threads may read: the current and previous day's OUCH streams and feed.
struct PublishedDays {
  std::shared_ptr<const DayStreams> streams;
  std::shared_ptr<const DayStreams> previous_streams;
  std::shared_ptr<const FeedDay> feed;
  std::shared_ptr<const FeedDay> previous_feed;
  std::shared_ptr<const MmDayReport> market_makers;  ///< today's compliance so far
};

class Sequencer {
 public:
  struct Callbacks {
    /// New messages were released; `by_gateway`: the gateway thread ran the batch (and
    /// sends the results itself right after).
    std::function<void(bool by_gateway)> released;
    std::function<void(const std::string&)> fatal;  ///< the journal failed: stop acknowledging
    /// The registry's change batches of a flushed batch (for the SQLite mirror).
    std::function<void(std::vector<settlement::ChangeBatch>)> ledger;
    /// Each record as it is journaled (engine thread; must not block).
    std::function<void(uint16_t type, uint64_t seq, Timestamp time, std::span<const uint8_t> payload)> journaled;
  };

  /// `core` and `journal` must outlive the sequencer; both are used only by its thread
  /// once Start() is called.
  Sequencer(ExchangeCore* core, JournalWriter* journal, ExchangeClock clock, Callbacks cb,
            EngineMode mode = EngineMode::kCombining, size_t ring_capacity = 1 << 16);
  ~Sequencer();

  /// Starts the engine thread.
  void Start();
  /// Asks the thread to finish the inputs it has and stop; joins it.
  void Stop();

  /// Gateway thread only: queues an OUCH message of `participant`. False if the ring is
  /// full (the caller retries; nothing was queued).
  bool SubmitOuch(uint32_t participant, std::span<const uint8_t> message);
  /// Gateway thread only: runs `task` in the engine role (blocks while the ring is full).
  void Post(std::function<void(Sequencer&)> task);
  /// Gateway thread only (kCombining): if the engine lock is free, drains the ring here and
  /// now (journal appends and the core) without the group commit; true if inputs wait for
  /// FlushHere. The gateway reads every ready session first, then flushes once for all.
  bool RunHere();
  /// Gateway thread only: the group commit of what RunHere appended (sync, release); true
  /// if it released something (then send the results). False if the engine thread holds
  /// the lock: it flushes them itself.
  bool FlushHere();
  EngineMode mode() const { return mode_; }

  // --- for tasks, in the engine role ---
  /// Journals and applies one input now; false after a journal failure.
  bool Submit(InputKind kind, std::span<const uint8_t> payload);
  /// Runs the schedule up to the clock (journals a kClock input when something is due).
  void Tick();
  /// Syncs the journal (batch mode), releases messages and notifies. Done after each batch.
  void Flush() { Flush(false); }
  ExchangeCore& core() { return *core_; }
  ExchangeClock& clock() { return clock_; }
  const JournalWriter& journal() const { return *journal_; }

  /// Any thread: the released days (see PublishedDays).
  PublishedDays published() const {
    std::lock_guard<std::mutex> l(mu_);
    return published_;
  }
  /// Inputs refused because the ring was full (gateway retried them).
  uint64_t ring_full_count() const { return ring_full_.load(std::memory_order_relaxed); }

 private:
  void Run();
  /// Runs (and frees) the task of a kTask record.
  void RunTask(InputRecord& r);
  /// In the engine role: drains the ring, ticks the clock, flushes.
  bool RunBatch(bool by_gateway, bool flush);
  void Flush(bool by_gateway);
  bool TryLock() { return !engine_lock_.exchange(true, std::memory_order_acquire); }
  void Lock() {
    while (!TryLock()) std::this_thread::yield();
  }
  void Unlock() { engine_lock_.store(false, std::memory_order_release); }

  ExchangeCore* core_;
  JournalWriter* journal_;
  ExchangeClock clock_;
  Callbacks cb_;
  SpscRing<InputRecord> ring_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  bool failed_ = false;
  bool pending_ = false;  // inputs applied since the last Flush
  mutable std::mutex mu_;
  PublishedDays published_;
  std::atomic<uint64_t> ring_full_{0};
  EngineMode mode_;
  std::atomic<bool> engine_lock_{false};  // held by whoever runs the engine role
  std::vector<InputRecord> batch_;        // engine role's scratch
  int spin_ = std::getenv("CCX_SPIN") ? std::atoi(std::getenv("CCX_SPIN")) : 2000;
};

}  // namespace ccx
