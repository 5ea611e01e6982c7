// ItchBook: applying each message type, refusing inconsistent input without changing
// anything, levels and curves, the canonical text, and the snapshot round trip.
#include <catch2/catch.hpp>

#include <random>

#include "marketdata/book/itch_book.h"

namespace ccx::md {
namespace {

constexpr uint32_t Yen(uint32_t y) { return y * itch::kPriceScale; }

itch::StockDirectory Dir(uint16_t locate, const char* code, uint32_t lot = 1) {
  itch::StockDirectory r;
  r.header.stock_locate = locate;
  r.stock = itch::MakeStock(code);
  r.round_lot_size = lot;
  return r;
}

itch::AddOrder Add(uint64_t ref, char side, uint32_t shares, const char* code, uint32_t price,
                   uint16_t locate = 1) {
  itch::AddOrder a;
  a.header.stock_locate = locate;
  a.order_ref = ref;
  a.side = side;
  a.shares = shares;
  a.stock = itch::MakeStock(code);
  a.price = price;
  return a;
}

// A book with two categories: JCEE (locate 1) and JCRE (locate 2).
ItchBook TwoCategories() {
  ItchBook b;
  REQUIRE(b.Apply(itch::SystemEvent{{}, 'O'}).ok());
  REQUIRE(b.Apply(Dir(1, "JCEE")).ok());
  REQUIRE(b.Apply(Dir(2, "JCRE", 10)).ok());
  return b;
}

TEST_CASE("ItchBook: directory, adds, levels in price-time order", "[marketdata][book]") {
  ItchBook b = TwoCategories();
  REQUIRE(b.num_categories() == 2);
  CHECK(b.category(1).code == "JCRE");
  CHECK(b.category(1).directory.round_lot_size == 10);
  CHECK(b.FindCategory("JCRE") == 1);
  CHECK(b.FindCategory("NONE") == -1);
  REQUIRE(b.Apply(Add(5, 'B', 100, "JCEE", Yen(1650))).ok());
  REQUIRE(b.Apply(Add(3, 'B', 50, "JCEE", Yen(1650))).ok());  // later in time despite ref 3
  REQUIRE(b.Apply(Add(7, 'B', 20, "JCEE", Yen(1660))).ok());
  REQUIRE(b.Apply(Add(8, 'S', 30, "JCEE", Yen(1670))).ok());
  REQUIRE(b.Apply(Add(9, 'S', 40, "JCRE", Yen(3019), 2)).ok());
  CHECK(b.order_count() == 5);
  CHECK(b.category(0).order_count == 4);
  CHECK(b.BookText(0) ==
        "JCEE\n"
        "B 1660 20: 7x20\n"
        "B 1650 150: 5x100 3x50\n"
        "S 1670 30: 8x30\n");
  CHECK(b.BookText(1) == "JCRE\nS 3019 40: 9x40\n");
  const auto bids = b.Levels(0, 'B');
  REQUIRE(bids.size() == 2);
  CHECK(bids[0] == PriceLevel{Yen(1660), 20, 1});
  CHECK(bids[1] == PriceLevel{Yen(1650), 150, 2});
  // Cumulative curves at every price: demand = buys >= p, supply = sells <= p.
  const auto curves = b.Curves(0);
  REQUIRE(curves.size() == 3);
  CHECK(curves[0] == CurvePoint{Yen(1650), 170, 0});
  CHECK(curves[1] == CurvePoint{Yen(1660), 20, 0});
  CHECK(curves[2] == CurvePoint{Yen(1670), 0, 30});
}

TEST_CASE("ItchBook: cancel, delete, replace, execute", "[marketdata][book]") {
  ItchBook b = TwoCategories();
  REQUIRE(b.Apply(Add(1, 'B', 100, "JCEE", Yen(1650))).ok());
  REQUIRE(b.Apply(Add(2, 'B', 100, "JCEE", Yen(1650))).ok());
  REQUIRE(b.Apply(Add(3, 'S', 100, "JCEE", Yen(1660))).ok());

  // A partial cancel keeps the place in time.
  REQUIRE(b.Apply(itch::OrderCancel{{1, 0, 0}, 1, 40}).ok());
  CHECK(b.BookText(0) == "JCEE\nB 1650 160: 1x60 2x100\nS 1660 100: 3x100\n");
  // A replace is a new order at the back of its level, with the side kept.
  REQUIRE(b.Apply(itch::OrderReplace{{1, 0, 0}, 1, 4, 70, Yen(1650)}).ok());
  CHECK(b.FindOrder(1) == nullptr);
  REQUIRE(b.FindOrder(4) != nullptr);
  CHECK(b.FindOrder(4)->side == 'B');
  CHECK(b.BookText(0) == "JCEE\nB 1650 170: 2x100 4x70\nS 1660 100: 3x100\n");
  // Executions reduce, and remove an order whose rest is 0.
  REQUIRE(b.Apply(itch::OrderExecuted{{1, 0, 0}, 2, 30, 11}).ok());
  REQUIRE(b.Apply(itch::OrderExecuted{{1, 0, 0}, 3, 100, 12}).ok());
  CHECK(b.BookText(0) == "JCEE\nB 1650 140: 2x70 4x70\n");
  REQUIRE(b.Apply(itch::OrderDelete{{1, 0, 0}, 2}).ok());
  CHECK(b.BookText(0) == "JCEE\nB 1650 70: 4x70\n");
  CHECK(b.category(0).order_count == 1);
  CHECK(b.Levels(0, 'S').empty());
  // Results, states and NOII are kept per category.
  itch::CrossTrade q;
  q.stock = itch::MakeStock("JCEE");
  q.shares = 100;
  q.cross_price = Yen(1655);
  q.match_number = 11;
  q.cross_type = 'I';
  REQUIRE(b.Apply(q).ok());
  itch::TradingAction h;
  h.stock = itch::MakeStock("JCRE");
  h.trading_state = 'T';
  REQUIRE(b.Apply(h).ok());
  itch::Noii n;
  n.stock = itch::MakeStock("JCRE");
  n.paired_shares = 5;
  REQUIRE(b.Apply(n).ok());
  CHECK(b.category(0).crosses.size() == 1);
  CHECK(b.category(0).crosses[0].cross_price == Yen(1655));
  CHECK(b.category(1).trading_state() == 'T');
  CHECK(b.category(0).trading_state() == ' ');
  CHECK(b.category(1).noii->paired_shares == 5);
}

TEST_CASE("ItchBook: inconsistent input is refused and changes nothing", "[marketdata][book]") {
  ItchBook b = TwoCategories();
  REQUIRE(b.Apply(Add(1, 'B', 100, "JCEE", Yen(1650))).ok());
  const std::string before = b.StateText();
  auto refused = [&](const itch::Message& m, absl::StatusCode code, const std::string& words) {
    const absl::Status s = b.Apply(m);
    CHECK(s.code() == code);
    CHECK_THAT(std::string(s.message()), Catch::Contains(words));
    CHECK(b.StateText() == before);
  };
  refused(Add(1, 'S', 5, "JCEE", Yen(1650)), absl::StatusCode::kAlreadyExists, "already resting");
  refused(Add(2, 'B', 5, "NOPE", Yen(1650), 0), absl::StatusCode::kNotFound, "unknown category 'NOPE'");
  refused(Add(2, 'X', 5, "JCEE", Yen(1650)), absl::StatusCode::kInvalidArgument, "side 'X'");
  refused(Add(2, 'B', 0, "JCEE", Yen(1650)), absl::StatusCode::kInvalidArgument, "0 shares");
  refused(Add(2, 'B', 5, "JCEE", Yen(1650), 2), absl::StatusCode::kInvalidArgument, "stock locate 2");
  refused(itch::OrderCancel{{}, 9, 1}, absl::StatusCode::kNotFound, "unknown order reference 9");
  refused(itch::OrderCancel{{}, 1, 101}, absl::StatusCode::kInvalidArgument, "which has 100 open");
  refused(itch::OrderDelete{{2, 0, 0}, 1}, absl::StatusCode::kInvalidArgument, "locate 2");
  refused(itch::OrderExecuted{{}, 1, 101, 1}, absl::StatusCode::kInvalidArgument, "execution of 101");
  refused(itch::OrderReplace{{}, 8, 9, 1, Yen(1)}, absl::StatusCode::kNotFound, "unknown order");
  REQUIRE(b.Apply(Add(2, 'S', 5, "JCEE", Yen(1660))).ok());
  const std::string with2 = b.StateText();
  const absl::Status dup = b.Apply(itch::OrderReplace{{}, 1, 2, 10, Yen(1650)});
  CHECK(dup.code() == absl::StatusCode::kAlreadyExists);
  CHECK(b.StateText() == with2);
  CHECK(b.Apply(Dir(5, "GXCR")).code() == absl::StatusCode::kInvalidArgument);
  const std::vector<uint8_t> junk{'Z', 1, 2};
  CHECK(b.ApplyBytes(junk).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("ItchBook: start of messages begins a new day", "[marketdata][book]") {
  ItchBook b = TwoCategories();
  REQUIRE(b.Apply(Add(1, 'B', 100, "JCEE", Yen(1650))).ok());
  REQUIRE(b.Apply(itch::SystemEvent{{}, 'O'}).ok());
  CHECK(b.num_categories() == 0);
  CHECK(b.order_count() == 0);
  CHECK(b.system_event() == 'O');
}

TEST_CASE("ItchBook: prices with a fraction print exactly", "[marketdata][book]") {
  CHECK(FormatWirePrice(16550000) == "1655");
  CHECK(FormatWirePrice(16555000) == "1655.5");
  CHECK(FormatWirePrice(16550001) == "1655.0001");
  CHECK(FormatWirePrice(0) == "0");
}

TEST_CASE("ItchBook: snapshot of a random book rebuilds an equal book", "[marketdata][book]") {
  std::mt19937_64 rng(20260306);
  ItchBook b = TwoCategories();
  std::vector<uint64_t> live;
  uint64_t next_ref = 1;
  for (int i = 0; i < 3000; ++i) {
    const int action = static_cast<int>(rng() % 10);
    if (action < 6 || live.empty()) {
      const bool second = rng() % 2 == 1;
      const uint64_t ref = next_ref++;
      REQUIRE(b.Apply(Add(ref, rng() % 2 ? 'B' : 'S', 1 + rng() % 500, second ? "JCRE" : "JCEE",
                          Yen(1600 + static_cast<uint32_t>(rng() % 100)), second ? 2 : 1))
                  .ok());
      live.push_back(ref);
      continue;
    }
    const size_t k = rng() % live.size();
    const BookOrder o = *b.FindOrder(live[k]);
    if (action == 6) {
      REQUIRE(b.Apply(itch::OrderDelete{{}, o.ref}).ok());
      live.erase(live.begin() + static_cast<long>(k));
    } else if (action == 7 && o.shares > 1) {
      REQUIRE(b.Apply(itch::OrderCancel{{}, o.ref, 1 + static_cast<uint32_t>(rng() % (o.shares - 1))}).ok());
    } else if (action == 8) {
      const uint64_t ref = next_ref++;
      REQUIRE(b.Apply(itch::OrderReplace{{}, o.ref, ref, 1 + static_cast<uint32_t>(rng() % 500), o.price}).ok());
      live[k] = ref;
    } else {
      const uint32_t x = 1 + static_cast<uint32_t>(rng() % o.shares);
      REQUIRE(b.Apply(itch::OrderExecuted{{}, o.ref, x, next_ref}).ok());
      if (x == o.shares) live.erase(live.begin() + static_cast<long>(k));
    }
  }
  itch::TradingAction h;
  h.stock = itch::MakeStock("JCEE");
  h.trading_state = 'T';
  REQUIRE(b.Apply(h).ok());
  itch::CrossTrade q;
  q.stock = itch::MakeStock("JCRE");
  q.shares = 77;
  q.cross_price = Yen(3000);
  q.cross_type = 'I';
  REQUIRE(b.Apply(q).ok());
  itch::Noii n;
  n.stock = itch::MakeStock("JCEE");
  n.paired_shares = 12;
  n.far_price = n.near_price = Yen(1655);
  REQUIRE(b.Apply(n).ok());
  REQUIRE(b.order_count() > 100);

  const auto snapshot = b.Snapshot();
  // S 'O', 2 R, 1 H, one A per order, 1 Q, 1 I.
  CHECK(snapshot.size() == 1 + 2 + 1 + b.order_count() + 1 + 1);
  ItchBook fresh;
  REQUIRE(fresh.Apply(Add(999999, 'B', 1, "JCEE", 1)).code() == absl::StatusCode::kNotFound);
  for (const auto& m : snapshot) REQUIRE(fresh.ApplyBytes(m).ok());
  CHECK(fresh.StateText() == b.StateText());
  CHECK(fresh.BookHash(0) == b.BookHash(0));
  CHECK(fresh.BookHash(1) == b.BookHash(1));
  // The snapshot of the rebuilt book is byte-identical.
  CHECK(fresh.Snapshot() == snapshot);
}

}  // namespace
}  // namespace ccx::md
