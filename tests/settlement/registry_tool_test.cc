// ccx-registry against a data directory whose exchange is not running: queries read the
// ledger database (built here through LedgerDb), changes are refused with a clear message.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "nlohmann/json.hpp"
#include "tests/settlement/ledger_fixture.h"

using namespace ccx;
using namespace ccx::settlement;
using namespace ccx::settlement::testing;
using Json = nlohmann::ordered_json;

namespace {

struct Run {
  int status = -1;
  std::string out;  // stdout and stderr
};

Run Tool(const std::string& args) {
  const std::string cmd = std::string(CCX_BIN_DIR) + "/ccx-registry " + args + " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// A data directory with the fixture's history (up to `upto` steps) in its ledger.
struct Ledger {
  TempDir dir;
  explicit Ledger(int upto = 99) {
    Registry r(Market(), Users(4), CheckOptions{});
    History(r, upto);
    auto db = LedgerDb::Open(dir.str(), Names(r), Programs());
    REQUIRE(db.ok());
    Mirror(r, **db);
  }
  std::string D() const { return "--data-dir " + dir.str(); }
};

}  // namespace

TEST_CASE("ccx-registry answers --help", "[settlement][tool]") {
  const Run r = Tool("--help");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("deposit-credits"));
  CHECK_THAT(r.out, Catch::Contains("--data-dir"));
  CHECK(Tool("").status == 2);
  CHECK(Tool("frobnicate --data-dir /tmp").status == 2);
}

TEST_CASE("ccx-registry holdings and cash from the ledger database", "[settlement][tool]") {
  Ledger l;
  Run r = Tool("holdings " + l.D() + " --participant PART03 --json");
  REQUIRE(r.status == 0);
  const Json h = Json::parse(r.out);
  CHECK(h["participant"] == "PART03");
  const Json& jcre = h["categories"]["JCRE"];
  CHECK(jcre["available"] == 35);
  CHECK(jcre["reserved"] == 0);
  REQUIRE(jcre["blocks"].size() == 3);
  CHECK(jcre["blocks"][0] == Json::parse(R"({"program":"J-Credit","project":"JPN-RE-A","vintage":2024,"first":"1","last":"30","quantity":30,"status":"held"})"));
  CHECK(jcre["blocks"][1]["first"] == "106");
  CHECK(jcre["blocks"][1]["last"] == "110");
  CHECK(jcre["blocks"][2]["status"] == "retired");
  CHECK(jcre["blocks"][2]["first"] == "101");

  r = Tool("cash " + l.D() + " --participant PART04 --json");
  REQUIRE(r.status == 0);
  CHECK(Json::parse(r.out) == Json::parse(R"({"participant":"PART04","balance":954850,"reserved":0})"));

  r = Tool("holdings " + l.D() + " --participant PART01");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("JCRE     available 25  reserved 0"));
  CHECK_THAT(r.out, Catch::Contains("held    J-Credit JPN-RE-B vintage 2024 serials 126-150 (25 t-CO2)"));
}

TEST_CASE("ccx-registry before settlement: unsettled trades hold credits and cash",
          "[settlement][tool]") {
  Ledger l(7);  // trades done, settlement not yet
  Run r = Tool("holdings " + l.D() + " --participant PART01 --json");
  REQUIRE(r.status == 0);
  CHECK(Json::parse(r.out)["categories"]["JCRE"]["available"] == 25);
  CHECK(Json::parse(r.out)["categories"]["JCRE"]["reserved"] == 55);
  r = Tool("cash " + l.D() + " --participant PART03 --json");
  CHECK(Json::parse(r.out)["reserved"] == 120'000);
  r = Tool("obligations " + l.D() + " --participant PART01 --json");
  REQUIRE(r.status == 0);
  const Json o = Json::parse(r.out);
  REQUIRE(o["obligations"].size() == 1);
  CHECK(o["obligations"][0]["settlement_date"] == "2026-05-13");
  CHECK(o["obligations"][0]["trade_dates"] == Json::array({"2026-05-01"}));
  CHECK(o["obligations"][0]["credits"]["JCRE"] == Json::parse(R"({"bought":0,"sold":55,"net":-55})"));
  CHECK(o["obligations"][0]["cash"]["net"] == 165'150);
  CHECK(o["fails"].empty());
  r = Tool("statements " + l.D() + " --participant PART01 --json");
  CHECK(Json::parse(r.out)["statements"].empty());
}

TEST_CASE("ccx-registry statements and audit", "[settlement][tool]") {
  Ledger l;
  Run r = Tool("obligations " + l.D() + " --participant PART01 --json");
  CHECK(Json::parse(r.out)["obligations"].empty());  // settled
  r = Tool("statements " + l.D() + " --participant PART04 --json");
  REQUIRE(r.status == 0);
  const Json list = Json::parse(r.out);
  REQUIRE(list["statements"].size() == 1);
  CHECK(list["statements"][0]["json"] == l.dir.str() + "/settlement/2026-05-13/PART04.json");
  r = Tool("statements " + l.D() + " --participant PART04 --date 2026-05-13");
  REQUIRE(r.status == 0);
  CHECK(Json::parse(r.out)["cash"]["paid"] == 45'150);
  r = Tool("statements " + l.D() + " --participant PART04 --date 2026-05-13 --csv");
  CHECK_THAT(r.out, Catch::StartsWith("record,date,category,side,quantity"));
  r = Tool("statements " + l.D() + " --participant PART04 --date 2026-05-14");
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("PART04 has no statement for settlement date 2026-05-14"));

  r = Tool("audit " + l.D() + " --json");
  REQUIRE(r.status == 0);
  const Json a = Json::parse(r.out);
  REQUIRE(a.size() == 6);
  CHECK(a[0]["action"] == "deposit-credits");
  CHECK(a[0]["actor"] == "test");
  CHECK(a[4]["action"] == "settle");
  CHECK(a[4]["actor"] == "exchange");
  r = Tool("audit " + l.D() + " --participant PART03 --limit 1");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("test retire PART03 JCRE 5 t-CO2 J-Credit JPN-RE-B serials 101-105 -- offsetting FY2025 emissions"));
}

TEST_CASE("ccx-registry refuses bad requests and changes while the exchange is down",
          "[settlement][tool]") {
  Ledger l;
  Run r = Tool("deposit-cash " + l.D() + " --participant PART01 --yen 1000");
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("the exchange is not running on " + l.dir.str() +
                                    ": start it; ledger changes are journaled by the exchange"));
  r = Tool("retire " + l.D() + " --participant PART01 --category JCRE --quantity 5");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("retire: --purpose is required"));
  r = Tool("deposit-credits " + l.D() + " --participant PART01 --category JCRE --quantity 5");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("--project is required"));
  r = Tool("holdings " + l.D() + " --participant NOBODY");
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains(R"(unknown participant "NOBODY")"));
  r = Tool("cash " + l.D());
  CHECK(r.status == 2);
  r = Tool("holdings --data-dir /nonexistent-ccx --participant PART01");
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("no ledger database at /nonexistent-ccx/ledger.sqlite"));
}
