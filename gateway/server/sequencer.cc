#include "gateway/server/sequencer.h"

#include <algorithm>
#include <cstring>

namespace ccx {

Sequencer::Sequencer(ExchangeCore* core, JournalWriter* journal, ExchangeClock clock,
                     Callbacks cb, EngineMode mode, size_t ring_capacity)
    : core_(core), journal_(journal), clock_(clock), cb_(std::move(cb)), ring_(ring_capacity),
      mode_(mode), batch_(256) {}

Sequencer::~Sequencer() { Stop(); }

void Sequencer::Start() {
  Flush();  // publish what the journal replay rebuilt
  thread_ = std::thread([this] { Run(); });
}

void Sequencer::Stop() {
  if (!thread_.joinable()) return;
  stop_.store(true);
  ring_.Wake();
  thread_.join();
}

bool Sequencer::SubmitOuch(uint32_t participant, std::span<const uint8_t> message) {
  InputRecord r;
  r.kind = InputRecord::kOuch;
  r.participant = participant;
  r.length = static_cast<uint8_t>(std::min(message.size(), sizeof r.message));
  std::memcpy(r.message, message.data(), r.length);
  // Combining: no wake-up; the gateway runs the batch itself (RunHere) or the engine thread
  // finds it when it releases the engine lock.
  if (mode_ == EngineMode::kCombining ? ring_.TryPushQuiet(r) : ring_.TryPush(r)) return true;
  ring_full_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void Sequencer::Post(std::function<void(Sequencer&)> task) {
  InputRecord r;
  r.kind = InputRecord::kTask;
  r.task = new std::function<void(Sequencer&)>(std::move(task));
  while (!ring_.TryPush(r)) std::this_thread::yield();
}

bool Sequencer::RunHere() {
  if (!TryLock()) return false;  // the engine thread is at it: it will see our records
  RunBatch(/*by_gateway=*/true, /*flush=*/false);
  const bool waiting = pending_;
  Unlock();
  return waiting;
}

bool Sequencer::FlushHere() {
  if (!TryLock()) return false;
  const bool flushed = pending_;
  if (pending_) Flush(/*by_gateway=*/true);
  Unlock();
  return flushed;
}

bool Sequencer::Submit(InputKind kind, std::span<const uint8_t> payload) {
  if (failed_) return false;
  const Timestamp now = clock_.Now();
  auto seq = journal_->Append(static_cast<uint16_t>(kind), now, {payload.data(), payload.size()});
  if (!seq.ok()) {
    failed_ = true;
    if (cb_.fatal) cb_.fatal(std::string(seq.status().message()));
    return false;
  }
  core_->Apply(kind, now, payload, *seq);
  if (cb_.journaled) cb_.journaled(static_cast<uint16_t>(kind), *seq, now, payload);
  pending_ = true;
  return true;
}

void Sequencer::Tick() {
  if (!failed_ && core_->ClockDue(clock_.Now())) Submit(InputKind::kClock, {});
}

void Sequencer::Flush(bool by_gateway) {
  if (pending_ && !failed_) {
    // Group commit: nothing leaves before the journal holds its cause.
    if (auto st = journal_->Sync(); !st.ok()) {
      failed_ = true;
      if (cb_.fatal) cb_.fatal(std::string(st.message()));
      return;
    }
  }
  pending_ = false;
  core_->Release();
  if (cb_.ledger) {
    auto changes = core_->registry().TakeChanges();
    if (!changes.empty()) cb_.ledger(std::move(changes));
  }
  {
    const OrderEntry& oe = core_->order_entry();
    std::lock_guard<std::mutex> l(mu_);
    published_.streams = oe.day_streams();
    published_.previous_streams = oe.previous_day_streams();
    published_.feed = core_->feed().day();
    published_.previous_feed = core_->feed().previous_day();
    published_.market_makers = core_->market_makers().report();
  }
  if (cb_.released) cb_.released(by_gateway);
}

void Sequencer::RunTask(InputRecord& r) {
  std::unique_ptr<std::function<void(Sequencer&)>> task(r.task);
  r.task = nullptr;
  (*task)(*this);
}

bool Sequencer::RunBatch(bool by_gateway, bool flush) {
  OuchInput in;
  bool any = false;
  for (;;) {
    const size_t n = ring_.PopBatch(batch_.data(), batch_.size());
    if (n == 0) break;
    any = true;
    for (size_t i = 0; i < n; ++i) {
      InputRecord& r = batch_[i];
      if (r.kind == InputRecord::kTask) {
        RunTask(r);
        continue;
      }
      in.participant = r.participant;
      in.length = r.length;
      std::memcpy(in.message, r.message, r.length);
      Submit(InputKind::kOuch, {reinterpret_cast<const uint8_t*>(&in), sizeof in});
    }
    if (n < batch_.size()) break;
  }
  Tick();
  if (pending_ && flush) {
    Flush(by_gateway);
    return true;
  }
  return any;
}

void Sequencer::Run() {
  while (!stop_.load(std::memory_order_relaxed)) {
    if (!TryLock()) {  // the gateway is running the engine role: nothing to do here
      ring_.Wait(0, 1'000'000);
      continue;
    }
    RunBatch(/*by_gateway=*/false, /*flush=*/true);
    Unlock();
    // Release the lock before looking at the ring: a gateway that pushed and found the lock
    // taken relies on this look (the fence orders our unlock before it, Dekker-style with
    // the gateway's push and locked exchange).
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (!ring_.Empty()) continue;
    // Dedicated: spin briefly, then sleep until woken. Combining: nobody wakes us; sleep a
    // little (the clock and leftovers are ours, the gateway runs its own messages).
    ring_.Wait(mode_ == EngineMode::kDedicated ? spin_ : 0, mode_ == EngineMode::kDedicated ? 2'000'000 : 1'000'000);
  }
  // Drain what is left (tasks may wait for answers), then the final flush.
  Lock();
  for (;;) {
    const size_t n = ring_.PopBatch(batch_.data(), batch_.size());
    if (n == 0) break;
    for (size_t i = 0; i < n; ++i) {
      if (batch_[i].kind == InputRecord::kTask) RunTask(batch_[i]);  // unjournaled OUCH is dropped
    }
  }
  if (pending_) Flush();
  Unlock();
}

}  // namespace ccx
