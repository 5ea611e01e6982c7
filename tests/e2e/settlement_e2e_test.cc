// Settlement end to end (issue 5): trades over OUCH on the real exchange, the simulated
// clock run to T+5 across Golden Week, holdings and cash checked to the yen and the serial;
// conservation; pre-trade rejects u/n over the wire; reservations released on cancel and
// expiry; retirement; kill -9 in the middle of a settlement run.
#include <cstdlib>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/e2e/exchange_process.h"

using namespace ccx;
using namespace ccx::test;
using nlohmann::json;

namespace {

// The shipped configuration with small, known deposits instead of the demo ones.
std::string TestConfig() {
  std::ifstream in(std::string(CCX_SOURCE_ROOT) + "/config/market.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto cut = text.find("\n[settlement]");
  REQUIRE(cut != std::string::npos);
  text = text.substr(0, cut + 1) + R"(
[settlement]
time = "09:00"

[[deposit]]
participants = ["PART01", "PART02", "PART03"]
cash = 10000000

[[deposit]]
participant = "PART02"
category = "JCRE"
quantity = 500
project = "JPN-RE-0001"
vintage = 2023
first_serial = 1000001

[[deposit]]
participant = "PART02"
category = "JCRE"
quantity = 300
project = "JPN-RE-0002"
vintage = 2024
first_serial = 5000001

[[deposit]]
participant = "PART03"
category = "JCRE"
quantity = 100
project = "JPN-RE-0003"
vintage = 2024
first_serial = 7000001
)";
  const auto path = std::filesystem::temp_directory_path() /
                    ("ccx-settle-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

struct Market {
  explicit Market(const std::string& start = "2026-05-01T08:59:00")
      : config(TestConfig()), ex(start, "batch", {"--config", config}) {}
  ~Market() { std::filesystem::remove(config); }
  json Holdings(const std::string& user) { return json::parse(ex.Admin("ledger-holdings " + user)); }
  json Cash(const std::string& user) { return json::parse(ex.Admin("ledger-cash " + user)); }
  std::string config;
  ExchangeProcess ex;
};

std::vector<std::tuple<std::string, uint64_t, uint64_t, std::string>> Blocks(const json& h, const char* cat) {
  std::vector<std::tuple<std::string, uint64_t, uint64_t, std::string>> out;
  for (const auto& b : h["categories"][cat]["blocks"]) {
    out.emplace_back(b["project"].get<std::string>(), std::stoull(b["first"].get<std::string>()),
                     std::stoull(b["last"].get<std::string>()), b["status"].get<std::string>());
  }
  return out;
}

using Block = std::tuple<std::string, uint64_t, uint64_t, std::string>;

// PART01 buys 600 JCRE from PART02 at the 11:30 auction of Friday 2026-05-01.
uint32_t TradeOnFriday(ExchangeProcess& ex) {
  Trader b(ex, "PART01", "part01"), s(ex, "PART02", "part02");
  REQUIRE(b.Enter(MakeEnter("B1", 'B', 600, "JCRE", 3000, false)) == 0);
  REQUIRE(s.Enter(MakeEnter("S1", 'S', 600, "JCRE", 2990, false)) == 0);
  ex.ClockTo("2026-05-01T11:30:00");
  const auto e = b.Expect<ouch::Executed>();
  CHECK(e.executed_shares == 600);
  return e.execution_price / ouch::kPriceScale;
}

}  // namespace

TEST_CASE("a Friday's trade settles on T+5 after Golden Week, to the yen and the serial", "[e2e][settlement]") {
  Market m;
  const uint32_t price = TradeOnFriday(m.ex);
  CHECK(price == 3000);
  const int64_t amount = int64_t{600} * price;
  // Before the settlement date: an unsettled purchase reserves the buyer's cash, the sale
  // the seller's credits; nothing has moved.
  CHECK(m.Cash("PART01")["balance"] == 10'000'000);
  CHECK(m.Cash("PART01")["reserved"] == amount);
  CHECK(m.Holdings("PART02")["categories"]["JCRE"]["reserved"] == 600);
  m.ex.ClockTo("2026-05-12T15:30:00");  // T+4: still nothing
  CHECK(m.Holdings("PART01")["categories"]["JCRE"]["blocks"].empty());
  // 2026-05-13 09:00: T+5 (May 4, 5, 6 are holidays).
  m.ex.ClockTo("2026-05-13T09:00:00");
  const json h1 = m.Holdings("PART01"), h2 = m.Holdings("PART02");
  CHECK(Blocks(h1, "JCRE") == std::vector<Block>{{"JPN-RE-0001", 1000001, 1000500, "held"},
                                                 {"JPN-RE-0002", 5000001, 5000100, "held"}});
  CHECK(Blocks(h2, "JCRE") == std::vector<Block>{{"JPN-RE-0002", 5000101, 5000300, "held"}});
  CHECK(h1["categories"]["JCRE"]["available"] == 600);
  CHECK(h2["categories"]["JCRE"]["available"] == 200);
  CHECK(h2["categories"]["JCRE"]["reserved"] == 0);
  CHECK(m.Cash("PART01")["balance"] == 10'000'000 - amount);
  CHECK(m.Cash("PART01")["reserved"] == 0);
  CHECK(m.Cash("PART02")["balance"] == 10'000'000 + amount);
  // Conservation: credits and cash only moved.
  int64_t credits = 0, cash = 0;
  for (const char* u : {"PART01", "PART02", "PART03"}) {
    credits += m.Holdings(u)["categories"]["JCRE"]["available"].get<int64_t>();
    cash += m.Cash(u)["balance"].get<int64_t>();
  }
  CHECK(credits == 900);
  CHECK(cash == 30'000'000);
  // Statements for both sides of the settlement date.
  const auto dir = m.ex.dir() / "settlement" / "2026-05-13";
  for (int i = 0; i < 500 && !std::filesystem::exists(dir / "PART02.json"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(std::filesystem::exists(dir / "PART01.json"));
  CHECK(std::filesystem::exists(dir / "PART01.csv"));
  CHECK(std::filesystem::exists(dir / "PART02.json"));
}

TEST_CASE("pre-trade rejects over the wire; reservations released on cancel and expiry", "[e2e][settlement]") {
  Market m;
  Trader b(m.ex, "PART01", "part01"), s(m.ex, "PART03", "part03");
  CHECK(s.Enter(MakeEnter("S1", 'S', 101, "JCRE", 3500, false)) == 'u');  // holds 100
  CHECK(s.Enter(MakeEnter("S2", 'S', 100, "JCRE", 3500, false)) == 0);
  CHECK(s.Enter(MakeEnter("S3", 'S', 1, "JCRE", 3500, false)) == 'u');  // all reserved
  CHECK(s.Enter(MakeEnter("S4", 'S', 1, "JCEE", 1700, false)) == 'u');  // none there
  ouch::CancelOrder x;
  x.token = ouch::MakeToken("S2");
  x.shares = 40;  // reduce to 40: 60 released
  REQUIRE(s.client.Send(x).ok());
  CHECK(s.Expect<ouch::Canceled>().decrement_shares == 60);
  CHECK(m.Holdings("PART03")["categories"]["JCRE"]["reserved"] == 40);
  CHECK(s.Enter(MakeEnter("S5", 'S', 60, "JCRE", 3500, false)) == 0);
  // Cash: 10,000,000 yen.
  CHECK(b.Enter(MakeEnter("B1", 'B', 4000, "JCRE", 3000, false)) == 'n');  // 12,000,000
  CHECK(b.Enter(MakeEnter("B2", 'B', 3000, "JCRE", 3000, false)) == 0);    // 9,000,000
  CHECK(b.Enter(MakeEnter("B3", 'B', 400, "JCRE", 3000, false)) == 'n');   // 1,200,000 > 1,000,000
  CHECK(b.Enter(MakeEnter("B4", 'B', 100, "JCRE", 2000, true)) == 0);      // AUCTION, 200,000
  CHECK(m.Cash("PART01")["reserved"] == 9'200'000);
  // A replace re-reserves at the new price and size.
  ouch::ReplaceOrder u;
  u.existing_token = ouch::MakeToken("B2");
  u.replacement_token = ouch::MakeToken("B2R");
  u.shares = 1000;
  u.price = 2900 * ouch::kPriceScale;
  u.tif = 99999;
  REQUIRE(b.client.Send(u).ok());
  (void)b.Expect<ouch::Replaced>();
  CHECK(m.Cash("PART01")["reserved"] == 2'900'000 + 200'000);
  // Nothing crosses (sells at 3500): the AUCTION order expires at 11:30, DAY orders at 15:00.
  m.ex.ClockTo("2026-05-01T11:30:00");
  CHECK(m.Cash("PART01")["reserved"] == 2'900'000);
  m.ex.ClockTo("2026-05-01T15:00:00");
  CHECK(m.Cash("PART01")["reserved"] == 0);
  CHECK(m.Holdings("PART03")["categories"]["JCRE"]["reserved"] == 0);
  CHECK(m.Holdings("PART03")["categories"]["JCRE"]["available"] == 100);
}

TEST_CASE("retired credits never move again", "[e2e][settlement]") {
  Market m;
  const std::string ok = m.ex.Admin("ledger retire PART03 JCRE 50 --purpose FY2026%20offset --actor tester");
  CHECK(ok.rfind("ok", 0) == 0);
  const json h = m.Holdings("PART03");
  CHECK(h["categories"]["JCRE"]["available"] == 50);
  bool seen_retired = false;
  for (const auto& [project, first, last, status] : Blocks(h, "JCRE")) {
    if (status == "retired") {
      seen_retired = true;
      CHECK(first == 7000001);
      CHECK(last == 7000050);
    }
  }
  CHECK(seen_retired);
  // Neither sold, withdrawn nor retired a second time.
  Trader s(m.ex, "PART03", "part03");
  CHECK(s.Enter(MakeEnter("S1", 'S', 51, "JCRE", 3000, false)) == 'u');
  CHECK(m.ex.Admin("ledger withdraw-credits PART03 JCRE 50 --project JPN-RE-0003 --serials 7000001-7000050")
            .rfind("error", 0) == 0);
  CHECK(m.ex.Admin("ledger retire PART03 JCRE 10 --project JPN-RE-0003 --serials 7000001-7000010 --purpose again")
            .rfind("error", 0) == 0);
  // A deposit of serials that were retired is refused too.
  CHECK(m.ex.Admin("ledger deposit-credits PART01 JCRE 5 J-Credit JPN-RE-0003 2024 7000001").rfind("error", 0) == 0);
}

TEST_CASE("kill -9 in the middle of a settlement run: the restart settles exactly once", "[e2e][settlement]") {
  Market m;
  const uint32_t price = TradeOnFriday(m.ex);
  const int64_t amount = int64_t{600} * price;
  m.ex.Stop(SIGTERM);
  // The settlement run dies before its SQLite transaction commits.
  ::setenv("CCX_TEST_KILL_AT_SETTLEMENT", "1", 1);
  m.ex.Start();
  ::unsetenv("CCX_TEST_KILL_AT_SETTLEMENT");
  (void)SendAdminCommand(m.ex.dir().string(), "clock 2026-05-13T09:00:00");
  for (int i = 0; i < 200 && m.ex.Alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  REQUIRE_FALSE(m.ex.Alive());
  m.ex.Stop(SIGKILL);  // reap
  m.ex.Start();        // replays the journal; the settlement batch reaches SQLite once
  CHECK(m.Cash("PART01")["balance"] == 10'000'000 - amount);
  CHECK(m.Cash("PART02")["balance"] == 10'000'000 + amount);
  // The SQLite mirror, read by ccx-registry with the exchange stopped.
  m.ex.Stop(SIGTERM);
  const std::string out = (m.ex.dir() / "registry.txt").string();
  const std::string cmd = Bin("ccx-registry") + " cash --data-dir " + m.ex.dir().string() +
                          " --participant PART01 --json > " + out;
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(out);
  const json c = json::parse(in);
  CHECK(c["balance"] == 10'000'000 - amount);
  const std::string cmd2 = Bin("ccx-registry") + " holdings --data-dir " + m.ex.dir().string() +
                           " --participant PART02 --json > " + out;
  REQUIRE(std::system(cmd2.c_str()) == 0);
  std::ifstream in2(out);
  const json h = json::parse(in2);
  CHECK(Blocks(h, "JCRE") == std::vector<Block>{{"JPN-RE-0002", 5000101, 5000300, "held"}});
}

TEST_CASE("a server started days after its journal rolls the days forward before it opens", "[e2e][settlement]") {
  Market m;
  {
    Trader b(m.ex, "PART01", "part01");
    REQUIRE(b.Enter(MakeEnter("LEFT", 'B', 10, "JCRE", 2000, false)) == 0);  // a DAY order
  }
  const uint32_t price = TradeOnFriday(m.ex);
  CHECK(m.Cash("PART01")["reserved"] == 600 * price + 20'000);
  m.ex.Stop(SIGKILL);
  // Down over Golden Week; started on Thursday 2026-05-14 at 08:30.
  m.ex.set_sim_start("2026-05-14T08:30:00");
  m.ex.Start();
  // The DAY order expired on 2026-05-01, and the settlement due on 2026-05-13 ran.
  CHECK(m.Cash("PART01")["reserved"] == 0);
  CHECK(m.Cash("PART01")["balance"] == 10'000'000 - int64_t{600} * price);
  CHECK(m.Holdings("PART01")["categories"]["JCRE"]["available"] == 600);
  const std::string st = m.ex.Admin("status");
  CHECK(st.find("session 20260514") != std::string::npos);
  CHECK(st.find("JCRE phase=T") != std::string::npos);  // open for business
  // The statements are written by the ledger's background thread.
  const auto statements = m.ex.dir() / "settlement" / "2026-05-13";
  for (int i = 0; i < 500 && !std::filesystem::exists(statements); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(std::filesystem::exists(statements));
}
