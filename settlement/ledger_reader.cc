#include "settlement/ledger_reader.h"

#include <filesystem>
#include <map>

#include "engine/calendar/calendar.h"
#include "fmt/format.h"
#include "settlement/ledger_db.h"
#include "settlement/sqlite_util.h"

namespace ccx::settlement {
namespace {

#define CCX_READ_TRY(expr)                                \
  do {                                                    \
    if (absl::Status _st = (expr); !_st.ok()) return _st; \
  } while (0)

using Json = nlohmann::ordered_json;

}  // namespace

absl::StatusOr<std::unique_ptr<LedgerReader>> LedgerReader::Open(const std::string& data_dir) {
  const std::string path = LedgerPath(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return absl::NotFoundError(fmt::format(
        "no ledger database at {} (has ccx-exchange run with --data-dir {}?)", path, data_dir));
  }
  std::unique_ptr<LedgerReader> r(new LedgerReader());
  r->data_dir_ = data_dir;
  if (sqlite3_open_v2(path.c_str(), &r->db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return sql::Error(r->db_, "open " + path);
  }
  sqlite3_busy_timeout(r->db_, 10'000);
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(r->db_, "SELECT code, program FROM categories ORDER BY id"));
  for (bool row = true;;) {
    CCX_READ_TRY(s.Step(&row));
    if (!row) break;
    r->codes_.push_back(s.Text(0));
    r->programs_.push_back(s.Text(1));
  }
  return r;
}

LedgerReader::~LedgerReader() { sqlite3_close_v2(db_); }

absl::StatusOr<int64_t> LedgerReader::Participant(const std::string& username) const {
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(db_, "SELECT id FROM participants WHERE username = ?"));
  s.Bind(1, username);
  bool row = false;
  CCX_READ_TRY(s.Step(&row));
  if (!row) return absl::NotFoundError(fmt::format("unknown participant \"{}\"", username));
  return s.Int(0);
}

absl::StatusOr<int64_t> LedgerReader::AppliedSeq() const {
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(db_, "SELECT value FROM meta WHERE key = 'applied_seq'"));
  bool row = false;
  CCX_READ_TRY(s.Step(&row));
  return row ? s.Int(0) : 0;
}

absl::StatusOr<Json> LedgerReader::Holdings(const std::string& username) const {
  absl::StatusOr<int64_t> p = Participant(username);
  if (!p.ok()) return p.status();
  Json j;
  j["participant"] = username;
  j["categories"] = Json::object();
  sql::Stmt blocks, sold;
  CCX_READ_TRY(blocks.Prepare(
      db_,
      "SELECT program, project, vintage, first_serial, last_serial, quantity, status FROM blocks "
      "WHERE participant = ? AND category = ? ORDER BY status = 'retired', acquired, first_serial"));
  CCX_READ_TRY(sold.Prepare(db_,
                            "SELECT COALESCE(SUM(quantity), 0) FROM trades WHERE seller = ? AND "
                            "category = ? AND settled = 0"));
  for (size_t c = 0; c < codes_.size(); ++c) {
    Json cat;
    int64_t held = 0;
    Json list = Json::array();
    blocks.Bind(1, *p).Bind(2, static_cast<int64_t>(c));
    for (bool row = true;;) {
      CCX_READ_TRY(blocks.Step(&row));
      if (!row) break;
      const std::string status = blocks.Text(6);
      if (status == "held") held += blocks.Int(5);
      list.push_back({{"program", blocks.Text(0)},
                      {"project", blocks.Text(1)},
                      {"vintage", blocks.Int(2)},
                      {"first", std::to_string(blocks.Int(3))},
                      {"last", std::to_string(blocks.Int(4))},
                      {"quantity", blocks.Int(5)},
                      {"status", status}});
    }
    blocks.Reset();
    sold.Bind(1, *p).Bind(2, static_cast<int64_t>(c));
    CCX_READ_TRY(sold.Step());
    const int64_t reserved = sold.Int(0);
    sold.Reset();
    cat["available"] = held - reserved;
    cat["reserved"] = reserved;
    cat["blocks"] = std::move(list);
    j["categories"][codes_[c]] = std::move(cat);
  }
  return j;
}

absl::StatusOr<Json> LedgerReader::Cash(const std::string& username) const {
  absl::StatusOr<int64_t> p = Participant(username);
  if (!p.ok()) return p.status();
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(
      db_,
      "SELECT (SELECT COALESCE(MAX(balance), 0) FROM cash WHERE participant = ?1), "
      "(SELECT COALESCE(SUM(amount), 0) FROM trades WHERE buyer = ?1 AND settled = 0)"));
  s.Bind(1, *p);
  CCX_READ_TRY(s.Step());
  Json j;
  j["participant"] = username;
  j["balance"] = s.Int(0);
  j["reserved"] = s.Int(1);
  return j;
}

absl::StatusOr<Json> LedgerReader::Obligations(const std::string& username) const {
  absl::StatusOr<int64_t> p = Participant(username);
  if (!p.ok()) return p.status();
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(
      db_,
      "SELECT settlement_date, trade_date, category, buyer = ?1, seller = ?1, "
      "SUM(quantity), SUM(amount) FROM trades WHERE settled = 0 AND (buyer = ?1 OR seller = ?1) "
      "GROUP BY settlement_date, trade_date, category, buyer = ?1, seller = ?1 "
      "ORDER BY settlement_date, trade_date, category"));
  s.Bind(1, *p);
  struct Net {
    std::vector<std::string> trade_dates;
    std::map<int64_t, std::pair<int64_t, int64_t>> credits;  // category -> bought, sold
    int64_t purchases = 0, sales = 0;
  };
  std::map<std::string, Net> by_date;
  for (bool row = true;;) {
    CCX_READ_TRY(s.Step(&row));
    if (!row) break;
    Net& n = by_date[s.Text(0)];
    const std::string td = s.Text(1);
    if (n.trade_dates.empty() || n.trade_dates.back() != td) n.trade_dates.push_back(td);
    auto& [bought, sold] = n.credits[s.Int(2)];
    if (s.Int(3) != 0) {
      bought += s.Int(5);
      n.purchases += s.Int(6);
    }
    if (s.Int(4) != 0) {
      sold += s.Int(5);
      n.sales += s.Int(6);
    }
  }
  Json j;
  j["participant"] = username;
  j["obligations"] = Json::array();
  for (const auto& [date, n] : by_date) {
    Json o;
    o["settlement_date"] = date;
    o["trade_dates"] = n.trade_dates;
    o["credits"] = Json::object();
    for (const auto& [c, bs] : n.credits) {
      o["credits"][codes_.at(static_cast<size_t>(c))] = {
          {"bought", bs.first}, {"sold", bs.second}, {"net", bs.first - bs.second}};
    }
    o["cash"] = {{"purchases", n.purchases}, {"sales", n.sales}, {"net", n.sales - n.purchases}};
    j["obligations"].push_back(std::move(o));
  }
  sql::Stmt f;
  CCX_READ_TRY(f.Prepare(db_,
                         "SELECT settlement_date, kind, category, shortfall FROM fails WHERE "
                         "participant = ? ORDER BY id"));
  f.Bind(1, *p);
  j["fails"] = Json::array();
  for (bool row = true;;) {
    CCX_READ_TRY(f.Step(&row));
    if (!row) break;
    Json x;
    x["settlement_date"] = f.Text(0);
    x["kind"] = f.Text(1);
    x["category"] = f.IsNull(2) ? Json(nullptr) : Json(codes_.at(static_cast<size_t>(f.Int(2))));
    x["shortfall"] = f.Int(3);
    j["fails"].push_back(std::move(x));
  }
  return j;
}

absl::StatusOr<std::string> LedgerReader::Statement(const std::string& username,
                                                    absl::CivilDay date, bool csv) const {
  absl::StatusOr<int64_t> p = Participant(username);
  if (!p.ok()) return p.status();
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(db_, csv ? "SELECT csv FROM statements WHERE participant = ? AND settlement_date = ?"
                                  : "SELECT json FROM statements WHERE participant = ? AND settlement_date = ?"));
  s.Bind(1, *p).Bind(2, FormatIsoDate(date));
  bool row = false;
  CCX_READ_TRY(s.Step(&row));
  if (!row) {
    return absl::NotFoundError(fmt::format("{} has no statement for settlement date {}", username,
                                           FormatIsoDate(date)));
  }
  return s.Text(0);
}

absl::StatusOr<Json> LedgerReader::StatementList(const std::string& username) const {
  absl::StatusOr<int64_t> p = Participant(username);
  if (!p.ok()) return p.status();
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(db_,
                         "SELECT settlement_date FROM statements WHERE participant = ? "
                         "ORDER BY settlement_date"));
  s.Bind(1, *p);
  Json j;
  j["participant"] = username;
  j["statements"] = Json::array();
  for (bool row = true;;) {
    CCX_READ_TRY(s.Step(&row));
    if (!row) break;
    const std::string base = fmt::format("{}/{}/{}", StatementDir(data_dir_), s.Text(0), username);
    j["statements"].push_back(
        {{"settlement_date", s.Text(0)}, {"json", base + ".json"}, {"csv", base + ".csv"}});
  }
  return j;
}

absl::StatusOr<Json> LedgerReader::Audit(const std::string& username, int64_t limit) const {
  sql::Stmt s;
  CCX_READ_TRY(s.Prepare(
      db_,
      "SELECT * FROM (SELECT id, journal_seq, time_text, actor, action, participant, detail, "
      "reason FROM audit WHERE ?1 = '' OR participant = ?1 ORDER BY id DESC LIMIT ?2) "
      "ORDER BY id"));
  if (!username.empty()) {
    absl::StatusOr<int64_t> p = Participant(username);
    if (!p.ok()) return p.status();
  }
  s.Bind(1, username).Bind(2, limit);
  Json rows = Json::array();
  for (bool row = true;;) {
    CCX_READ_TRY(s.Step(&row));
    if (!row) break;
    rows.push_back({{"id", s.Int(0)},
                    {"journal_seq", s.Int(1)},
                    {"time", s.Text(2)},
                    {"actor", s.Text(3)},
                    {"action", s.Text(4)},
                    {"participant", s.Text(5)},
                    {"detail", s.Text(6)},
                    {"reason", s.Text(7)}});
  }
  return rows;
}

#undef CCX_READ_TRY

}  // namespace ccx::settlement
