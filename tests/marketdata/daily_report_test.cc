// DailyReport from the exchange's feed: the figures equal the engine's executions on a
// seeded random day; a small scripted day checked to the yen in JSON, CSV and HTML; the
// curves are the book before each auction and cross at the clearing price and volume; a
// report built from a snapshot has the same figures; the files are written.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "marketdata/report/daily_report.h"
#include "md_fixture.h"
#include "nlohmann/json.hpp"

namespace ccx::mdtest {
namespace {

constexpr uint32_t Yen(uint32_t y) { return y * itch::kPriceScale; }

md::DailyReport ReportOf(const FeedDayHarness& h) {
  md::DailyReport r(h.engine.config());
  r.SetSession(h.Session());
  for (const Bytes& m : h.Messages()) REQUIRE(r.ApplyBytes(m).ok());
  return r;
}

// Expected figures of one category from the engine's own events.
struct Expected {
  std::map<char, std::pair<Price, uint64_t>> auctions;  // flag -> (price, volume)
  uint64_t volume = 0;
  __int128 turnover = 0;
  Price high = 0, low = 0;
};

std::map<CategoryId, Expected> FromEngine(const std::vector<Event>& log) {
  std::map<CategoryId, Expected> out;
  for (const Event& e : log) {
    if (e.type == EventType::kExecuted && e.side == Side::kBuy) {
      Expected& x = out[e.category];
      x.volume += e.qty;
      x.turnover += static_cast<__int128>(e.price) * e.qty;
      x.high = x.high == 0 ? e.price : std::max(x.high, e.price);
      x.low = x.low == 0 ? e.price : std::min(x.low, e.price);
      auto& a = x.auctions[static_cast<char>(e.reason)];
      a.first = e.price;
      a.second += e.qty;
    }
  }
  return out;
}

TEST_CASE("Report: figures equal the engine's executions on a random day", "[marketdata][report]") {
  FeedDayHarness h;
  std::mt19937_64 rng(2026);
  std::vector<std::pair<std::string, OrderRef>> live;
  h.Clock(Tokyo(2026, 3, 6, 7, 59));
  RandomSession(h, rng, Tokyo(2026, 3, 6, 8, 0), Tokyo(2026, 3, 6, 11, 29), 800, &live);
  h.Clock(Tokyo(2026, 3, 6, 11, 30));
  RandomSession(h, rng, Tokyo(2026, 3, 6, 12, 30), Tokyo(2026, 3, 6, 14, 59), 800, &live);
  h.Clock(Tokyo(2026, 3, 6, 15, 0));
  const md::DailyReport report = ReportOf(h);
  CHECK(report.date() == "2026-03-06");
  const auto expected = FromEngine(h.log);
  const auto figures = report.Figures();
  REQUIRE(figures.size() == h.engine.num_categories());
  int executed = 0;
  for (size_t c = 0; c < figures.size(); ++c) {
    const md::CategoryFigures& f = figures[c];
    const CategoryConfig& cfg = h.engine.config().categories[c];
    INFO("category " << f.code);
    CHECK(f.code == cfg.code);
    CHECK(f.name_en == cfg.name_en);
    CHECK(f.name_ja == cfg.name_ja);
    const auto it = expected.find(static_cast<CategoryId>(c));
    const Expected x = it == expected.end() ? Expected{} : it->second;
    CHECK(f.volume == x.volume);
    for (const auto& [flag, slot] : {std::pair<char, const std::optional<md::AuctionFigures>*>{'I', &f.morning},
                                     {'C', &f.closing}}) {
      const auto e = x.auctions.find(flag);
      if (cfg.code == "GXCR" && flag == 'I') {
        CHECK_FALSE(slot->has_value());  // 15:00 only
        continue;
      }
      REQUIRE(slot->has_value());
      if (e == x.auctions.end()) {
        CHECK_FALSE((*slot)->executed);
        CHECK((*slot)->volume == 0);
      } else {
        ++executed;
        CHECK((*slot)->executed);
        CHECK((*slot)->price == Yen(static_cast<uint32_t>(e->second.first)));
        CHECK((*slot)->volume == e->second.second);
      }
    }
    if (x.volume > 0) {
      REQUIRE(f.vwap.has_value());
      CHECK(*f.vwap == Approx(static_cast<double>(x.turnover) / static_cast<double>(x.volume)));
      CHECK(*f.high == Yen(static_cast<uint32_t>(x.high)));
      CHECK(*f.low == Yen(static_cast<uint32_t>(x.low)));
      CHECK(f.next_base_source == "auction");
    } else {
      CHECK_FALSE(f.vwap.has_value());
    }
    // The next day's base price is the engine's base price after the day.
    CHECK(f.next_base_price == Yen(static_cast<uint32_t>(h.engine.base_price(static_cast<CategoryId>(c)))));
    // Each curve is the book before its auction: it crosses at the clearing point.
    for (const md::AuctionFigures& a : f.auctions) {
      if (!a.executed) continue;
      REQUIRE_FALSE(a.curves.empty());
      uint64_t d = 0, s = 0;
      for (const md::CurvePoint& p : a.curves) {
        if (p.price <= a.price) s = p.supply;
      }
      for (auto p = a.curves.rbegin(); p != a.curves.rend(); ++p) {
        if (p->price >= a.price) d = p->demand;
      }
      CHECK(std::min(d, s) == a.volume);
    }
  }
  CHECK(executed > 4);
}

// A small day: JCEE crosses at both auctions, JCRE never trades, GXCR has orders that do
// not cross at 15:00.
FeedDayHarness SmallDay() {
  FeedDayHarness h;
  h.Clock(Tokyo(2026, 3, 6, 7, 0));
  h.Order(Tokyo(2026, 3, 6, 9, 0), "JCEE", 'B', 1700, 300, 1);
  h.Order(Tokyo(2026, 3, 6, 9, 1), "JCEE", 'S', 1700, 300, 2);
  h.Order(Tokyo(2026, 3, 6, 9, 2), "GXCR", 'B', 2900, 10, 1);
  h.Order(Tokyo(2026, 3, 6, 9, 3), "GXCR", 'S', 3100, 10, 2);
  h.Clock(Tokyo(2026, 3, 6, 11, 30));  // JCEE: 300 @ 1,700
  h.Order(Tokyo(2026, 3, 6, 13, 0), "JCEE", 'B', 1800, 100, 1);
  h.Order(Tokyo(2026, 3, 6, 13, 1), "JCEE", 'S', 1800, 100, 2);
  h.Clock(Tokyo(2026, 3, 6, 15, 0));  // JCEE: 100 @ 1,800
  return h;
}

TEST_CASE("Report: a small day to the yen, in JSON, CSV and HTML", "[marketdata][report]") {
  FeedDayHarness h = SmallDay();
  md::DailyReport report = ReportOf(h);
  report.SetExtraHtml("<section id=\"mm\">market makers</section>\n");
  const auto figures = report.Figures();
  const md::CategoryFigures& jcee = figures[h.Cat("JCEE")];
  REQUIRE(jcee.morning);
  REQUIRE(jcee.closing);
  CHECK(jcee.morning->price == Yen(1700));
  CHECK(jcee.morning->volume == 300);
  CHECK(jcee.morning->time == "11:30");
  CHECK(jcee.closing->price == Yen(1800));
  CHECK(jcee.closing->volume == 100);
  CHECK(jcee.closing->time == "15:00");
  CHECK(jcee.volume == 400);
  CHECK(*jcee.vwap == Approx(1725.0));  // (1700×300 + 1800×100) / 400
  CHECK(*jcee.high == Yen(1800));
  CHECK(*jcee.low == Yen(1700));
  CHECK(jcee.next_base_price == Yen(1800));
  const md::CategoryFigures& jcre = figures[h.Cat("JCRE")];
  CHECK(jcre.volume == 0);
  CHECK_FALSE(jcre.morning->executed);
  CHECK(jcre.next_base_price == Yen(3019));
  CHECK(jcre.next_base_source == "noii");
  const md::CategoryFigures& gx = figures[h.Cat("GXCR")];
  CHECK_FALSE(gx.morning.has_value());
  REQUIRE(gx.closing.has_value());
  CHECK_FALSE(gx.closing->executed);
  CHECK(gx.closing->curves.size() == 2);  // orders but no crossing: still drawn

  const nlohmann::json j = nlohmann::json::parse(report.Json());
  CHECK(j["date"] == "2026-03-06");
  const auto& jj = j["categories"][h.Cat("JCEE")];
  CHECK(jj["code"] == "JCEE");
  CHECK(jj["name_ja"] == h.engine.config().categories[h.Cat("JCEE")].name_ja);
  CHECK(jj["morning"]["price"] == 1700);
  CHECK(jj["morning"]["volume"] == 300);
  CHECK(jj["closing"]["price"] == 1800);
  CHECK(jj["vwap"] == 1725.0);
  CHECK(jj["high"] == 1800);
  CHECK(jj["low"] == 1700);
  CHECK(jj["volume"] == 400);
  CHECK(jj["next_base_price"] == 1800);
  CHECK(j["categories"][h.Cat("JCRE")]["morning"]["price"].is_null());
  CHECK(j["categories"][h.Cat("JCRE")]["vwap"].is_null());
  CHECK(j["categories"][h.Cat("GXCR")]["morning"].is_null());

  const std::string csv = report.Csv();
  CHECK_THAT(csv, Catch::StartsWith("date,code,name_en,name_ja,price_1130,volume_1130,price_1500,"
                                    "volume_1500,vwap,high,low,volume,next_base_price\n"));
  CHECK_THAT(csv, Catch::Contains(",1700,300,1800,100,1725.00,1800,1700,400,1800\n"));
  CHECK_THAT(csv, Catch::Contains("2026-03-06,GXCR,"));
  CHECK_THAT(csv, Catch::Contains(",,,,0,,,,0,3000\n"));  // GXCR: no 11:30, 15:00 without execution

  const std::string html = report.Html();
  CHECK_THAT(html, Catch::Contains("<meta charset=\"utf-8\">"));
  CHECK_THAT(html, Catch::Contains(h.engine.config().categories[h.Cat("JCEE")].name_ja));
  CHECK_THAT(html, Catch::Contains("P = 1,700 JPY, V = 300 t"));
  CHECK_THAT(html, Catch::Contains("P = 1,800 JPY, V = 100 t"));
  CHECK_THAT(html, Catch::Contains("<section id=\"mm\">market makers</section>"));
  // Three auctions had orders (JCEE twice, GXCR once): three charts; nothing external.
  size_t svgs = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++svgs;
  CHECK(svgs == 3);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("Report: built from a snapshot it has the same figures, without curves", "[marketdata][report]") {
  FeedDayHarness h = SmallDay();
  const md::DailyReport live = ReportOf(h);
  md::ItchBook server;
  for (const Bytes& m : h.Messages()) REQUIRE(server.ApplyBytes(m).ok());
  md::DailyReport late(h.engine.config(), "2026-03-06");
  for (const Bytes& m : server.Snapshot()) REQUIRE(late.ApplyBytes(m, /*snapshot=*/true).ok());
  const auto a = live.Figures(), b = late.Figures();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].volume == b[i].volume);
    CHECK(a[i].vwap == b[i].vwap);
    CHECK(a[i].high == b[i].high);
    CHECK(a[i].low == b[i].low);
    CHECK(a[i].next_base_price == b[i].next_base_price);
    CHECK(a[i].auctions.size() == b[i].auctions.size());
    for (const auto& x : b[i].auctions) CHECK(x.curves.empty());
  }
}

TEST_CASE("Report: writes DATE.json, .csv and .html", "[marketdata][report]") {
  FeedDayHarness h = SmallDay();
  const md::DailyReport report = ReportOf(h);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ccx-report-test-" + std::to_string(::getpid())) / "reports";
  REQUIRE(report.Write(dir.string()).ok());
  for (const char* ext : {".json", ".csv", ".html"}) {
    std::ifstream in(dir / (std::string("2026-03-06") + ext));
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == (ext == std::string(".json") ? report.Json()
                         : ext == std::string(".csv") ? report.Csv()
                                                      : report.Html()));
  }
  std::filesystem::remove_all(dir.parent_path());
  md::DailyReport undated(h.engine.config());
  CHECK(undated.Write(dir.string()).code() == absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace ccx::mdtest

namespace ccx::mdtest {
namespace {

// Not run by default: writes a sample report of a random day for people to look at.
//   CCX_REPORT_SAMPLE_DIR=/tmp/r build-*/bin/ccx-marketdata-tests "[.report-sample]"
TEST_CASE("Report: sample of a random day (manual)", "[.report-sample]") {
  const char* dir = std::getenv("CCX_REPORT_SAMPLE_DIR");
  REQUIRE(dir != nullptr);
  FeedDayHarness h;
  std::mt19937_64 rng(7);
  std::vector<std::pair<std::string, OrderRef>> live;
  h.Clock(Tokyo(2026, 3, 6, 7, 59));
  RandomSession(h, rng, Tokyo(2026, 3, 6, 8, 0), Tokyo(2026, 3, 6, 11, 29), 600, &live);
  h.Clock(Tokyo(2026, 3, 6, 11, 30));
  RandomSession(h, rng, Tokyo(2026, 3, 6, 12, 30), Tokyo(2026, 3, 6, 14, 59), 600, &live);
  h.Clock(Tokyo(2026, 3, 6, 15, 0));
  REQUIRE(ReportOf(h).Write(dir).ok());
}

}  // namespace
}  // namespace ccx::mdtest
