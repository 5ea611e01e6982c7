// LedgerDb: the durable mirror of the Registry in SQLite (DATA_DIR/ledger.sqlite, WAL mode)
// plus the settlement statements as files (DATA_DIR/settlement/DATE/USERNAME.{json,csv}).
// It applies the Registry's change batches, each in ONE transaction together with the
// `applied_seq` marker, and skips a batch whose journal sequence is not above the marker.
// So a crash leaves each batch (a whole settlement date included) either applied or not,
// and replaying the journal after a restart applies every batch exactly once.
//
// Written off the engine thread: one LedgerDb per data directory, used by one thread.
// Readers (ccx-registry) open the same file concurrently (WAL); see LedgerReader.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "settlement/ledger_changes.h"
#include "settlement/sqlite_util.h"
#include "settlement/statement.h"

namespace ccx::settlement {

/// DATA_DIR/ledger.sqlite
std::string LedgerPath(const std::string& data_dir);
/// DATA_DIR/settlement
std::string StatementDir(const std::string& data_dir);

class LedgerDb {
 public:
  /// Opens or creates the ledger of `data_dir` (created if missing), sets WAL mode, a busy
  /// timeout and the schema, and records the participants and categories of `names`
  /// (`programs` = each category's credit program) so that readers need no configuration.
  static absl::StatusOr<std::unique_ptr<LedgerDb>> Open(const std::string& data_dir,
                                                        const StatementNames& names,
                                                        const std::vector<std::string>& programs);
  ~LedgerDb();
  LedgerDb(const LedgerDb&) = delete;
  LedgerDb& operator=(const LedgerDb&) = delete;

  /// Applies `batch` in one transaction (and writes the statements of its settlements):
  /// true when applied, false when skipped because batch.journal_seq <= applied_seq().
  /// On an error nothing of the batch is in the database.
  absl::StatusOr<bool> Apply(const ChangeBatch& batch);

  /// The journal sequence of the last batch applied (0 for a new ledger).
  uint64_t applied_seq() const { return applied_seq_; }

  /// Test hook: make the next Apply fail just before its COMMIT (and roll back), as a crash
  /// in the middle of a settlement would.
  void FailNextCommitForTesting() { fail_next_commit_ = true; }

 private:
  LedgerDb() = default;
  absl::Status Init(const StatementNames& names, const std::vector<std::string>& programs);
  absl::Status ApplyRows(const ChangeBatch& batch);
  absl::Status ApplySettlement(const SettlementReport& r, uint64_t seq);

  sqlite3* db_ = nullptr;
  std::string data_dir_;
  StatementNames names_;
  uint64_t applied_seq_ = 0;
  bool fail_next_commit_ = false;
  sql::Stmt upsert_block_, delete_block_, upsert_cash_, insert_trade_, settle_trades_,
      insert_settlement_, insert_fail_, upsert_statement_, insert_audit_, set_applied_;
};

}  // namespace ccx::settlement
