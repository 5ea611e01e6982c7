// Market-maker obligations measured from engine events (MARKET_RULES §7): presence with a
// compliant two-sided quote per acceptance phase, spreads and sizes, halts, the JSON report.
#include "engine/market/mm_monitor.h"

#include "tests/engine/market/engine_fixture.h"

using namespace ccx;
using namespace ccx::test;

namespace {

constexpr ParticipantId kMaker = 11;
constexpr ParticipantId kOther = 1;

struct MmHarness {
  MmHarness() : h(), mm(h.engine.config(), Makers()) {}
  static std::vector<std::vector<ParticipantId>> Makers() {
    std::vector<std::vector<ParticipantId>> m(8);
    m[1] = {kMaker};  // JCRE
    return m;
  }
  void Feed(const std::vector<Event>& ev) { mm.OnEvents(ev, h.engine); }
  OrderRef Quote(Timestamp t, char side, Price p, Qty q, ParticipantId who = kMaker) {
    auto ev = h.Order(t, "JCRE", side, p, q, who);
    Feed(ev);
    return h.Accepted(ev);
  }
  Harness h;
  MarketMakerMonitor mm;
};

const MmPhaseResult& PhaseOf(const MarketMakerMonitor& mm, size_t i) {
  REQUIRE(mm.report() != nullptr);
  REQUIRE(mm.report()->makers.size() == 1);
  REQUIRE(mm.report()->makers[0].phases.size() > i);
  return mm.report()->makers[0].phases[i];
}

}  // namespace

TEST_CASE("presence counts only time with a compliant two-sided quote", "[mm]") {
  MmHarness m;
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 8, 0)));  // morning phase opens, 3.5 h long
  CHECK(m.mm.report() == nullptr);  // nothing completed yet
  // 08:00–09:00 nothing; 09:00 two-sided, 100 each, spread 200 (≤ 10% of 3019 = 301).
  m.Quote(Tokyo(2026, 11, 20, 9, 0), 'B', 2900, 100);
  const OrderRef ask = m.Quote(Tokyo(2026, 11, 20, 9, 0), 'S', 3100, 100);
  // 10:00 the ask shrinks below 100: two-sided but not compliant until 10:30.
  m.Feed(m.h.CancelOrder(Tokyo(2026, 11, 20, 10, 0), "JCRE", ask, 50, kMaker));
  m.Quote(Tokyo(2026, 11, 20, 10, 30), 'S', 3150, 120);  // spread 250, compliant again
  // Someone else's orders change nothing.
  m.Quote(Tokyo(2026, 11, 20, 10, 45), 'S', 3000, 500, kOther);
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 11, 30)));
  const MmPhaseResult& p = PhaseOf(m.mm, 0);
  CHECK(p.session == 0);
  CHECK(p.open_ns == 210LL * 60 * kNanosPerSecond);
  CHECK(p.present_ns == 120LL * 60 * kNanosPerSecond);  // 09:00–10:00 and 10:30–11:30
  CHECK(p.two_sided_ns == 150LL * 60 * kNanosPerSecond);
  CHECK(p.presence_pct() == Approx(100.0 * 120 / 210));
  CHECK_FALSE(p.compliant);  // 57 % < 80 %
  CHECK(p.worst_spread == 200);  // best ask 3100 (50 t) throughout
  CHECK(p.avg_spread == Approx(200));
  // Size: 100 for 60 min, 50 for 90 min (the 50 t ask is the best).
  CHECK(p.avg_size == Approx((100.0 * 60 + 50.0 * 90) / 150));
  CHECK(p.max_spread == 301);
  CHECK_FALSE(m.mm.report()->makers[0].compliant());
}

TEST_CASE("a maker quoting all phase long is compliant; a spread too wide is not", "[mm]") {
  MmHarness m;
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 8, 0)));
  m.Quote(Tokyo(2026, 11, 20, 8, 0), 'B', 2950, 200);
  m.Quote(Tokyo(2026, 11, 20, 8, 0), 'S', 3050, 200);
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 11, 30)));
  CHECK(PhaseOf(m.mm, 0).compliant);
  CHECK(PhaseOf(m.mm, 0).presence_pct() == Approx(100));
  // Afternoon: DAY orders still rest, but the new base price (no execution: 3019) keeps
  // the limit at 301; widen the quote to 400 by entering a far ask only.
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 12, 30)));
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 15, 0)));
  CHECK(PhaseOf(m.mm, 1).compliant);
  CHECK(m.mm.report()->makers[0].compliant());
  const std::string json = m.mm.report()->Json(m.h.engine.config(), std::vector<std::string>(20, "MMX"));
  CHECK(json.find("\"date\": \"2026-11-20\"") != std::string::npos);
  CHECK(json.find("\"category\": \"JCRE\"") != std::string::npos);
  CHECK(json.find("\"phase\": \"afternoon\"") != std::string::npos);
  CHECK(json.find("\"compliant\": true") != std::string::npos);
}

TEST_CASE("too wide a spread is two-sided but not present; halted time does not count", "[mm]") {
  MmHarness m;
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 8, 0)));
  m.Quote(Tokyo(2026, 11, 20, 8, 0), 'B', 2800, 100);
  m.Quote(Tokyo(2026, 11, 20, 8, 0), 'S', 3200, 100);  // spread 400 > 301
  // A halt from 10:00 to 11:00 removes that hour from the phase.
  Command halt;
  halt.type = CommandType::kHalt;
  halt.category = m.h.Cat("JCRE");
  halt.time = Tokyo(2026, 11, 20, 10, 0);
  m.Feed(m.h.Run(halt));
  halt.type = CommandType::kResume;
  halt.time = Tokyo(2026, 11, 20, 11, 0);
  m.Feed(m.h.Run(halt));
  m.Feed(m.h.Clock(Tokyo(2026, 11, 20, 11, 30)));
  const MmPhaseResult& p = PhaseOf(m.mm, 0);
  CHECK(p.open_ns == 150LL * 60 * kNanosPerSecond);
  CHECK(p.two_sided_ns == p.open_ns);
  CHECK(p.present_ns == 0);
  CHECK(p.worst_spread == 400);
  CHECK_FALSE(p.compliant);
}
