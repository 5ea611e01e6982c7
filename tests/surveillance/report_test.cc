// The investigation report: the data of one auction (book at the uncross, curves, the
// indicative price over the phase, largest orders, fills, alerts) and its HTML page.
#include <catch2/catch.hpp>

#include "surveillance/alert_detector.h"
#include "surveillance/report.h"
#include "tests/surveillance/scenarios.h"

using namespace ccx;
using namespace ccx::surveillance;
using namespace ccx::test;

namespace {

InvestigationData Collect(const SessionScript& s, const std::string& spec) {
  auto target = FindAuction(s.market(), spec);
  REQUIRE(target.ok());
  Replayer r(s.market(), s.participants(), s.options());
  OrderHistory history;
  AlertDetector detector(SurveillanceConfig{});
  ReportCollector collector(*target, &history);
  r.AddObserver(&history);
  r.AddObserver(&detector);
  r.AddObserver(&collector);
  REQUIRE(s.ReplayInto(&r).ok());
  REQUIRE(collector.done());
  return collector.Finish(r, detector.alerts());
}

}  // namespace

TEST_CASE("an auction is named by category and time", "[surveillance][report]") {
  const SessionScript s;
  auto a = FindAuction(s.market(), "JCRE@2026-11-20T11:30");
  REQUIRE(a.ok());
  CHECK(a->time == Tokyo(11, 30));
  CHECK(a->session == 0);
  CHECK(a->open == Tokyo(8, 0));
  auto b = FindAuction(s.market(), "JCRE@2026-11-20T13:05");  // inside the afternoon phase
  REQUIRE(b.ok());
  CHECK(b->time == Tokyo(15, 0));
  CHECK(b->session == 1);
  CHECK(FindAuction(s.market(), "GXCR@2026-11-20T09:00")->time == Tokyo(15, 0));
  CHECK(FindAuction(s.market(), "JCRE@2026-11-20T15:01").status().message().find("no auction") !=
        std::string_view::npos);
  CHECK(FindAuction(s.market(), "NOPE@2026-11-20T11:30").status().message().find("unknown category") !=
        std::string_view::npos);
  CHECK_FALSE(FindAuction(s.market(), "JCRE 11:30").ok());
}

TEST_CASE("the investigation of a marked auction", "[surveillance][report]") {
  const InvestigationData d = Collect(Marking(), "JCRE@2026-11-20T11:30");
  CHECK(d.reached);
  CHECK(d.executed);
  CHECK(d.price == 3100);
  CHECK(d.volume == 2000);
  CHECK(d.base_before == 3019);
  CHECK(d.indicative.price == 3100);
  CHECK(d.buys.size() == 4);
  CHECK(d.sells.size() == 3);
  // Curves: demand 2010 t at 3100; supply 2000 t at 2900.
  const auto demand = CumulativeCurve(d.buys, Side::kBuy, d.band);
  const auto supply = CumulativeCurve(d.sells, Side::kSell, d.band);
  REQUIRE(demand.size() == 1);
  CHECK(demand[0] == std::make_pair(Price{3100}, Volume{2010}));
  REQUIRE(supply.size() == 1);
  CHECK(supply[0] == std::make_pair(Price{2900}, Volume{2000}));
  // The indicative price over the morning: none at 08:00, 3019 once the book crossed,
  // 3100 after the marking order at 11:29:30.
  REQUIRE(d.series.size() >= 3);
  CHECK_FALSE(d.series.front().indicative.executes);
  CHECK(d.series.back().indicative.price == 3100);
  bool saw_3019 = false;
  for (const auto& p : d.series) saw_3019 |= p.indicative.executes && p.indicative.price == 3019;
  CHECK(saw_3019);
  // Largest orders first: the 700 t orders, then 600, ..., PART09's 10 t last.
  REQUIRE(d.largest.size() == 8);  // 7 honest orders (one replaced) + the marker
  CHECK(d.largest[0].qty == 700);
  CHECK(d.largest.back().token == "MK1");
  REQUIRE(d.fills.size() == 7);
  REQUIRE(d.alerts.size() == 1);
  CHECK(d.alerts[0].kind == AlertKind::kMarking);

  const std::string html = RenderInvestigationHtml(d);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("Auction investigation: JCRE 2026-11-20T11:30") != std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("clearing 3100 JPY, 2000 t") != std::string::npos);
  CHECK(html.find("PART09") != std::string::npos);
  CHECK(html.find("<b>marking</b>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // nothing fetched
}

TEST_CASE("the report of an auction that did not execute", "[surveillance][report]") {
  const InvestigationData d = Collect(Clean(), "JCRE@2026-11-20T15:00");
  CHECK(d.reached);
  CHECK_FALSE(d.executed);
  CHECK(d.alerts.empty());
  const std::string html = RenderInvestigationHtml(d);
  CHECK(html.find("no execution") != std::string::npos);
}
