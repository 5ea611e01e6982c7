// The day schedule (MARKET_RULES §2) driven by time passed in: acceptance phases, lunch,
// the 11:30 and 15:00 auctions, expiry, non-trading days and the Friday-only GX category.
#include "tests/engine/market/engine_fixture.h"

using namespace ccx;
using namespace ccx::test;

TEST_CASE("a trading day walks through its phases and auctions", "[market][schedule]") {
  Harness h;
  const CategoryId jcre = h.Cat("JCRE");
  // Friday 2026-11-20 is a business day.
  h.Clock(Tokyo(2026, 11, 20, 7, 0));
  CHECK(h.engine.phase(jcre) == Phase::kClosed);
  CHECK(RejectOf(h.Order(Tokyo(2026, 11, 20, 7, 59, 59), "JCRE", 'B', 3000, 10)) == 'C');
  h.Clock(Tokyo(2026, 11, 20, 8, 0));
  CHECK(h.engine.phase(jcre) == Phase::kAcceptance);
  const OrderRef b = h.Accepted(h.Order(Tokyo(2026, 11, 20, 8, 0), "JCRE", 'B', 3010, 10, 1));
  const OrderRef s = h.Accepted(h.Order(Tokyo(2026, 11, 20, 11, 29, 59), "JCRE", 'S', 3000, 4, 2));
  // Indicative price while accepting.
  const Clearing ind = h.engine.Indicative(jcre);
  CHECK(ind.executes);
  CHECK(ind.volume == 4);

  // An order stamped 11:30:00 arrives after the auction: the book has uncrossed; lunch.
  const auto ev = h.Order(Tokyo(2026, 11, 20, 11, 30), "JCRE", 'B', 3000, 10);
  CHECK(RejectOf(ev) == 'C');
  CHECK(h.engine.phase(jcre) == Phase::kIntermission);
  const auto auctions = Harness::OfType(ev, EventType::kAuction);
  CHECK(auctions.size() == 7);  // the seven J-Credit/J-VER categories; GXCR: 15:00 only
  const auto ex = Harness::OfType(ev, EventType::kExecuted);
  REQUIRE(ex.size() == 2);
  // Price: buy pressure (Q > 0 at every kept price) picks the highest kept price, 3010.
  CHECK(ex[0].ref == b);
  CHECK(ex[0].price == 3010);
  CHECK(ex[0].qty == 4);
  CHECK(ex[0].qty2 == 6);
  CHECK(ex[0].reason == 'I');  // liquidity flag of the 11:30 auction
  CHECK(ex[1].ref == s);
  CHECK(ex[1].qty2 == 0);
  CHECK(ex[0].match != ex[1].match);
  const auto trades = Harness::OfType(ev, EventType::kTrade);
  REQUIRE(trades.size() == 1);
  CHECK(trades[0].participant == 1);
  CHECK(trades[0].participant2 == 2);
  // The base price moved to the clearing price; the band with it.
  CHECK(h.engine.base_price(jcre) == 3010);
  CHECK(h.engine.band(jcre).lower == 3010 - 2709);
  CHECK(h.engine.band(jcre).upper == 3010 + 2709);

  // Afternoon: the rest of the DAY buy is still there and takes part at 15:00.
  h.Clock(Tokyo(2026, 11, 20, 12, 30));
  CHECK(h.engine.phase(jcre) == Phase::kAcceptance);
  h.Accepted(h.Order(Tokyo(2026, 11, 20, 14, 0), "JCRE", 'S', 3005, 6, 3));
  const auto close = h.Clock(Tokyo(2026, 11, 20, 15, 0));
  const auto ex2 = Harness::OfType(close, EventType::kExecuted);
  REQUIRE(ex2.size() == 2);
  CHECK(ex2[0].reason == 'C');  // closing auction flag
  CHECK(ex2[0].qty == 6);
  CHECK(h.engine.phase(jcre) == Phase::kClosed);
  CHECK(h.engine.book(jcre).order_count() == 0);
  CHECK(RejectOf(h.Order(Tokyo(2026, 11, 20, 15, 0, 1), "JCRE", 'B', 3000, 10)) == 'C');
}

TEST_CASE("DAY and AUCTION orders expire at the right auction", "[market][schedule]") {
  Harness h;
  const CategoryId jcee = h.Cat("JCEE");
  h.Clock(Tokyo(2026, 11, 20, 8, 0));
  const OrderRef day = h.Accepted(h.Order(Tokyo(2026, 11, 20, 9, 0), "JCEE", 'B', 1600, 5));
  const OrderRef auc =
      h.Accepted(h.Order(Tokyo(2026, 11, 20, 9, 0), "JCEE", 'B', 1600, 7, 1, 0));
  const auto noon = h.Clock(Tokyo(2026, 11, 20, 11, 30));
  const auto c1 = Harness::OfType(noon, EventType::kCanceled);
  REQUIRE(c1.size() == 1);
  CHECK(c1[0].ref == auc);
  CHECK(c1[0].reason == 'I');
  CHECK(c1[0].qty == 7);
  CHECK(h.engine.book(jcee).Find(day) != nullptr);
  const auto close = h.Clock(Tokyo(2026, 11, 20, 15, 0));
  const auto c2 = Harness::OfType(close, EventType::kCanceled);
  REQUIRE(c2.size() == 1);
  CHECK(c2[0].ref == day);
  CHECK(c2[0].reason == 'T');
}

TEST_CASE("GX credits trade on Fridays only, 08:00 to 15:00 without lunch", "[market][schedule]") {
  Harness h;
  const CategoryId gx = h.Cat("GXCR");
  // Thursday 2026-11-19: not a GX trading day.
  CHECK(RejectOf(h.Order(Tokyo(2026, 11, 19, 10, 0), "GXCR", 'B', 3000, 1)) == 'R');
  CHECK(h.engine.phase(gx) == Phase::kNotTrading);
  // J-Credit categories trade that Thursday.
  h.Accepted(h.Order(Tokyo(2026, 11, 19, 10, 0), "JCEE", 'B', 1600, 1));
  // Friday: accepted at 12:00 (no lunch break for a 15:00-only category).
  h.Accepted(h.Order(Tokyo(2026, 11, 20, 12, 0), "GXCR", 'B', 3000, 1));
  // The absolute floor 1700 / ceiling 4300 narrow the band: 4400 is outside.
  CHECK(RejectOf(h.Order(Tokyo(2026, 11, 20, 12, 0), "GXCR", 'B', 4400, 1)) == 'p');
  const auto ev = h.Clock(Tokyo(2026, 11, 20, 15, 0));
  bool gx_auction = false;
  for (const auto& e : Harness::OfType(ev, EventType::kAuction)) gx_auction |= e.category == gx;
  CHECK(gx_auction);
}

TEST_CASE("holidays and weekends are not trading days", "[market][schedule]") {
  Harness h;
  // 2026-11-23 (Monday) is 勤労感謝の日.
  CHECK(RejectOf(h.Order(Tokyo(2026, 11, 23, 10, 0), "JCRE", 'B', 3000, 1)) == 'R');
  CHECK(RejectOf(h.Order(Tokyo(2026, 11, 21, 10, 0), "JCRE", 'B', 3000, 1)) == 'R');
  h.Accepted(h.Order(Tokyo(2026, 11, 24, 10, 0), "JCRE", 'B', 3000, 1));
}

TEST_CASE("a clock jump runs every missed transition in order", "[market][schedule]") {
  Harness h;
  const CategoryId jcre = h.Cat("JCRE");
  h.Clock(Tokyo(2026, 11, 20, 9, 0));
  h.Accepted(h.Order(Tokyo(2026, 11, 20, 9, 0), "JCRE", 'B', 3000, 10, 1));
  h.Accepted(h.Order(Tokyo(2026, 11, 20, 9, 0), "JCRE", 'S', 3000, 10, 2));
  // Straight to Tuesday morning: Friday's auctions, the weekend, Monday's holiday.
  const auto ev = h.Clock(Tokyo(2026, 11, 24, 9, 0));
  CHECK(Harness::OfType(ev, EventType::kExecuted).size() == 2);
  CHECK(h.engine.phase(jcre) == Phase::kAcceptance);
  CHECK(h.engine.base_price(jcre) == 3000);
  // Events come out in time order.
  for (size_t i = 1; i < ev.size(); ++i) CHECK(ev[i - 1].time <= ev[i].time);
}
