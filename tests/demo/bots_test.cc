// The trading bots' pure parts: the market maker's quoter (fair value, width, skew, band,
// limits, when to replace), presence accounting, own-order tracking from OUCH messages,
// and the simulated-clock estimate.
#include <catch2/catch.hpp>

#include <chrono>

#include "tools/mm/bot_util.h"
#include "tools/mm/own_orders.h"
#include "tools/mm/presence.h"
#include "tools/mm/quoter.h"
#include "tools/mm/sim_clock.h"

namespace ccx::bots {
namespace {

CategoryConfig Cat(Price reference = 1655) {
  CategoryConfig c;
  c.code = "JCEE";
  c.reference_price = reference;
  c.tick = 1;
  c.band_percent = 90;
  return c;
}

MarketView View(int64_t base, int64_t last = 0, int64_t indicative = 0) {
  MarketView v;
  v.base = base;
  v.last_clearing = last;
  v.indicative = indicative;
  v.tick = 1;
  v.band = BandFor(Cat(), base);
  return v;
}

constexpr int64_t kLots = int64_t{1} << 40;  // no cash or credit limit

}  // namespace

TEST_CASE("band follows the engine's rule, narrowed by floor and ceiling", "[bots]") {
  const Band b = BandFor(Cat(), 1655);
  CHECK(b.lower == 1655 - 1489);
  CHECK(b.upper == 1655 + 1489);
  CategoryConfig gx = Cat(3000);
  gx.floor = 1700;
  gx.ceiling = 4300;
  const Band g = BandFor(gx, 3000);
  CHECK(g.lower == 1700);
  CHECK(g.upper == 4300);
}

TEST_CASE("fair value: last clearing price, pulled half-way to the indicative, capped", "[bots]") {
  QuoteParams p;  // weight 0.5, pull at most 5%
  CHECK(FairValue(View(2000), p) == 2000);
  CHECK(FairValue(View(2000, 2100), p) == 2100);              // last clearing beats the base
  CHECK(FairValue(View(2000, 0, 2040), p) == 2020);           // half-way to the indicative
  CHECK(FairValue(View(2000, 0, 3000), p) == 2000 + 50);      // pull capped at 5% (100), halved
  CHECK(FairValue(View(2000, 0, 1000), p) == 2000 - 50);
}

TEST_CASE("quote: constant width inside the obligation, centred, skewed by inventory", "[bots]") {
  QuoteParams p;  // 200 t, 4% of base
  const Quote q = ComputeQuote(View(2000), p, 0, kLots, kLots);
  CHECK(q.ask - q.bid == 80);
  CHECK(q.bid == 1960);
  CHECK(q.ask == 2040);
  CHECK(q.bid_size == 200);
  CHECK(q.ask_size == 200);
  // Long half the maximum: the mid moves down by half a half-spread; width unchanged.
  const Quote l = ComputeQuote(View(2000), p, p.max_position / 2, kLots, kLots);
  CHECK(l.ask - l.bid == 80);
  CHECK(l.bid == 1940);
  // At the maximum long position the bid stops; short, the offer stops.
  CHECK(ComputeQuote(View(2000), p, p.max_position, kLots, kLots).bid_size == 0);
  CHECK(ComputeQuote(View(2000), p, -p.max_position, kLots, kLots).ask_size == 0);
  // A wider spread than the obligation allows is narrowed to it.
  p.spread_pct = 25;
  const Quote w = ComputeQuote(View(2000), p, 0, kLots, kLots);
  CHECK(w.ask - w.bid == 200);
}

TEST_CASE("quote: limits cap the sizes, the band clamps the prices", "[bots]") {
  QuoteParams p;
  // 100,000 yen buys 51 t at 1,960.
  const Quote c = ComputeQuote(View(2000), p, 0, 100'000, kLots);
  CHECK(c.bid_size == 51);
  CHECK(ComputeQuote(View(2000), p, 0, kLots, 30).ask_size == 30);
  CHECK(ComputeQuote(View(2000), p, 0, 0, 0).bid_size == 0);
  // A tiny base price: the bid stays at one tick or above, the ask above the bid.
  MarketView v = View(2);
  const Quote t = ComputeQuote(v, p, 0, kLots, kLots);
  CHECK(t.bid >= v.band.lower);
  CHECK(t.ask <= v.band.upper);
  CHECK(t.ask > t.bid);
}

TEST_CASE("replace only when the price moved enough or the size fell short", "[bots]") {
  CHECK_FALSE(NeedsReplace(2000, 200, 2010, 200, 20, 100));
  CHECK(NeedsReplace(2000, 200, 2020, 200, 20, 100));
  CHECK(NeedsReplace(2000, 90, 2000, 200, 20, 100));   // below the obligation's size
  CHECK(NeedsReplace(2000, 99, 2000, 150, 20, 100));
  CHECK(NeedsReplace(2000, 300, 2000, 200, 20, 100));  // more than wanted (a limit shrank it)
  CHECK_FALSE(NeedsReplace(2000, 150, 2000, 200, 20, 100));
}

TEST_CASE("presence counts compliant time per phase", "[bots]") {
  Presence pr;
  const uint64_t s = 1'000'000'000ULL;
  pr.Open(100 * s);
  pr.Update(110 * s, QuoteState{true, true, 80, 200});
  pr.Update(150 * s, QuoteState{true, false, 300, 200});  // too wide
  pr.Update(160 * s, QuoteState{false, false, 0, 0});
  pr.Update(170 * s, QuoteState{true, true, 80, 100});
  pr.Close(200 * s);
  pr.Update(250 * s, QuoteState{true, true, 80, 100});  // closed: not counted
  REQUIRE(pr.phases().size() == 1);
  const PhaseRecord& p = pr.phases()[0];
  CHECK(p.length(0) == 100 * s);
  CHECK(p.compliant_ns == 70 * s);
  CHECK(p.two_sided_ns == 80 * s);
  CHECK(p.worst_spread == 300);
  CHECK(p.compliant_fraction(0) == Approx(0.7));
  CHECK(p.average_spread() == Approx((40.0 * 80 + 10.0 * 300 + 30.0 * 80) / 80));
  // A later phase continues from the state the quote was left in.
  pr.Open(300 * s);
  pr.Close(400 * s);
  CHECK(pr.phases()[1].compliant_ns == 100 * s);
}

TEST_CASE("own orders follow accept, replace, execution, cancel and rejects", "[bots]") {
  OwnOrders o;
  const ouch::EnterOrder e = [] {
    ouch::EnterOrder x;
    x.token = ouch::MakeToken("Q1");
    x.side = 'B';
    x.shares = 200;
    x.stock = ouch::MakeStock("JCEE");
    x.price = 1600 * ouch::kPriceScale;
    x.tif = 99999;
    return x;
  }();
  o.SentEnter(e);
  CHECK(o.Pending("Q1"));
  ouch::Accepted a;
  a.token = e.token;
  a.side = 'B';
  a.shares = 200;
  a.stock = e.stock;
  a.price = e.price;
  a.order_ref = 7;
  a.timestamp = 42;
  OrderEvent ev = o.Apply(a);
  CHECK(ev.kind == OrderEvent::kAccepted);
  CHECK(ev.live);
  CHECK(ev.timestamp == 42);
  CHECK(o.live_count() == 1);
  // Replace: the new token is live, the old one gone.
  ouch::ReplaceOrder u;
  u.existing_token = e.token;
  u.replacement_token = ouch::MakeToken("Q2");
  u.shares = 150;
  u.price = 1610 * ouch::kPriceScale;
  o.SentReplace(u);
  CHECK(o.Find("Q1")->replacing_with == "Q2");
  ouch::Replaced r;
  r.replacement_token = u.replacement_token;
  r.previous_token = e.token;
  r.side = 'B';
  r.shares = 150;
  r.stock = e.stock;
  r.price = u.price;
  ev = o.Apply(r);
  CHECK(ev.kind == OrderEvent::kReplaced);
  CHECK(ev.previous == "Q1");
  CHECK_FALSE(o.Find("Q1")->live);
  CHECK(o.Find("Q2")->live);
  CHECK(o.live_count() == 1);
  // A refused replace leaves the order as it was.
  u.existing_token = r.replacement_token;
  u.replacement_token = ouch::MakeToken("Q3");
  o.SentReplace(u);
  ouch::Rejected j;
  j.token = u.replacement_token;
  j.reason = 'p';
  ev = o.Apply(j);
  CHECK(ev.kind == OrderEvent::kReplaceRejected);
  CHECK(ev.previous == "Q2");
  CHECK(o.Find("Q2")->live);
  CHECK(o.Find("Q2")->replacing_with.empty());
  // Partial execution, then expiry of the rest.
  ouch::Executed x;
  x.token = r.replacement_token;
  x.executed_shares = 100;
  x.execution_price = 1605 * ouch::kPriceScale;
  ev = o.Apply(x);
  CHECK(ev.kind == OrderEvent::kExecuted);
  CHECK(ev.live);
  CHECK(o.position("JCEE").bought == 100);
  CHECK(o.position("JCEE").bought_yen == 160'500);
  CHECK(o.position("JCEE").inventory() == 100);
  ouch::Canceled c;
  c.token = r.replacement_token;
  c.decrement_shares = 50;
  c.reason = 'T';
  ev = o.Apply(c);
  CHECK_FALSE(ev.live);
  CHECK(o.live_count() == 0);
  CHECK(o.counts().orders() == 1);
  CHECK(o.counts().replaces() == 2);
  CHECK(o.counts().replace_rejects == 1);
  CHECK(o.counts().cancelled('T') == 1);
  CHECK(o.counts().rejects.at('p') == 1);
  o.Clear();
  CHECK(o.live_count() == 0);
  CHECK(o.positions().empty());
  CHECK(o.counts().orders() == 0);
}

TEST_CASE("the simulated clock runs on between timestamps", "[bots]") {
  using std::chrono::milliseconds;
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  const uint64_t s = 1'000'000'000ULL;
  SimClock fixed(500);
  CHECK_FALSE(fixed.known());
  fixed.Observe(8 * 3600 * s, t0);
  CHECK(fixed.Now(t0 + milliseconds(100)) == 8 * 3600 * s + 50 * s);
  SimClock est;  // estimated from what it sees
  est.Observe(0, t0);  // start-of-day messages: no news about the time
  CHECK_FALSE(est.known());
  uint64_t ts = 8 * 3600 * s;
  auto real = t0;
  est.Observe(ts, real);
  for (int i = 0; i < 3; ++i) {
    ts += 250 * s;
    real += milliseconds(500);
    est.Observe(ts, real);
  }
  CHECK(est.speed() == Approx(500));
  // A jump of the operator's clock is not taken for speed.
  ts = 12 * 3600 * s;
  real += milliseconds(500);
  est.Observe(ts, real);
  CHECK(est.speed() == Approx(500));
  CHECK(est.Now(real) == ts);
  CHECK(est.Now(real + milliseconds(10)) == ts + 5 * s);
}

TEST_CASE("bot option helpers say what is wrong", "[bots]") {
  CHECK(ParseHostPort("127.0.0.1:26402", "--retrans")->second == 26402);
  CHECK_FALSE(ParseHostPort("localhost", "--retrans").ok());
  CHECK(std::string(ParseHostPort("h:99999", "--retrans").status().message()).find("--retrans") == 0);
  CHECK(*ParseTimeOfDay("15:00") == 15 * 3600 * 1'000'000'000ULL);
  CHECK(*ParseTimeOfDay("11:30:15") == (11 * 3600 + 30 * 60 + 15) * 1'000'000'000ULL);
  CHECK_FALSE(ParseTimeOfDay("25:00").ok());
  CHECK_FALSE(ParseTimeOfDay("9:00").ok());
  CHECK(FormatTimeOfDay((8 * 3600 + 5) * 1'000'000'000ULL) == "08:00:05");
  CHECK(Thousands(-1234567) == "-1,234,567");
  MarketConfig m;
  m.categories.push_back(Cat());
  CHECK(ParseCategoryList("JCEE, JCEE", m)->size() == 1);
  CHECK_FALSE(ParseCategoryList("JCEE,NOPE", m).ok());
}

}  // namespace ccx::bots
