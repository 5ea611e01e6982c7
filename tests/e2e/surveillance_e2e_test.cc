// Surveillance against the running exchange (issue 7): alerts raised live into
// DATA_DIR/alerts/, and ccx-replay proving from the journal that the replay reproduces
// everything that was sent, byte for byte.
#include <cstdlib>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/e2e/exchange_process.h"

using namespace ccx;
using namespace ccx::test;

TEST_CASE("the exchange raises alerts live and ccx-replay verifies the day", "[e2e][surveillance]") {
  ExchangeProcess ex;
  {
    Trader a(ex, "PART01", "part01"), b(ex, "PART02", "part02");
    REQUIRE(a.Enter(MakeEnter("B1", 'B', 100, "JCRE", 3010, false)) == 0);
    REQUIRE(a.Enter(MakeEnter("S1", 'S', 50, "JCRE", 3000, false)) == 0);  // its own other side
    REQUIRE(b.Enter(MakeEnter("S2", 'S', 50, "JCRE", 3000, false)) == 0);
  }
  ex.ClockTo("2026-11-20T11:30:00");
  const auto alert = ex.dir() / "alerts" / "20261120-1130-JCRE-wash_trade-PART01.json";
  for (int i = 0; i < 300 && !std::filesystem::exists(alert); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(std::filesystem::exists(alert));
  std::ifstream in(alert);
  const auto j = nlohmann::json::parse(in);
  CHECK(j.dump().find("PART01") != std::string::npos);
  // No other participant did anything suspicious.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(ex.dir() / "alerts")) files += e.path().extension() == ".json";
  CHECK(files == 1);
  ex.Stop(SIGTERM);
  const std::string dir = ex.dir().string();
  CHECK(std::system((Bin("ccx-replay") + " --data-dir " + dir + " --verify > " + dir + "/verify.txt 2>&1").c_str()) == 0);
  std::ifstream v(dir + "/verify.txt");
  const std::string verify((std::istreambuf_iterator<char>(v)), std::istreambuf_iterator<char>());
  INFO(verify);
  CHECK(verify.find("OK:") != std::string::npos);
  // A tampered output record in the middle of the file is caught (a damaged last record
  // reads as the tail a crash can leave, and is not compared).
  const auto out = ex.dir() / "output" / "20261120.out";
  REQUIRE(std::filesystem::exists(out));
  {
    std::fstream f(out, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    const auto size = static_cast<std::streamoff>(f.tellg());
    f.seekg(size / 2);
    const char c = static_cast<char>(f.get());
    f.seekp(size / 2);
    f.put(static_cast<char>(c ^ 0x5a));
  }
  CHECK(std::system((Bin("ccx-replay") + " --data-dir " + dir + " --verify > /dev/null 2>&1").c_str()) != 0);
}
