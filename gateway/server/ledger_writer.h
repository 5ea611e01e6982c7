// LedgerWriter: the thread that keeps DATA_DIR/ledger.sqlite (settlement::LedgerDb) in step
// with the in-memory registry. The engine thread hands it the registry's change batches
// after each group commit; it applies each batch in one SQLite transaction with its journal
// sequence as the `applied_seq` marker, so a crash leaves a batch (a whole settlement date
// included) applied or not, and the journal replay at the next start re-applies exactly
// the batches the database lacks. SQLite is never touched on the order path.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "settlement/ledger_db.h"

namespace ccx {

class LedgerWriter {
 public:
  /// Takes over `db`; `log` reports errors (called on the writer thread).
  LedgerWriter(std::unique_ptr<settlement::LedgerDb> db, std::function<void(const std::string&)> log);
  ~LedgerWriter();

  /// The marker of the database when it was opened: batches at or below it are skipped.
  uint64_t applied_seq_at_open() const { return applied_at_open_; }
  /// Any thread: queues batches (in journal order) for the writer thread.
  void Enqueue(std::vector<settlement::ChangeBatch> batches);
  /// Waits until everything queued so far is in the database.
  void Drain();
  /// Applies what is queued, then stops the thread.
  void Stop();

 private:
  void Run();

  std::unique_ptr<settlement::LedgerDb> db_;
  std::function<void(const std::string&)> log_;
  uint64_t applied_at_open_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<settlement::ChangeBatch> queue_;
  bool busy_ = false;
  bool stop_ = false;
  bool failed_ = false;
  std::thread thread_;
};

}  // namespace ccx
