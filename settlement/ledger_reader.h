// LedgerReader: read-only queries of a data directory's ledger database (what ccx-registry
// prints when it reads SQLite directly: the exchange is not running, or for obligations,
// statements and audit always). Safe while the exchange writes (WAL: readers see the last
// committed batch). JSON answers on one line, ordered keys.
//
// Without the exchange there are no open orders, so "reserved" here is what unsettled
// trades hold: credits sold and cash owed for purchases, not yet settled.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"

namespace ccx::settlement {

class LedgerReader {
 public:
  /// Opens DATA_DIR/ledger.sqlite read-only; NotFound when there is none.
  static absl::StatusOr<std::unique_ptr<LedgerReader>> Open(const std::string& data_dir);
  ~LedgerReader();
  LedgerReader(const LedgerReader&) = delete;
  LedgerReader& operator=(const LedgerReader&) = delete;

  /// The participant id of `username`; NotFound with a clear message when unknown.
  absl::StatusOr<int64_t> Participant(const std::string& username) const;
  /// Category codes and programs by id.
  const std::vector<std::string>& category_codes() const { return codes_; }
  const std::vector<std::string>& category_programs() const { return programs_; }
  /// The journal sequence of the last change batch in the database.
  absl::StatusOr<int64_t> AppliedSeq() const;

  /// Same shape as Registry::HoldingsJson.
  absl::StatusOr<nlohmann::ordered_json> Holdings(const std::string& username) const;
  /// Same shape as Registry::CashJson.
  absl::StatusOr<nlohmann::ordered_json> Cash(const std::string& username) const;
  /// {"participant", "obligations": [{"settlement_date", "trade_dates", "credits": {CODE:
  /// {"bought", "sold", "net"}}, "cash": {"purchases", "sales", "net"}}], "fails": [...]}:
  /// unsettled trades netted per settlement date, and every recorded fail.
  absl::StatusOr<nlohmann::ordered_json> Obligations(const std::string& username) const;
  /// The list of the participant's statements ({"participant", "statements": [{"settlement_date",
  /// "json", "csv"}]} with file paths under `data_dir`), or with `date` the statement itself
  /// (JSON text, or CSV text when `csv`).
  absl::StatusOr<std::string> Statement(const std::string& username, absl::CivilDay date,
                                        bool csv) const;
  absl::StatusOr<nlohmann::ordered_json> StatementList(const std::string& username) const;
  /// The last `limit` audit rows (oldest first), of one participant when `username` is not
  /// empty: [{"id", "journal_seq", "time", "actor", "action", "participant", "detail", "reason"}].
  absl::StatusOr<nlohmann::ordered_json> Audit(const std::string& username, int64_t limit) const;

 private:
  LedgerReader() = default;

  sqlite3* db_ = nullptr;
  std::string data_dir_;
  std::vector<std::string> codes_;
  std::vector<std::string> programs_;
};

}  // namespace ccx::settlement
