// The ITCH feed that the exchange core builds from engine events (marketdata/feed): what is
// published at day start, for each order change, at the auction and at day end, NOII
// conflation, and that replaying the same inputs rebuilds the same bytes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gateway/core/exchange_core.h"
#include "tools/lib/ouch_client.h"

using namespace ccx;

namespace {

std::string Shipped() { return std::string(CCX_SOURCE_ROOT) + "/config/market.toml"; }

std::vector<uint8_t> Ouch(ParticipantId who, const ouch::Inbound& m) {
  OuchInput in;
  in.participant = who;
  in.length = static_cast<uint8_t>(ouch::Encode(m, in.message));
  const auto* p = reinterpret_cast<const uint8_t*>(&in);
  return std::vector<uint8_t>(p, p + sizeof in);
}

Timestamp At(int d, int hh, int mm, int ss = 0, int64_t ns = 0) {
  return LocalToTimestamp(absl::CivilDay(2026, 11, d), hh * 60 + mm, 540) + ss * kNanosPerSecond + ns;
}

struct Fixture {
  explicit Fixture(int64_t noii_ns = 0) {
    auto market = LoadMarketConfig(Shipped());
    REQUIRE(market.ok());
    auto reg = LoadParticipants(Shipped(), *market);
    REQUIRE(reg.ok());
    CoreOptions o;
    o.noii_interval_ns = noii_ns;
    o.settlement.checks = {false, false};  // no deposits here: pre-trade checks off
    core = std::make_unique<ExchangeCore>(*market, *reg, o);
  }
  void Enter(Timestamp t, ParticipantId who, const std::string& tok, char side, uint32_t qty,
             const std::string& cat, uint32_t price, bool auction = false) {
    REQUIRE(core->Apply(InputKind::kOuch, t, Ouch(who, MakeEnter(tok, side, qty, cat, price, auction))));
  }
  void Clock(Timestamp t) { REQUIRE(core->Apply(InputKind::kClock, t, {})); }
  /// Every message of the current day from `from` on, decoded.
  std::vector<itch::Message> From(uint64_t from) {
    std::vector<itch::Message> out;
    const auto day = core->feed().day();
    for (uint64_t s = from; s <= day->log.size(); ++s) {
      itch::Message m;
      REQUIRE(itch::DecodeMessage(day->log.message(s), &m) == itch::DecodeStatus::kOk);
      out.push_back(m);
    }
    return out;
  }
  uint64_t Size() { return core->feed().day()->log.size(); }
  std::unique_ptr<ExchangeCore> core;
};

template <typename T>
std::vector<T> All(const std::vector<itch::Message>& ms) {
  std::vector<T> out;
  for (const auto& m : ms) {
    if (auto* p = std::get_if<T>(&m)) out.push_back(*p);
  }
  return out;
}

std::string Types(const std::vector<itch::Message>& ms) {
  std::string s;
  for (const auto& m : ms) {
    std::visit([&](const auto& x) { s += std::decay_t<decltype(x)>::kType; }, m);
  }
  return s;
}

}  // namespace

TEST_CASE("day start: start of messages, one directory per category, start of system hours", "[feed]") {
  Fixture f;
  f.Clock(At(20, 7, 0));
  const auto ms = f.From(1);
  REQUIRE(ms.size() >= 10);
  CHECK(std::get<itch::SystemEvent>(ms[0]).event_code == 'O');
  const auto dirs = All<itch::StockDirectory>(ms);
  REQUIRE(dirs.size() == 8);
  for (size_t i = 0; i < dirs.size(); ++i) {
    CHECK(dirs[i].header.stock_locate == i + 1);
    CHECK(dirs[i].round_lot_size == 1);
  }
  CHECK(itch::StockView(dirs[1].stock) == "JCRE");
  CHECK(std::get<itch::SystemEvent>(ms[9]).event_code == 'S');
  CHECK(f.core->feed().day()->session == "20261120");
  // Every category reports its (closed) state; nothing is open at 07:00.
  const auto actions = All<itch::TradingAction>(ms);
  REQUIRE(actions.size() == 8);
  for (const auto& h : actions) CHECK(h.trading_state == 'Q');
  CHECK(All<itch::Noii>(ms).empty());
}

TEST_CASE("orders: add, replace, partial cancel, delete, with the exchange's references", "[feed]") {
  Fixture f;
  f.Clock(At(20, 8, 0));
  const auto opening = f.From(1);
  std::string events;
  for (const auto& e : All<itch::SystemEvent>(opening)) events += e.event_code;
  CHECK(events == "OSQ");  // start of messages, of system hours, of market hours
  const auto actions = All<itch::TradingAction>(opening);
  REQUIRE(actions.size() == 16);  // closed at midnight, open at 08:00
  for (size_t i = 8; i < 16; ++i) CHECK(actions[i].trading_state == 'T');
  CHECK(All<itch::Noii>(opening).size() == 8);  // one per category at the opening
  const uint64_t mark = f.Size() + 1;
  f.Enter(At(20, 9, 0), 0, "B1", 'B', 100, "JCRE", 3010);
  f.Enter(At(20, 9, 1), 1, "S1", 'S', 60, "JCRE", 3000);
  ouch::ReplaceOrder u;
  u.existing_token = ouch::MakeToken("B1");
  u.replacement_token = ouch::MakeToken("B2");
  u.shares = 90;
  u.price = 3020 * ouch::kPriceScale;
  u.tif = 99999;
  REQUIRE(f.core->Apply(InputKind::kOuch, At(20, 9, 2), Ouch(0, u)));
  ouch::CancelOrder x;
  x.token = ouch::MakeToken("S1");
  x.shares = 50;  // leave 50
  REQUIRE(f.core->Apply(InputKind::kOuch, At(20, 9, 3), Ouch(1, x)));
  x.shares = 0;
  REQUIRE(f.core->Apply(InputKind::kOuch, At(20, 9, 4), Ouch(1, x)));
  const auto ms = f.From(mark);
  const auto adds = All<itch::AddOrder>(ms);
  REQUIRE(adds.size() == 2);
  CHECK(adds[0].order_ref == 1);
  CHECK(adds[0].side == 'B');
  CHECK(adds[0].shares == 100);
  CHECK(itch::StockView(adds[0].stock) == "JCRE");
  CHECK(adds[0].price == 3010 * itch::kPriceScale);
  CHECK(adds[0].header.stock_locate == 2);
  CHECK(adds[0].header.timestamp == 9ull * 3600 * kNanosPerSecond);
  const auto rep = All<itch::OrderReplace>(ms);
  REQUIRE(rep.size() == 1);
  CHECK(rep[0].original_ref == 1);
  CHECK(rep[0].new_ref == 3);
  CHECK(rep[0].shares == 90);
  CHECK(rep[0].price == 3020 * itch::kPriceScale);
  const auto xs = All<itch::OrderCancel>(ms);
  REQUIRE(xs.size() == 1);
  CHECK(xs[0].order_ref == 2);
  CHECK(xs[0].cancelled_shares == 10);
  const auto ds = All<itch::OrderDelete>(ms);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].order_ref == 2);
  // NOII after the crossing order: 60 paired, 40 bought in surplus, price 3010 (base 3019).
  const auto noiis = All<itch::Noii>(ms);
  REQUIRE(!noiis.empty());
  CHECK(noiis.front().paired_shares == 60);
  CHECK(noiis.front().imbalance_shares == 40);
  CHECK(noiis.front().imbalance_direction == 'B');
  CHECK(noiis.front().far_price == 3019 * itch::kPriceScale);
  CHECK(noiis.front().near_price == 3019 * itch::kPriceScale);
  CHECK(noiis.front().cross_type == 'I');
  CHECK(noiis.back().paired_shares == 0);  // the sell is gone
  CHECK(noiis.back().imbalance_direction == 'N');
}

TEST_CASE("auction: executions, one cross trade per category, expiry, new base in the NOII", "[feed]") {
  Fixture f;
  f.Enter(At(20, 9, 0), 0, "B1", 'B', 100, "JCRE", 3010);
  f.Enter(At(20, 9, 1), 1, "S1", 'S', 60, "JCRE", 3000, /*auction=*/true);
  f.Enter(At(20, 9, 2), 1, "S2", 'S', 10, "JCEE", 9000 / 6);  // no buyer in JCEE
  const uint64_t mark = f.Size() + 1;
  f.Clock(At(20, 11, 30));
  const auto ms = f.From(mark);
  const auto execs = All<itch::OrderExecuted>(ms);
  REQUIRE(execs.size() == 2);
  CHECK(execs[0].executed_shares == 60);
  CHECK(execs[1].executed_shares == 60);
  CHECK(execs[0].match_number != execs[1].match_number);
  const auto crosses = All<itch::CrossTrade>(ms);
  REQUIRE(crosses.size() == 7);  // GXCR has no 11:30 auction
  for (const auto& q : crosses) {
    CHECK(q.cross_type == 'I');
    if (itch::StockView(q.stock) == "JCRE") {
      CHECK(q.shares == 60);
      CHECK(q.cross_price == 3010 * itch::kPriceScale);
      CHECK(q.match_number > 0);
    } else {
      CHECK(q.shares == 0);
      CHECK(q.cross_price == 0);
    }
  }
  // The executions come before the category's cross trade.
  const std::string types = Types(ms);
  CHECK(types.find("EEQ") != std::string::npos);
  // The fully executed AUCTION sell is gone by execution; nothing else expired (DAY orders).
  CHECK(All<itch::OrderDelete>(ms).empty());
  // After the auction: JCRE's NOII carries the new base price 3010.
  bool saw = false;
  for (const auto& n : All<itch::Noii>(ms)) {
    if (itch::StockView(n.stock) == "JCRE") {
      saw = true;
      CHECK(n.far_price == 3010 * itch::kPriceScale);
      CHECK(n.cross_type == 'C');
    }
  }
  CHECK(saw);
  // 15:00: DAY orders expire (delete), market hours end (M); the next day ends the session.
  const uint64_t mark2 = f.Size() + 1;
  f.Clock(At(20, 15, 0));
  const auto pm = f.From(mark2);
  CHECK(All<itch::OrderDelete>(pm).size() == 2);  // B1's rest, S2
  for (const auto& q : All<itch::CrossTrade>(pm)) CHECK(q.cross_type == 'C');
  CHECK(All<itch::CrossTrade>(pm).size() == 8);
  CHECK(std::get<itch::SystemEvent>(pm.back()).event_code == 'M');
  const auto day1 = f.core->feed().day();
  f.Clock(At(21, 0, 0, 1));
  REQUIRE(f.core->feed().previous_day() == day1);
  const uint64_t n = day1->log.size();
  itch::SystemEvent e, c;
  REQUIRE(itch::Decode(day1->log.message(n - 1), &e) == itch::DecodeStatus::kOk);
  REQUIRE(itch::Decode(day1->log.message(n), &c) == itch::DecodeStatus::kOk);
  CHECK(e.event_code == 'E');
  CHECK(c.event_code == 'C');
  CHECK(f.core->feed().day()->session == "20261121");
}

TEST_CASE("NOIIs are conflated to one per interval and only when they change", "[feed]") {
  Fixture f(100'000'000);  // 100 ms
  f.Clock(At(20, 9, 0));
  f.Enter(At(20, 9, 0, 0, 1'000'000), 0, "B1", 'B', 100, "JCRE", 3010);
  const uint64_t mark = f.Size() + 1;
  f.Enter(At(20, 9, 0, 0, 2'000'000), 1, "S1", 'S', 60, "JCRE", 3000);
  f.Enter(At(20, 9, 0, 0, 3'000'000), 1, "S2", 'S', 10, "JCRE", 3000);
  CHECK(All<itch::Noii>(f.From(mark)).empty());  // held back: the opening NOII is 9:00:00
  CHECK_FALSE(f.core->ClockDue(At(20, 9, 0, 0, 99'000'000)));
  CHECK(f.core->ClockDue(At(20, 9, 0, 0, 100'000'000)));
  f.Clock(At(20, 9, 0, 0, 100'000'000));
  auto noiis = All<itch::Noii>(f.From(mark));
  REQUIRE(noiis.size() == 1);  // one, with the latest state
  CHECK(noiis[0].paired_shares == 70);
  CHECK_FALSE(f.core->ClockDue(At(20, 10, 0)));
  // A change that leaves the indicative as it was publishes nothing.
  f.Enter(At(20, 9, 5), 2, "B9", 'B', 5, "JCRE", 2000);
  f.Clock(At(20, 9, 6));
  CHECK(All<itch::Noii>(f.From(mark)).size() == 1);
}

TEST_CASE("replaying the same inputs rebuilds the same feed, byte for byte", "[feed]") {
  Fixture a(100'000'000), b(100'000'000);
  for (Fixture* f : {&a, &b}) {
    for (int i = 0; i < 200; ++i) {
      const Timestamp t = At(20, 8, 0) + i * 250'000'000LL;
      f->Enter(t, static_cast<ParticipantId>(i % 5), "T" + std::to_string(i), i % 2 ? 'B' : 'S',
               static_cast<uint32_t>(1 + i % 17), i % 3 ? "JCRE" : "JCEE",
               static_cast<uint32_t>(i % 3 ? 2990 + i % 40 : 1640 + i % 30));
      if (f->core->ClockDue(t + 1)) f->Clock(t + 1);
    }
    f->Clock(At(20, 11, 30));
  }
  const auto da = a.core->feed().day(), db = b.core->feed().day();
  REQUIRE(da->log.size() == db->log.size());
  CHECK(da->log.size() > 400);
  for (uint64_t s = 1; s <= da->log.size(); ++s) {
    const auto x = da->log.message(s), y = db->log.message(s);
    REQUIRE(std::equal(x.begin(), x.end(), y.begin(), y.end()));
  }
}
