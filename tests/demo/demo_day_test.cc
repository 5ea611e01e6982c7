// A shortened demo day (tools/demo.sh at a faster simulated clock, lunch skipped) against
// the real programs, and its results checked from the files it leaves: executions in at
// least five categories, every book empty after 15:00, the market makers' compliance
// computed, settlement on T+5 balanced (credits and cash conserved and moved as traded).
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>

#include "nlohmann/json.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json ReadJson(const fs::path& p) {
  INFO(p.string());
  REQUIRE(fs::exists(p));
  return Json::parse(Read(p));
}

}  // namespace

TEST_CASE("a shortened demo day trades, expires, measures and settles", "[demo-day]") {
  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("ccx-demo-test-" + std::to_string(rd()));
  const fs::path result = dir / "result.json";
  const fs::path out = fs::temp_directory_path() / ("ccx-demo-test-" + std::to_string(rd()) + ".out");
  const std::string date = "2026-11-20", settle = "2026-11-30";
  const std::string cmd = "CCX_DEMO_SPEED=1000 CCX_DEMO_RATE=10 CCX_DEMO_DIR='" + dir.string() +
                          "' CCX_DEMO_RESULT='" + result.string() + "' '" + CCX_SOURCE_ROOT +
                          "/tools/demo.sh' '" + CCX_BUILD_DIR + "' >'" + out.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  const std::string output = Read(out);
  INFO(output);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const Json r = ReadJson(result);
  CHECK(r["ok"] == true);

  // Executions in at least five categories, and the report's volumes add up.
  const Json report = ReadJson(dir / "reports" / (date + ".json"));
  std::map<std::string, int64_t> volume;
  int traded = 0;
  for (const auto& c : report["categories"]) {
    volume[c["code"]] = c["volume"].get<int64_t>();
    traded += c["volume"].get<int64_t>() > 0;
  }
  CHECK(traded >= 5);
  CHECK(r["fills"].get<int64_t>() > 0);

  // After 15:00 every book is empty: DAY orders expired, AUCTION orders too.
  const std::string status_text = Read(dir / "demo" / "status-after-close.txt");
  const std::regex orders_re("orders=(\\d+)");
  int categories = 0;
  for (std::sregex_iterator it(status_text.begin(), status_text.end(), orders_re), end; it != end; ++it) {
    ++categories;
    CHECK((*it)[1] == "0");
  }
  CHECK(categories == static_cast<int>(volume.size()));
  // `admin book CAT` prints the category line and nothing else for an empty book.
  const std::string books = Read(dir / "demo" / "books-after-close.txt");
  CHECK(books.find(" B ") == std::string::npos);
  CHECK(books.find("\nB ") == std::string::npos);
  CHECK(books.find("\nS ") == std::string::npos);

  // The market makers' compliance was computed: an entry per maker and category, with
  // both acceptance phases measured, and the makers quoted in each.
  const Json mm = ReadJson(dir / "reports" / ("mm-" + date + ".json"));
  REQUIRE(mm["makers"].is_array());
  CHECK(mm["makers"].size() == 3 * 7);  // MM0001..MM0003 in the seven J-Credit categories
  for (const auto& e : mm["makers"]) {
    INFO(e.dump());
    CHECK(e.contains("compliant"));
    REQUIRE(e["phases"].size() == 2);
    for (const auto& p : e["phases"]) CHECK(p["presence_pct"].get<double>() > 0);
  }
  CHECK(fs::exists(dir / "reports" / (date + ".html")));

  // Settlement on T+5: per participant, credits held = deposit + bought − sold, cash =
  // deposit + sales − purchases; totals conserved; nothing failed; all volume settled.
  std::map<std::string, int64_t> bought, sold;
  int64_t paid = 0, received = 0;
  std::map<std::string, std::map<std::string, int64_t>> net;  // user → category → bought − sold
  std::map<std::string, int64_t> cash_net;
  int statements = 0;
  for (const auto& f : fs::directory_iterator(dir / "settlement" / settle)) {
    if (f.path().extension() != ".json") continue;
    ++statements;
    const Json s = ReadJson(f.path());
    const std::string user = s["participant"];
    CHECK(s["fails"].empty());
    for (const auto& c : s["credits"]) {
      bought[c["category"]] += c["bought"].get<int64_t>();
      sold[c["category"]] += c["sold"].get<int64_t>();
      CHECK(c["received"].get<int64_t>() - c["delivered"].get<int64_t>() == c["net"].get<int64_t>());
      net[user][c["category"]] = c["net"].get<int64_t>();
    }
    paid += s["cash"]["paid"].get<int64_t>();
    received += s["cash"]["received"].get<int64_t>();
    cash_net[user] = s["cash"]["net"].get<int64_t>();
  }
  CHECK(statements > 0);
  CHECK(paid == received);
  for (const auto& [code, v] : volume) {
    INFO(code);
    CHECK(bought[code] == v);
    CHECK(sold[code] == v);
  }
  // Holdings and cash of every participant after settlement (the shipped demo deposits:
  // 10,000,000 t per category and 100,000,000,000 yen each).
  std::istringstream holdings(Read(dir / "demo" / "holdings-after-settlement.txt"));
  int participants = 0;
  for (std::string line; std::getline(holdings, line);) {
    const std::string user = line.substr(0, line.find(' '));
    const Json h = Json::parse(line.substr(line.find(' ') + 1));
    ++participants;
    for (const auto& [code, c] : h["categories"].items()) {
      INFO(user << " " << code);
      CHECK(c["reserved"].get<int64_t>() == 0);
      CHECK(c["available"].get<int64_t>() == 10'000'000 + net[user][code]);
    }
  }
  CHECK(participants == 13);
  std::istringstream cash(Read(dir / "demo" / "cash-after-settlement.txt"));
  for (std::string line; std::getline(cash, line);) {
    const std::string user = line.substr(0, line.find(' '));
    const Json c = Json::parse(line.substr(line.find(' ') + 1));
    INFO(user);
    CHECK(c["balance"].get<int64_t>() == 100'000'000'000 + cash_net[user]);
  }
  std::error_code ec;
  fs::remove(out, ec);
  if (WEXITSTATUS(status) == 0) fs::remove_all(dir, ec);  // else kept, to look at
}
