// A session recorded by the real ccx-exchange (participants over SoupBinTCP/OUCH, a crash
// and restart in the middle, the exchange's own DATA_DIR/output record) replays byte for
// byte under `ccx-replay --verify`, and its spoofing raises exactly that alert.
#include <catch2/catch.hpp>

#include <cstdio>

#include "nlohmann/json.hpp"
#include "tests/e2e/exchange_process.h"

using namespace ccx;
using namespace ccx::test;

namespace {

struct Output {
  int status = -1;
  std::string text;
};

Output Replay(const ExchangeProcess& ex, const std::string& args) {
  const std::string cmd = Bin("ccx-replay") + " --config " + std::string(CCX_SOURCE_ROOT) +
                          "/config/market.toml --data-dir " + ex.dir().string() + " " + args + " 2>&1";
  Output o;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.text.append(buf, n);
  const int st = ::pclose(p);
  o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}

}  // namespace

TEST_CASE("a session recorded by ccx-exchange verifies byte for byte and raises its alert",
          "[surveillance][exchange]") {
  ExchangeProcess ex;  // Friday 2026-11-20 08:59, frozen simulated clock
  ex.ClockTo("2026-11-20T09:00:00");
  {
    Trader p1(ex, "PART01", "part01"), p2(ex, "PART02", "part02"), p3(ex, "PART03", "part03");
    REQUIRE(p1.Enter(MakeEnter("B1", 'B', 700, "JCRE", 3100, false)) == 0);
    REQUIRE(p2.Enter(MakeEnter("S1", 'S', 700, "JCRE", 2900, false)) == 0);
    REQUIRE(p3.Enter(MakeEnter("B2", 'B', 50, "JCRE", 3000, false)) == 0);
    CHECK(p3.Enter(MakeEnter("B2", 'B', 50, "JCRE", 3000, false)) == 'd');  // a reject, recorded too
  }
  ex.ClockTo("2026-11-20T11:26:00");
  {
    Trader p9(ex, "PART09", "part09");
    REQUIRE(p9.Enter(MakeEnter("SP1", 'S', 5000, "JCRE", 2900, false)) == 0);
    ex.ClockTo("2026-11-20T11:29:00");
    ouch::CancelOrder x;
    x.token = ouch::MakeToken("SP1");
    REQUIRE(p9.client.Send(x).ok());
    p9.Expect<ouch::Canceled>();
  }
  ex.ClockTo("2026-11-20T11:30:01");  // the auction: 700 t at 3019
  ex.Restart();                       // kill -9, then the journal is replayed on start
  ex.ClockTo("2026-11-20T15:00:01");
  {
    Trader p1(ex, "PART01", "part01", 1);  // replays its whole stream from message 1
    (void)p1.Next();
  }
  ex.Stop(SIGTERM);

  const Output verify = Replay(ex, "--verify");
  INFO(verify.text);
  CHECK(verify.status == 0);
  CHECK(verify.text.find("OK: ") != std::string::npos);
  CHECK(verify.text.find("DIFFERENCE") == std::string::npos);

  const Output alerts = Replay(ex, "--alerts --format json");
  INFO(alerts.text);
  REQUIRE(alerts.status == 0);
  const auto j = nlohmann::json::parse(alerts.text);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["id"] == "20261120-1130-JCRE-spoofing-PART09");
  CHECK(j[0]["auction"]["price"] == 3019);
  CHECK(j[0]["evidence"]["orders"][0]["entry_effect"]["after"]["price"] == 2900);
}
