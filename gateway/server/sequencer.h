// Sequencer: the engine thread of ccx-exchange. It alone owns the ExchangeCore (books,
// streams, feed) and the journal. The gateway thread hands it inputs through a
// preallocated SPSC ring (InputRecord); for each input the sequencer stamps the time,
// appends it to the journal and applies it to the core; after each batch it makes the
// journal durable (group commit in `batch` mode), releases the messages the batch produced
// and tells the gateway and the market-data publisher (callbacks). The day schedule
// (phases, auctions, held-back NOIIs) enters the same way: when the clock says something
// is due, the sequencer journals and applies a kClock input.
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
    std::function<void()> released;                 ///< new messages were released
    std::function<void(const std::string&)> fatal;  ///< the journal failed: stop acknowledging
    /// The registry's change batches of a flushed batch (for the SQLite mirror).
    std::function<void(std::vector<settlement::ChangeBatch>)> ledger;
    /// Each record as it is journaled (engine thread; must not block).
    std::function<void(uint16_t type, uint64_t seq, Timestamp time, std::span<const uint8_t> payload)> journaled;
  };

  /// `core` and `journal` must outlive the sequencer; both are used only by its thread
  /// once Start() is called.
  Sequencer(ExchangeCore* core, JournalWriter* journal, ExchangeClock clock, Callbacks cb,
            size_t ring_capacity = 1 << 16);
  ~Sequencer();

  /// Starts the engine thread.
  void Start();
  /// Asks the thread to finish the inputs it has and stop; joins it.
  void Stop();

  /// Gateway thread only: queues an OUCH message of `participant`. False if the ring is
  /// full (the caller retries; nothing was queued).
  bool SubmitOuch(uint32_t participant, std::span<const uint8_t> message);
  /// Gateway thread only: runs `task` on the engine thread (blocks while the ring is full).
  void Post(std::function<void(Sequencer&)> task);

  // --- for tasks, on the engine thread ---
  /// Journals and applies one input now; false after a journal failure.
  bool Submit(InputKind kind, std::span<const uint8_t> payload);
  /// Runs the schedule up to the clock (journals a kClock input when something is due).
  void Tick();
  /// Syncs the journal (batch mode), releases messages and notifies. Done after each batch.
  void Flush();
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
  int spin_ = std::getenv("CCX_SPIN") ? std::atoi(std::getenv("CCX_SPIN")) : 2000;
};

}  // namespace ccx
