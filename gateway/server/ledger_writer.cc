#include "gateway/server/ledger_writer.h"

#include <pthread.h>
#include <sched.h>

#include <cstdlib>

namespace ccx {

LedgerWriter::LedgerWriter(std::unique_ptr<settlement::LedgerDb> db,
                           std::function<void(const std::string&)> log)
    : db_(std::move(db)), log_(std::move(log)), applied_at_open_(db_->applied_seq()) {
  thread_ = std::thread([this] {
    // Background work (SCHED_IDLE): SQLite never competes with the order path for a core.
    sched_param sp{};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
    Run();
  });
}

LedgerWriter::~LedgerWriter() { Stop(); }

void LedgerWriter::Enqueue(std::vector<settlement::ChangeBatch> batches) {
  if (batches.empty()) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& b : batches) queue_.push_back(std::move(b));
  }
  cv_.notify_one();
}

void LedgerWriter::Drain() {
  std::unique_lock<std::mutex> l(mu_);
  idle_cv_.wait(l, [this] { return (queue_.empty() && !busy_) || failed_; });
}

void LedgerWriter::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void LedgerWriter::Run() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty() && stop_) break;
    settlement::ChangeBatch batch = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    l.unlock();
    if (!failed_) {
      // Test switch (tests/e2e/settlement_e2e_test.cc): die in the middle of the first
      // settlement's transaction, after its rows were written but before COMMIT.
      static const bool kill_at_settlement = std::getenv("CCX_TEST_KILL_AT_SETTLEMENT") != nullptr;
      if (kill_at_settlement && !batch.settlements.empty() && batch.journal_seq > applied_at_open_) {
        db_->FailNextCommitForTesting();
        (void)db_->Apply(batch);
        std::_Exit(137);
      }
      auto r = db_->Apply(batch);
      if (!r.ok()) {
        failed_ = true;  // the journal still has everything: the next start catches up
        log_("ledger database: " + std::string(r.status().message()) +
             " — SQLite mirror stopped; the journal keeps every change");
      }
    }
    l.lock();
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
  idle_cv_.notify_all();
}

}  // namespace ccx
