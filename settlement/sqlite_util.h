// Internal to settlement/: a thin RAII layer over the SQLite C API (Debian's libsqlite3) for
// LedgerDb and LedgerReader. Prepared statements bound by position; errors become
// absl::Status with SQLite's message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace ccx::settlement::sql {

inline absl::Status Error(sqlite3* db, std::string_view what) {
  return absl::InternalError(fmt::format("ledger database: {}: {}", what,
                                         db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

/// Runs one or more SQL statements without results.
inline absl::Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return absl::InternalError(fmt::format("ledger database: {}: {}", sql, msg));
  }
  return absl::OkStatus();
}

/// A prepared statement; Bind* by 1-based position, Step, then Reset to reuse.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(s_, o.s_);
    return *this;
  }
  ~Stmt() { sqlite3_finalize(s_); }

  absl::Status Prepare(sqlite3* db, const char* sql) {
    db_ = db;
    sqlite3_finalize(s_);
    s_ = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) {
      return Error(db, fmt::format("prepare \"{}\"", sql));
    }
    return absl::OkStatus();
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  /// SQLITE_ROW or SQLITE_DONE as OK values of *row; an error otherwise.
  absl::Status Step(bool* row = nullptr) {
    const int rc = sqlite3_step(s_);
    if (row != nullptr) *row = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error(db_, "step");
    return absl::OkStatus();
  }
  /// Step to completion, then reset for the next use.
  absl::Status Run() {
    absl::Status st = Step();
    Reset();
    return st;
  }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    const auto* p = sqlite3_column_text(s_, col);
    return p != nullptr ? std::string(reinterpret_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(s_, col)))
                        : std::string();
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

}  // namespace ccx::settlement::sql
