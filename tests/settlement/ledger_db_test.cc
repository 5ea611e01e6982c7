// LedgerDb, the SQLite mirror: each batch in one transaction with its journal sequence,
// applied exactly once (a replay skips what is there), nothing of a batch whose transaction
// rolls back, reopen and continue; statements as rows and files; audit append-only.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "nlohmann/json.hpp"
#include "settlement/ledger_db.h"
#include "settlement/ledger_reader.h"
#include "tests/settlement/ledger_fixture.h"

using namespace ccx;
using namespace ccx::settlement;
using namespace ccx::settlement::testing;
using Json = nlohmann::ordered_json;

namespace {

int64_t Count(const std::string& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(LedgerPath(dir).c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const int64_t v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<LedgerDb> OpenDb(const TempDir& dir, const Registry& r) {
  auto db = LedgerDb::Open(dir.str(), Names(r), Programs());
  REQUIRE(db.ok());
  return *std::move(db);
}

}  // namespace

TEST_CASE("the mirror holds what the registry holds, to the serial and the yen",
          "[settlement][ledgerdb]") {
  TempDir dir;
  Registry r(Market(), Users(4), CheckOptions{});
  History(r);
  auto db = OpenDb(dir, r);
  CHECK(Mirror(r, *db) == 7);  // sequences 1–5, 8, 9 (6 and 7 settled nothing)
  CHECK(db->applied_seq() == 9);
  auto reader = LedgerReader::Open(dir.str());
  REQUIRE(reader.ok());
  for (ParticipantId p = 0; p < 4; ++p) {
    INFO(r.username(p));
    auto h = (*reader)->Holdings(r.username(p));
    REQUIRE(h.ok());
    CHECK(h->dump() == r.HoldingsJson(p));  // no open orders: identical
    auto c = (*reader)->Cash(r.username(p));
    REQUIRE(c.ok());
    CHECK(c->dump() == r.CashJson(p));
  }
  CHECK(r.CashBalance(0) == 165'150);
  CHECK(Count(dir.str(), "SELECT SUM(balance) FROM cash") == 2'000'000);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM trades WHERE settled = 1") == 2);
  CHECK(Count(dir.str(), "SELECT SUM(quantity) FROM blocks WHERE status = 'held'") == 75);
  CHECK(Count(dir.str(), "SELECT SUM(quantity) FROM blocks WHERE status = 'retired'") == 5);
  // Every serial in exactly one block: no two blocks of a project overlap.
  CHECK(Count(dir.str(),
              "SELECT COUNT(*) FROM blocks a JOIN blocks b ON a.id < b.id AND a.project = b.project "
              "AND a.first_serial <= b.last_serial AND b.first_serial <= a.last_serial") == 0);
}

TEST_CASE("a batch is applied once: the same batch again is skipped", "[settlement][ledgerdb]") {
  TempDir dir;
  Registry r(Market(), Users(4), CheckOptions{});
  History(r);
  const std::vector<ChangeBatch> batches = r.TakeChanges();
  auto db = OpenDb(dir, r);
  for (const ChangeBatch& b : batches) REQUIRE(*db->Apply(b));
  const int64_t audit = Count(dir.str(), "SELECT COUNT(*) FROM audit");
  CHECK(audit == 6);  // 4 deposits, 1 settlement, 1 retirement
  for (const ChangeBatch& b : batches) {
    absl::StatusOr<bool> again = db->Apply(b);
    REQUIRE(again.ok());
    CHECK_FALSE(*again);
  }
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM audit") == audit);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM fails") == 0);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM settlements") == 1);
}

TEST_CASE("a settlement whose transaction rolls back leaves nothing; the replay finishes it once",
          "[settlement][ledgerdb]") {
  TempDir dir;
  Registry before(Market(), Users(4), CheckOptions{});
  History(before, 7);  // everything up to the settlement
  auto db = OpenDb(dir, before);
  REQUIRE(Mirror(before, *db) == 5);

  // The exchange settles; the mirror's transaction fails just before COMMIT (a crash).
  Registry live(Market(), Users(4), CheckOptions{});
  live.set_record_changes(false);
  History(live, 7);
  live.set_record_changes(true);
  live.SettleDue(kSettleDay, At(kSettleDay, 9), 8);
  std::vector<ChangeBatch> settle = live.TakeChanges();
  REQUIRE(settle.size() == 1);
  db->FailNextCommitForTesting();
  REQUIRE_FALSE(db->Apply(settle[0]).ok());
  CHECK(db->applied_seq() == 7 - 2);  // still sequence 5
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM trades WHERE settled = 1") == 0);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM settlements") == 0);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM statements") == 0);
  CHECK(Count(dir.str(), "SELECT balance FROM cash WHERE participant = 2") == 1'000'000);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM blocks WHERE participant = 0") == 2);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM audit") == 4);
  db.reset();

  // Restart: reopen the ledger and replay the whole journal through a fresh registry; the
  // batches already there are skipped, the settlement and what follows are applied once.
  auto reopened = OpenDb(dir, before);
  CHECK(reopened->applied_seq() == 5);
  Registry replay(Market(), Users(4), CheckOptions{});
  History(replay);
  CHECK(Mirror(replay, *reopened) == 2);
  CHECK(reopened->applied_seq() == 9);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM trades WHERE settled = 1") == 2);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM settlements") == 1);
  CHECK(Count(dir.str(), "SELECT balance FROM cash WHERE participant = 2") == 880'000);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM audit WHERE action = 'settle'") == 1);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM audit") == 6);
  // Replaying once more changes nothing.
  Registry again(Market(), Users(4), CheckOptions{});
  History(again);
  CHECK(Mirror(again, *reopened) == 0);
  CHECK(Count(dir.str(), "SELECT COUNT(*) FROM audit") == 6);
}

TEST_CASE("statements per participant per settlement date, in JSON and CSV",
          "[settlement][ledgerdb]") {
  TempDir dir;
  Registry r(Market(), Users(4), CheckOptions{});
  History(r);
  auto db = OpenDb(dir, r);
  Mirror(r, *db);
  const std::string base = dir.str() + "/settlement/2026-05-13/";
  CHECK(std::filesystem::exists(base + "PART01.json"));
  CHECK_FALSE(std::filesystem::exists(base + "PART02.json"));  // no trades, no statement
  const Json p3 = Json::parse(ReadFile(base + "PART03.json"));
  CHECK(p3["participant"] == "PART03");
  CHECK(p3["settlement_date"] == "2026-05-13");
  CHECK(p3["settled_at"] == "2026-05-13T09:00:00.000");
  CHECK(p3["trade_dates"] == Json::array({"2026-05-01"}));
  CHECK(p3["credits"][0]["category"] == "JCRE");
  CHECK(p3["credits"][0]["bought"] == 40);
  CHECK(p3["credits"][0]["received"] == 40);
  CHECK(p3["cash"]["paid"] == 120'000);
  CHECK(p3["cash"]["balance_after"] == 880'000);
  REQUIRE(p3["blocks"].size() == 2);
  CHECK(p3["blocks"][0]["direction"] == "received");
  CHECK(p3["blocks"][0]["project"] == "JPN-RE-A");
  CHECK(p3["blocks"][0]["first"] == "1");
  CHECK(p3["blocks"][0]["last"] == "30");
  CHECK(p3["blocks"][1]["first"] == "101");
  CHECK(p3["blocks"][1]["last"] == "110");
  REQUIRE(p3["trades"].size() == 1);
  CHECK(p3["trades"][0]["side"] == "buy");
  CHECK(p3["trades"][0]["price"] == 3000);
  CHECK(p3["trades"][0]["match"] == 1);
  CHECK(p3["fails"].empty());
  CHECK(p3.dump().find("PART01") == std::string::npos);  // the counterparty stays anonymous

  const Json p1 = Json::parse(ReadFile(base + "PART01.json"));
  CHECK(p1["credits"][0]["delivered"] == 55);
  CHECK(p1["cash"]["received"] == 165'150);
  CHECK(p1["trades"].size() == 2);
  CHECK(p1["blocks"].size() == 3);  // A:1-30 and B:101-110 to one buyer, B:111-125 to another

  const std::string csv = ReadFile(base + "PART04.csv");
  CHECK_THAT(csv, Catch::StartsWith(kStatementCsvHeader));
  CHECK_THAT(csv, Catch::Contains("credits,2026-05-13,JCRE,receive,15,,,,,,,,,,bought 15 sold 0\n"));
  CHECK_THAT(csv, Catch::Contains("cash,2026-05-13,,pay,,,-45150,"));
  CHECK_THAT(csv, Catch::Contains("block,2026-05-13,JCRE,received,15,,,,,J-Credit,JPN-RE-B,2024,111,125,\n"));
  CHECK_THAT(csv, Catch::Contains("trade,2026-05-01,JCRE,buy,15,3010,45150,3,30,"));
  // The same statements are in the database.
  auto reader = LedgerReader::Open(dir.str());
  REQUIRE(reader.ok());
  auto s = (*reader)->Statement("PART04", kSettleDay, true);
  REQUIRE(s.ok());
  CHECK(*s == csv);
}

TEST_CASE("the audit table is append-only", "[settlement][ledgerdb]") {
  TempDir dir;
  Registry r(Market(), Users(4), CheckOptions{});
  History(r);
  auto db = OpenDb(dir, r);
  Mirror(r, *db);
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(LedgerPath(dir.str()).c_str(), &h) == SQLITE_OK);
  char* err = nullptr;
  CHECK(sqlite3_exec(h, "UPDATE audit SET actor = 'nobody'", nullptr, nullptr, &err) != SQLITE_OK);
  REQUIRE(err != nullptr);
  CHECK_THAT(std::string(err), Catch::Contains("append-only"));
  sqlite3_free(err);
  CHECK(sqlite3_exec(h, "DELETE FROM audit", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(h);
  auto reader = LedgerReader::Open(dir.str());
  REQUIRE(reader.ok());
  auto rows = (*reader)->Audit("PART03", 10);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[1]["action"] == "retire");
  CHECK((*rows)[1]["reason"] == "offsetting FY2025 emissions");
  CHECK((*rows)[1]["detail"] == "JCRE 5 t-CO2 J-Credit JPN-RE-B serials 101-105");
  CHECK((*rows)[1]["time"] == "2026-05-13T10:00:00.000");
}
