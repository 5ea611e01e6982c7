// Order entry, replace and cancel through the Engine: one reject reason per failure
// (PROTOCOL.md §2), halts, suspension, reference price, and base-price / band updates.
#include "tests/engine/market/engine_fixture.h"

using namespace ccx;
using namespace ccx::test;

namespace {
const Timestamp kMorning = Tokyo(2026, 11, 20, 9, 0);
}

TEST_CASE("every order reject reason", "[market][orders]") {
  Harness h;
  h.Clock(kMorning);
  // JCRE reference 3019: band 3019 ± 2717 = 302 .. 5736.
  CHECK(RejectOf(h.Order(kMorning, nullptr, 'B', 3000, 1)) == 'S');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'T', 3000, 1)) == 'i');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'E', 3000, 1)) == 'i');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', 3000, 1, 1, 5)) == 't');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', 0, 1)) == 'X');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', -5, 1)) == 'X');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', 3000, 0)) == 'Z');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', 3000, 1'000'001)) == 'Z');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', 301, 1)) == 'p');
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', 5737, 1)) == 'p');
  h.Accepted(h.Order(kMorning, "JCRE", 'B', 302, 1));
  h.Accepted(h.Order(kMorning, "JCRE", 'B', 5736, 1'000'000));
  {
    Command c;
    c.type = CommandType::kEnterOrder;
    c.time = kMorning;
    c.category = h.Cat("JCRE");
    c.side = 'B';
    c.price = 3000;
    c.qty = 1;
    c.tif = 99998;
    c.min_qty = 10;
    CHECK(RejectOf(h.Run(c)) == 'N');
  }
  // A rejected order changes nothing.
  CHECK(h.engine.book(h.Cat("JCRE")).order_count() == 2);
}

TEST_CASE("halt and resume a category and the market", "[market][orders]") {
  Harness h;
  h.Clock(kMorning);
  const CategoryId jcre = h.Cat("JCRE");
  const OrderRef r = h.Accepted(h.Order(kMorning, "JCRE", 'B', 3000, 10));
  Command halt;
  halt.type = CommandType::kHalt;
  halt.time = kMorning;
  halt.category = jcre;
  h.Run(halt);
  CHECK(h.engine.halted(jcre));
  CHECK(RejectOf(h.Order(kMorning, "JCRE", 'B', 3000, 10)) == 'H');
  h.Accepted(h.Order(kMorning, "JCEE", 'B', 1600, 10));  // others unaffected
  // A halted category accepts cancels.
  CHECK(h.CancelOrder(kMorning, "JCRE", r, 4).back().type == EventType::kCanceled);
  // ...and skips its auction while halted.
  h.Accepted(h.Order(kMorning, "JCEE", 'S', 1600, 10, 2));
  const auto noon = h.Clock(Tokyo(2026, 11, 20, 11, 30));
  for (const auto& e : Harness::OfType(noon, EventType::kAuction)) {
    if (e.category == jcre) CHECK(e.price == 0);
  }
  CHECK(h.engine.book(jcre).order_count() == 1);
  Command resume = halt;
  resume.type = CommandType::kResume;
  resume.time = Tokyo(2026, 11, 20, 12, 30);
  h.Run(resume);
  h.Accepted(h.Order(Tokyo(2026, 11, 20, 12, 30), "JCRE", 'S', 3000, 4, 2));
  // Whole-market halt.
  Command mh;
  mh.type = CommandType::kHalt;
  mh.time = Tokyo(2026, 11, 20, 13, 0);
  mh.category = kNoCategory;
  h.Run(mh);
  CHECK(RejectOf(h.Order(Tokyo(2026, 11, 20, 13, 0), "JCEE", 'B', 1600, 1)) == 'H');
  mh.type = CommandType::kResume;
  h.Run(mh);
  const auto close = h.Clock(Tokyo(2026, 11, 20, 15, 0));
  CHECK(Harness::OfType(close, EventType::kExecuted).size() >= 2);
}

TEST_CASE("cancel, reduce and replace", "[market][orders]") {
  Harness h;
  h.Clock(kMorning);
  const CategoryId jcee = h.Cat("JCEE");
  const OrderRef a = h.Accepted(h.Order(kMorning, "JCEE", 'S', 1655, 10, 1));
  const OrderRef b = h.Accepted(h.Order(kMorning, "JCEE", 'S', 1655, 10, 2));
  // Reduce keeps the place in time; only the owner may cancel.
  CHECK(h.CancelOrder(kMorning, "JCEE", a, 4, 2).back().type == EventType::kCancelRejected);
  const auto red = h.CancelOrder(kMorning, "JCEE", a, 4, 1);
  REQUIRE(red.back().type == EventType::kCanceled);
  CHECK(red.back().qty == 6);
  CHECK(red.back().qty2 == 4);
  CHECK(red.back().reason == 'U');
  CHECK(h.CancelOrder(kMorning, "JCEE", a, 4, 1).back().type == EventType::kCancelRejected);
  // Replace: new reference, new place in time.
  Command rp;
  rp.type = CommandType::kReplaceOrder;
  rp.time = kMorning;
  rp.category = jcee;
  rp.participant = 2;
  rp.ref = b;
  rp.price = 1650;
  rp.qty = 12;
  rp.tif = 99999;
  const auto rep = h.Run(rp);
  REQUIRE(rep.back().type == EventType::kReplaced);
  const OrderRef b2 = rep.back().ref;
  CHECK(b2 > b);
  CHECK(rep.back().ref2 == b);
  CHECK(h.engine.book(jcee).Find(b) == nullptr);
  CHECK(h.engine.book(jcee).Find(b2)->qty == 12);
  // Replace outside the band is rejected and leaves the old order alone.
  rp.ref = b2;
  rp.price = 100;
  CHECK(RejectOf(h.Run(rp)) == 'p');
  CHECK(h.engine.book(jcee).Find(b2) != nullptr);
  // Full cancel.
  const auto can = h.CancelOrder(kMorning, "JCEE", b2, 0, 2);
  REQUIRE(can.back().type == EventType::kCanceled);
  CHECK(can.back().qty == 12);
  CHECK(can.back().qty2 == 0);
  CHECK(h.engine.book(jcee).order_count() == 1);
  // Cancels outside an acceptance phase are refused.
  CHECK(h.CancelOrder(Tokyo(2026, 11, 20, 12, 0), "JCEE", a, 0, 1).back().type ==
        EventType::kCancelRejected);
}

TEST_CASE("orders resting beyond a moved band count at the band limit", "[market][orders]") {
  Harness h;
  const CategoryId jcee = h.Cat("JCEE");
  h.Clock(kMorning);
  // Operator sets JCEE's reference price to 1000: band 100 .. 1900.
  Command ref;
  ref.type = CommandType::kSetReferencePrice;
  ref.time = kMorning;
  ref.category = jcee;
  ref.price = 1000;
  h.Run(ref);
  CHECK(h.engine.band(jcee).upper == 1900);
  // Morning: trade at 1800 moves the base to 1800 (band 180 .. 3420).
  h.Accepted(h.Order(kMorning, "JCEE", 'B', 1800, 1, 1));
  h.Accepted(h.Order(kMorning, "JCEE", 'S', 1800, 1, 2));
  h.Clock(Tokyo(2026, 11, 20, 11, 30));
  CHECK(h.engine.base_price(jcee) == 1800);
  // Afternoon: a sell at 3400 (legal now); then the operator resets the reference to 1000
  // so the band shrinks back to 100..1900 and the sell rests above it.
  h.Accepted(h.Order(Tokyo(2026, 11, 20, 12, 30), "JCEE", 'S', 3400, 5, 2));
  ref.time = Tokyo(2026, 11, 20, 13, 0);
  h.Run(ref);
  h.Accepted(h.Order(Tokyo(2026, 11, 20, 13, 0), "JCEE", 'B', 1900, 5, 1));
  // The sell counts as a sell at 1900: it executes at 1900.
  const auto close = h.Clock(Tokyo(2026, 11, 20, 15, 0));
  const auto ex = Harness::OfType(close, EventType::kExecuted);
  REQUIRE(ex.size() == 2);
  CHECK(ex[0].price == 1900);
}

TEST_CASE("suspended participants lose their orders and cannot enter new ones", "[market][orders]") {
  Harness h;
  h.Clock(kMorning);
  h.Accepted(h.Order(kMorning, "JCEE", 'S', 1655, 10, 7));
  h.Accepted(h.Order(kMorning, "JCRE", 'B', 3000, 10, 7));
  h.Accepted(h.Order(kMorning, "JCRE", 'B', 3000, 10, 8));
  Command s;
  s.type = CommandType::kSuspendParticipant;
  s.time = kMorning;
  s.participant = 7;
  const auto ev = h.Run(s);
  const auto c = Harness::OfType(ev, EventType::kCanceled);
  REQUIRE(c.size() == 2);
  CHECK(c[0].reason == 'D');
  CHECK(RejectOf(h.Order(kMorning, "JCEE", 'S', 1655, 10, 7)) == 'L');
  s.type = CommandType::kReinstateParticipant;
  h.Run(s);
  h.Accepted(h.Order(kMorning, "JCEE", 'S', 1655, 10, 7));
}
