// Alerts: each scripted behaviour raises exactly its alert, with the evidence; the clean
// day raises none; near misses (outside the window, too small) raise none; the live
// Surveillance object writes the same alerts as files, idempotently.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "surveillance/alert_detector.h"
#include "surveillance/surveillance.h"
#include "tests/surveillance/scenarios.h"

using namespace ccx;
using namespace ccx::surveillance;
using namespace ccx::test;

namespace {

std::vector<Alert> Run(const SessionScript& s, SurveillanceConfig cfg = {}) {
  Replayer r(s.market(), s.participants(), s.options());
  AlertDetector d(cfg);
  r.AddObserver(&d);
  REQUIRE(s.ReplayInto(&r).ok());
  return d.alerts();
}

std::string Kinds(const std::vector<Alert>& alerts) {
  std::string out;
  for (const Alert& a : alerts) out += std::string(ToString(a.kind)) + ":" + a.username + " ";
  return out;
}

}  // namespace

TEST_CASE("a clean day raises no alert", "[surveillance][alerts]") {
  const auto alerts = Run(Clean());
  INFO(Kinds(alerts));
  CHECK(alerts.empty());
}

TEST_CASE("spoofing: a large order entered and pulled before the cut-off", "[surveillance][alerts]") {
  const auto alerts = Run(Spoofing());
  INFO(Kinds(alerts));
  REQUIRE(alerts.size() == 1);
  const Alert& a = alerts[0];
  CHECK(a.kind == AlertKind::kSpoofing);
  CHECK(a.username == "PART09");
  CHECK(a.category_code == "JCRE");
  CHECK(a.id == "20261120-1130-JCRE-spoofing-PART09");
  CHECK(a.auction_time == Tokyo(11, 30));
  const auto& ev = a.json["evidence"];
  CHECK(ev["layering"] == false);
  REQUIRE(ev["orders"].size() == 1);
  const auto& o = ev["orders"][0];
  CHECK(o["token"] == "SP1");
  CHECK(o["qty"] == 5000);
  CHECK(o["entered"] == "2026-11-20T11:26:00.000");
  CHECK(o["canceled"] == "2026-11-20T11:29:00.000");
  CHECK(o["entry_effect"]["before"]["price"] == 3019);
  CHECK(o["entry_effect"]["after"]["price"] == 2900);
  CHECK(o["entry_effect"]["move_bps"] == 394);
  CHECK(o["cancel_effect"]["after"]["price"] == 3019);
  CHECK(a.json["auction"]["price"] == 3019);
  CHECK(a.json["thresholds"]["min_qty"] == 1000);
}

TEST_CASE("layering: several orders pulled together make one spoofing alert", "[surveillance][alerts]") {
  const auto alerts = Run(Layering());
  INFO(Kinds(alerts));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].kind == AlertKind::kSpoofing);
  CHECK(alerts[0].username == "PART09");
  CHECK(alerts[0].json["evidence"]["layering"] == true);
  CHECK(alerts[0].json["evidence"]["orders"].size() == 3);
  CHECK(alerts[0].json["evidence"]["cancels_effect"]["before"]["price"] == 2900);
  CHECK(alerts[0].json["evidence"]["cancels_effect"]["after"]["price"] == 3019);
}

TEST_CASE("spoofing by replacing the large order with a small one", "[surveillance][alerts]") {
  SessionScript s;
  DayClock(&s, kFriday);
  HonestBook(&s);
  s.Enter(Tokyo(11, 26), "PART09", "SP1", 'S', 5000, "JCRE", 2900);
  s.Replace(Tokyo(11, 29), "PART09", "SP1", "SP2", 10, 3500);  // out of the way, and small
  MorningAuction(&s);
  const auto alerts = Run(s);
  INFO(Kinds(alerts));
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].kind == AlertKind::kSpoofing);
  CHECK(alerts[0].json["evidence"]["orders"][0]["token"] == "SP1");
  CHECK(alerts[0].json["evidence"]["orders"][0]["canceled"] == "2026-11-20T11:29:00.000");
}

TEST_CASE("spoofing near misses: outside the window, too small, rule off", "[surveillance][alerts]") {
  SECTION("cancelled six minutes before the auction") {
    SessionScript s;
    DayClock(&s, kFriday);
    HonestBook(&s);
    s.Enter(Tokyo(11, 20), "PART09", "SP1", 'S', 5000, "JCRE", 2900);
    s.Cancel(Tokyo(11, 24), "PART09", "SP1");
    MorningAuction(&s);
    CHECK(Run(s).empty());
  }
  SECTION("smaller than min_qty") {
    SurveillanceConfig cfg;
    cfg.spoofing.min_qty = 5001;
    CHECK(Run(Spoofing(), cfg).empty());
  }
  SECTION("the price move below the threshold") {
    SurveillanceConfig cfg;
    // Entry 3019 -> 2900 is 394 bps of 3019; the cancel 2900 -> 3019 is 410 bps of 2900.
    cfg.spoofing.min_move_bps = 411;
    CHECK(Run(Spoofing(), cfg).empty());
    cfg.spoofing.min_move_bps = 410;
    CHECK(Run(Spoofing(), cfg).size() == 1);
  }
  SECTION("disabled") {
    SurveillanceConfig cfg;
    cfg.spoofing.enabled = false;
    CHECK(Run(Spoofing(), cfg).empty());
  }
}

TEST_CASE("marking the auction: a last-minute order that moved the price and executed",
          "[surveillance][alerts]") {
  const auto alerts = Run(Marking());
  INFO(Kinds(alerts));
  REQUIRE(alerts.size() == 1);
  const Alert& a = alerts[0];
  CHECK(a.kind == AlertKind::kMarking);
  CHECK(a.username == "PART09");
  CHECK(a.json["auction"]["price"] == 3100);
  const auto& o = a.json["evidence"]["orders"][0];
  CHECK(o["token"] == "MK1");
  CHECK(o["executed"] == 10);
  CHECK(o["entry_effect"]["before"]["price"] == 3019);
  CHECK(o["entry_effect"]["after"]["price"] == 3100);
  CHECK(o["entry_effect"]["move_bps"] == 268);
  CHECK(a.json["evidence"]["executed"] == 10);

  SECTION("entered before the window: no alert") {
    SurveillanceConfig cfg;
    cfg.marking.window_seconds = 29;  // the order came 30 s before the auction
    CHECK(Run(Marking(), cfg).empty());
  }
}

TEST_CASE("wash trade: the same participant bought and sold in one auction", "[surveillance][alerts]") {
  const auto alerts = Run(WashTrade());
  INFO(Kinds(alerts));
  REQUIRE(alerts.size() == 1);
  const Alert& a = alerts[0];
  CHECK(a.kind == AlertKind::kWashTrade);
  CHECK(a.username == "PART01");
  CHECK(a.json["auction"]["price"] == 2900);
  CHECK(a.json["evidence"]["bought"] == 700);
  CHECK(a.json["evidence"]["sold"] == 300);
  CHECK(a.json["evidence"]["matched"] == 300);
  CHECK(a.json["evidence"]["buy_executions"].size() == 1);
  CHECK(a.json["evidence"]["sell_executions"].size() == 1);
}

TEST_CASE("concentration: one participant above the share of an auction", "[surveillance][alerts]") {
  const auto alerts = Run(Concentration());
  INFO(Kinds(alerts));
  REQUIRE(alerts.size() == 1);
  const Alert& a = alerts[0];
  CHECK(a.kind == AlertKind::kConcentration);
  CHECK(a.username == "PART01");
  CHECK(a.json["evidence"]["bought"] == 3000);
  CHECK(a.json["evidence"]["volume"] == 3000);
  CHECK(a.json["evidence"]["share_percent"] == 100.0);
  CHECK(a.json["evidence"]["participants"].size() == 4);

  SECTION("auctions below min_volume are not judged") {
    SurveillanceConfig cfg;
    cfg.concentration.min_volume = 3001;
    CHECK(Run(Concentration(), cfg).empty());
  }
  SECTION("exactly the threshold is not more than it") {
    SurveillanceConfig cfg;
    cfg.concentration.max_share_percent = 35;  // the clean day's largest share is 35 %
    CHECK(Run(Clean(), cfg).empty());
    cfg.concentration.max_share_percent = 34;
    CHECK(Run(Clean(), cfg).size() == 4);  // the four 700 t traders have 35 %
  }
}

TEST_CASE("market maker pulls its quote just before the auction", "[surveillance][alerts]") {
  const auto alerts = Run(QuotePull());
  INFO(Kinds(alerts));
  REQUIRE(alerts.size() == 1);
  const Alert& a = alerts[0];
  CHECK(a.kind == AlertKind::kQuotePull);
  CHECK(a.username == "MM0001");
  REQUIRE(a.json["evidence"]["pulled"].size() == 1);
  CHECK(a.json["evidence"]["pulled"][0]["token"] == "Q2");
  CHECK(a.json["evidence"]["pulled"][0]["side"] == "S");
  CHECK(a.json["evidence"]["quotes_at_auction"]["buy"] == 1);
  CHECK(a.json["evidence"]["quotes_at_auction"]["sell"] == 0);
  CHECK(a.json["thresholds"]["min_quote_qty"] == 100);  // JCRE's mm_min_size

  SECTION("orders smaller than a quote are no quotes") {
    SurveillanceConfig cfg;
    cfg.quote_pull.min_quote_qty = 101;
    CHECK(Run(QuotePull(), cfg).empty());
  }

  SECTION("pulled before the window (the maker never quoted both sides in it)") {
    SurveillanceConfig cfg;
    cfg.quote_pull.window_seconds = 60;  // the cancel came 60 s before the auction: in
    CHECK(Run(QuotePull(), cfg).size() == 1);
    cfg.quote_pull.window_seconds = 59;  // now it came before the window opened
    CHECK(Run(QuotePull(), cfg).empty());
  }
  SECTION("a quote pulled and put back is no pull") {
    SessionScript s = QuotePull();
    auto& recs = s.mutable_records();
    const ScriptRecord auction = recs.back();
    recs.pop_back();
    s.Enter(Tokyo(11, 29, 30), "MM0001", "Q3", 'S', 100, "JCRE", 3150);
    recs.push_back(auction);
    CHECK(Run(s).empty());
  }
}

TEST_CASE("the detector is deterministic and does not depend on how it is fed", "[surveillance][alerts]") {
  // One day with every behaviour at once, on two categories: replay twice, compare JSON.
  SessionScript s;
  DayClock(&s, kFriday);
  HonestBook(&s);
  s.Enter(Tokyo(9, 0), "MM0002", "Q1", 'B', 100, "JCRE", 2800);
  s.Enter(Tokyo(9, 0, 1), "MM0002", "Q2", 'S', 100, "JCRE", 3200);
  s.Enter(Tokyo(10, 0), "PART01", "W1", 'S', 300, "JCRE", 2900);
  s.Enter(Tokyo(11, 26), "PART09", "SP1", 'B', 5000, "JCRE", 3100);
  s.Cancel(Tokyo(11, 29), "PART09", "SP1");
  s.Cancel(Tokyo(11, 29, 5), "MM0002", "Q1");
  s.Enter(Tokyo(11, 29, 30), "PART10", "MK1", 'B', 400, "JCRE", 3100);
  MorningAuction(&s);
  const auto a = Run(s), b = Run(s);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].json == b[i].json);
  INFO(Kinds(a));
  CHECK(Kinds(a) == "spoofing:PART09 marking:PART10 wash_trade:PART01 quote_pull:MM0002 ");
}

TEST_CASE("live surveillance writes one file per alert and rewrites them after a restart",
          "[surveillance][alerts]") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ccx-alerts-" + std::to_string(std::random_device{}()));
  const SessionScript s = Spoofing();
  auto feed = [&](Surveillance* sv) {
    uint64_t seq = 0;
    for (const ScriptRecord& r : s.records()) {
      JournalRecord rec;
      rec.sequence = ++seq;
      rec.timestamp_ns = r.time;
      rec.type = r.type;
      rec.payload = {r.payload.data(), r.payload.size()};
      REQUIRE(sv->OnRecord(rec).ok());
    }
  };
  DirectoryAlertSink sink(DefaultAlertDir(dir.string()));
  {
    Surveillance sv(s.market(), s.participants(), s.core_options(), {}, &sink);
    feed(&sv);
    CHECK(sv.alerts().size() == 1);
  }
  const auto file = dir / "alerts" / "20261120-1130-JCRE-spoofing-PART09.json";
  REQUIRE(std::filesystem::exists(file));
  std::ifstream in(file);
  const auto j = nlohmann::json::parse(in);
  CHECK(j["kind"] == "spoofing");
  CHECK(j["participant"]["username"] == "PART09");
  const auto size = std::filesystem::file_size(file);
  {
    Surveillance again(s.market(), s.participants(), s.core_options(), {}, &sink);  // restart: the whole journal again
    feed(&again);
  }
  CHECK(std::distance(std::filesystem::directory_iterator(dir / "alerts"), {}) == 1);
  CHECK(std::filesystem::file_size(file) == size);
  std::filesystem::remove_all(dir);
}
