#include "settlement/ledger_db.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "engine/calendar/calendar.h"
#include "engine/market/schedule.h"
#include "fmt/format.h"

namespace ccx::settlement {
namespace {

#define CCX_SQL_TRY(expr)                                 \
  do {                                                    \
    if (absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

// Schema version 1. `audit` is append-only (triggers refuse UPDATE and DELETE).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', 1), ('applied_seq', 0);
CREATE TABLE IF NOT EXISTS participants(id INTEGER PRIMARY KEY, username TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS categories(id INTEGER PRIMARY KEY, code TEXT NOT NULL,
  program TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks(id INTEGER PRIMARY KEY, participant INTEGER NOT NULL,
  category INTEGER NOT NULL, program TEXT NOT NULL, project TEXT NOT NULL,
  vintage INTEGER NOT NULL, first_serial INTEGER NOT NULL, last_serial INTEGER NOT NULL,
  quantity INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('held', 'retired')),
  acquired INTEGER NOT NULL, acquired_at INTEGER NOT NULL, purpose TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS blocks_by_owner ON blocks(participant, category, status, acquired);
CREATE TABLE IF NOT EXISTS cash(participant INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS trades(trade_no INTEGER PRIMARY KEY, trade_date TEXT NOT NULL,
  settlement_date TEXT NOT NULL, time INTEGER NOT NULL, category INTEGER NOT NULL,
  buyer INTEGER NOT NULL, seller INTEGER NOT NULL, quantity INTEGER NOT NULL,
  price INTEGER NOT NULL, amount INTEGER NOT NULL, buy_match INTEGER NOT NULL,
  sell_match INTEGER NOT NULL, buy_ref INTEGER NOT NULL, sell_ref INTEGER NOT NULL,
  settled INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS trades_by_settlement ON trades(settlement_date, settled);
CREATE TABLE IF NOT EXISTS settlements(settlement_date TEXT PRIMARY KEY,
  settled_at INTEGER NOT NULL, journal_seq INTEGER NOT NULL, trades INTEGER NOT NULL,
  participants INTEGER NOT NULL, moves INTEGER NOT NULL, fails INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS fails(id INTEGER PRIMARY KEY AUTOINCREMENT,
  settlement_date TEXT NOT NULL, participant INTEGER NOT NULL, category INTEGER,
  kind TEXT NOT NULL, shortfall INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS statements(participant INTEGER NOT NULL,
  settlement_date TEXT NOT NULL, json TEXT NOT NULL, csv TEXT NOT NULL,
  PRIMARY KEY (participant, settlement_date));
CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY AUTOINCREMENT,
  journal_seq INTEGER NOT NULL, time INTEGER NOT NULL, time_text TEXT NOT NULL,
  actor TEXT NOT NULL, action TEXT NOT NULL, participant TEXT NOT NULL,
  detail TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
)sql";

// Writes `text` to `path` through a temporary file and a rename (never a torn file).
absl::Status WriteFileAtomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return absl::InternalError(fmt::format("{}: cannot write", tmp.string()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return absl::InternalError(fmt::format("{}: cannot rename: {}", path.string(), ec.message()));
  return absl::OkStatus();
}

}  // namespace

std::string LedgerPath(const std::string& data_dir) { return data_dir + "/ledger.sqlite"; }
std::string StatementDir(const std::string& data_dir) { return data_dir + "/settlement"; }

absl::StatusOr<std::unique_ptr<LedgerDb>> LedgerDb::Open(const std::string& data_dir,
                                                         const StatementNames& names,
                                                         const std::vector<std::string>& programs) {
  std::error_code ec;
  std::filesystem::create_directories(StatementDir(data_dir), ec);
  if (ec) {
    return absl::InternalError(
        fmt::format("{}: cannot create: {}", StatementDir(data_dir), ec.message()));
  }
  std::unique_ptr<LedgerDb> db(new LedgerDb());
  db->data_dir_ = data_dir;
  db->names_ = names;
  const std::string path = LedgerPath(data_dir);
  if (sqlite3_open_v2(path.c_str(), &db->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    return sql::Error(db->db_, "open " + path);
  }
  CCX_SQL_TRY(db->Init(names, programs));
  return db;
}

LedgerDb::~LedgerDb() {
  // Statements first (their destructors finalize), then the connection.
  upsert_block_ = sql::Stmt();
  delete_block_ = sql::Stmt();
  upsert_cash_ = sql::Stmt();
  insert_trade_ = sql::Stmt();
  settle_trades_ = sql::Stmt();
  insert_settlement_ = sql::Stmt();
  insert_fail_ = sql::Stmt();
  upsert_statement_ = sql::Stmt();
  insert_audit_ = sql::Stmt();
  set_applied_ = sql::Stmt();
  sqlite3_close_v2(db_);
}

absl::Status LedgerDb::Init(const StatementNames& names, const std::vector<std::string>& programs) {
  sqlite3_busy_timeout(db_, 10'000);
  CCX_SQL_TRY(sql::Exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"));
  CCX_SQL_TRY(sql::Exec(db_, "BEGIN IMMEDIATE"));
  CCX_SQL_TRY(sql::Exec(db_, kSchema));
  sql::Stmt s;
  CCX_SQL_TRY(s.Prepare(db_, "INSERT OR REPLACE INTO participants(id, username) VALUES (?, ?)"));
  for (size_t i = 0; i < names.usernames.size(); ++i) {
    CCX_SQL_TRY(s.Bind(1, static_cast<int64_t>(i)).Bind(2, names.usernames[i]).Run());
  }
  CCX_SQL_TRY(s.Prepare(db_, "INSERT OR REPLACE INTO categories(id, code, program) VALUES (?, ?, ?)"));
  for (size_t i = 0; i < names.categories.size(); ++i) {
    CCX_SQL_TRY(s.Bind(1, static_cast<int64_t>(i))
                    .Bind(2, names.categories[i])
                    .Bind(3, i < programs.size() ? programs[i] : std::string())
                    .Run());
  }
  CCX_SQL_TRY(s.Prepare(db_, "SELECT value FROM meta WHERE key = 'applied_seq'"));
  bool row = false;
  CCX_SQL_TRY(s.Step(&row));
  applied_seq_ = row ? static_cast<uint64_t>(s.Int(0)) : 0;
  s = sql::Stmt();
  CCX_SQL_TRY(sql::Exec(db_, "COMMIT"));

  CCX_SQL_TRY(upsert_block_.Prepare(
      db_,
      "INSERT OR REPLACE INTO blocks(id, participant, category, program, project, vintage, "
      "first_serial, last_serial, quantity, status, acquired, acquired_at, purpose) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  CCX_SQL_TRY(delete_block_.Prepare(db_, "DELETE FROM blocks WHERE id = ?"));
  CCX_SQL_TRY(upsert_cash_.Prepare(db_, "INSERT OR REPLACE INTO cash(participant, balance) VALUES (?, ?)"));
  CCX_SQL_TRY(insert_trade_.Prepare(
      db_,
      "INSERT OR REPLACE INTO trades(trade_no, trade_date, settlement_date, time, category, "
      "buyer, seller, quantity, price, amount, buy_match, sell_match, buy_ref, sell_ref, "
      "settled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"));
  CCX_SQL_TRY(settle_trades_.Prepare(
      db_, "UPDATE trades SET settled = 1 WHERE settlement_date = ? AND settled = 0"));
  CCX_SQL_TRY(insert_settlement_.Prepare(
      db_,
      "INSERT OR REPLACE INTO settlements(settlement_date, settled_at, journal_seq, trades, "
      "participants, moves, fails) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  CCX_SQL_TRY(insert_fail_.Prepare(
      db_,
      "INSERT INTO fails(settlement_date, participant, category, kind, shortfall) "
      "VALUES (?, ?, ?, ?, ?)"));
  CCX_SQL_TRY(upsert_statement_.Prepare(
      db_,
      "INSERT OR REPLACE INTO statements(participant, settlement_date, json, csv) "
      "VALUES (?, ?, ?, ?)"));
  CCX_SQL_TRY(insert_audit_.Prepare(
      db_,
      "INSERT INTO audit(journal_seq, time, time_text, actor, action, participant, detail, "
      "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  CCX_SQL_TRY(set_applied_.Prepare(db_, "UPDATE meta SET value = ? WHERE key = 'applied_seq'"));
  return absl::OkStatus();
}

absl::StatusOr<bool> LedgerDb::Apply(const ChangeBatch& batch) {
  if (batch.journal_seq <= applied_seq_) return false;
  CCX_SQL_TRY(sql::Exec(db_, "BEGIN IMMEDIATE"));
  absl::Status st = ApplyRows(batch);
  if (st.ok()) st = set_applied_.Bind(1, static_cast<int64_t>(batch.journal_seq)).Run();
  if (st.ok() && fail_next_commit_) {
    fail_next_commit_ = false;
    st = absl::InternalError("ledger database: simulated failure before commit");
  }
  if (st.ok()) st = sql::Exec(db_, "COMMIT");
  if (!st.ok()) {
    (void)sql::Exec(db_, "ROLLBACK");
    return st;
  }
  applied_seq_ = batch.journal_seq;
  return true;
}

absl::Status LedgerDb::ApplyRows(const ChangeBatch& b) {
  for (const TradeRecord& t : b.trades) {
    CCX_SQL_TRY(insert_trade_.Bind(1, static_cast<int64_t>(t.trade_no))
                    .Bind(2, FormatIsoDate(t.trade_date))
                    .Bind(3, FormatIsoDate(t.settlement_date))
                    .Bind(4, t.time)
                    .Bind(5, t.category)
                    .Bind(6, t.buyer)
                    .Bind(7, t.seller)
                    .Bind(8, t.qty)
                    .Bind(9, t.price)
                    .Bind(10, t.amount())
                    .Bind(11, static_cast<int64_t>(t.buy_match))
                    .Bind(12, static_cast<int64_t>(t.sell_match))
                    .Bind(13, static_cast<int64_t>(t.buy_ref))
                    .Bind(14, static_cast<int64_t>(t.sell_ref))
                    .Run());
  }
  for (const BlockRow& r : b.blocks) {
    CCX_SQL_TRY(upsert_block_.Bind(1, r.id)
                    .Bind(2, r.owner)
                    .Bind(3, r.category)
                    .Bind(4, r.program)
                    .Bind(5, r.project)
                    .Bind(6, r.vintage)
                    .Bind(7, static_cast<int64_t>(r.first))
                    .Bind(8, static_cast<int64_t>(r.last))
                    .Bind(9, r.quantity())
                    .Bind(10, r.retired ? "retired" : "held")
                    .Bind(11, static_cast<int64_t>(r.acquired))
                    .Bind(12, r.acquired_at)
                    .Bind(13, r.purpose)
                    .Run());
  }
  for (uint32_t id : b.deleted_blocks) CCX_SQL_TRY(delete_block_.Bind(1, id).Run());
  for (const auto& [p, balance] : b.cash) CCX_SQL_TRY(upsert_cash_.Bind(1, p).Bind(2, balance).Run());
  for (const SettlementReport& r : b.settlements) CCX_SQL_TRY(ApplySettlement(r, b.journal_seq));
  for (const AuditRow& a : b.audit) {
    CCX_SQL_TRY(insert_audit_.Bind(1, static_cast<int64_t>(b.journal_seq))
                    .Bind(2, a.time)
                    .Bind(3, FormatLocalDateTime(a.time, names_.utc_offset_minutes))
                    .Bind(4, a.actor)
                    .Bind(5, a.action)
                    .Bind(6, a.participant)
                    .Bind(7, a.detail)
                    .Bind(8, a.reason)
                    .Run());
  }
  return absl::OkStatus();
}

absl::Status LedgerDb::ApplySettlement(const SettlementReport& r, uint64_t seq) {
  const std::string date = FormatIsoDate(r.date);
  CCX_SQL_TRY(settle_trades_.Bind(1, date).Run());
  CCX_SQL_TRY(insert_settlement_.Bind(1, date)
                  .Bind(2, r.time)
                  .Bind(3, static_cast<int64_t>(seq))
                  .Bind(4, static_cast<int64_t>(r.trades.size()))
                  .Bind(5, static_cast<int64_t>(r.participants.size()))
                  .Bind(6, static_cast<int64_t>(r.moves.size()))
                  .Bind(7, static_cast<int64_t>(r.fails.size()))
                  .Run());
  for (const SettlementFail& f : r.fails) {
    insert_fail_.Bind(1, date).Bind(2, f.participant).Bind(4, ToString(f.kind)).Bind(5, f.shortfall);
    if (f.category == SettlementFail::kNoCategoryId) {
      insert_fail_.BindNull(3);
    } else {
      insert_fail_.Bind(3, f.category);
    }
    CCX_SQL_TRY(insert_fail_.Run());
  }
  // Statements: rows in the transaction; files written before the commit, through a rename,
  // with deterministic content (a replay after a crash rewrites the same bytes).
  const std::filesystem::path root(StatementDir(data_dir_));
  const std::filesystem::path dir = root / date;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  for (const Statement& s : RenderStatements(r, names_)) {
    const std::string& user = names_.usernames[s.participant];
    CCX_SQL_TRY(upsert_statement_.Bind(1, s.participant).Bind(2, date).Bind(3, s.json).Bind(4, s.csv).Run());
    const std::string base = (root / StatementRelativePath(r.date, user)).string();
    CCX_SQL_TRY(WriteFileAtomically(base + ".json", s.json));
    CCX_SQL_TRY(WriteFileAtomically(base + ".csv", s.csv));
  }
  return absl::OkStatus();
}

#undef CCX_SQL_TRY

}  // namespace ccx::settlement
