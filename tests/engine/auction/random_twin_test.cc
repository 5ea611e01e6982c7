// Randomized comparison of the fast auction (Book + PriceBook + Allocator) with the slow
// reference twin on 100,000+ random books per run, with fixed seeds. Books include orders
// resting beyond the band, one-tick bands, single participants and huge quantities.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "engine/auction/allocator.h"
#include "engine/auction/pricer.h"
#include "engine/auction/reference.h"
#include "engine/book/book.h"

namespace {

struct Shape {
  const char* name;
  int max_orders;
  int participants;
  bool huge;
  bool one_tick;
};

void CheckItayoseInvariants(const std::vector<ccx::RefOrder>& orders, const ccx::Band& band,
                            const ccx::Clearing& c, const std::vector<ccx::Execution>& ex,
                            const std::vector<ccx::Trade>& trades) {
  if (!c.executes) {
    CHECK(ex.empty());
    return;
  }
  REQUIRE(c.price >= band.lower);
  REQUIRE(c.price <= band.upper);
  std::map<ccx::OrderRef, ccx::Volume> fill;
  ccx::Volume buys = 0, sells = 0, traded = 0;
  for (const auto& e : ex) {
    fill[e.ref] += e.qty;
    (e.side == ccx::Side::kBuy ? buys : sells) += e.qty;
  }
  for (const auto& t : trades) traded += t.qty;
  // Conservation: executed buys = executed sells = volume = traded.
  REQUIRE(buys == c.volume);
  REQUIRE(sells == c.volume);
  REQUIRE(traded == c.volume);
  // Every buy priced above P and every sell priced below P executes in full; at P all of
  // one side executes in full; nothing executes beyond its limit.
  bool buys_at_p_full = true, sells_at_p_full = true;
  for (const auto& o : orders) {
    const ccx::Price e = std::clamp(o.price, band.lower, band.upper);
    const ccx::Volume f = fill[o.ref];
    REQUIRE(f <= o.qty);
    if (o.side == ccx::Side::kBuy) {
      if (e > c.price) REQUIRE(f == o.qty);
      if (e < c.price) REQUIRE(f == 0);
      if (e == c.price && f < o.qty) buys_at_p_full = false;
    } else {
      if (e < c.price) REQUIRE(f == o.qty);
      if (e > c.price) REQUIRE(f == 0);
      if (e == c.price && f < o.qty) sells_at_p_full = false;
    }
  }
  REQUIRE((buys_at_p_full || sells_at_p_full));
}

void RunTwin(uint64_t seed, int books, const Shape& shape) {
  std::mt19937_64 rng(seed);
  auto uni = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const ccx::AllocationRule rules[] = {ccx::AllocationRule::kTse, ccx::AllocationRule::kTime,
                                       ccx::AllocationRule::kProRata};
  ccx::Allocator allocator;
  for (int n = 0; n < books; ++n) {
    const ccx::Price tick = uni(0, 9) == 0 ? 5 : 1;
    const ccx::Price base = static_cast<ccx::Price>(uni(2, 120) * tick);
    const int pct = shape.one_tick ? 0 : static_cast<int>(uni(1, 90));
    ccx::Band band = ccx::ComputeBand(base, pct == 0 ? 1 : pct, tick, 0, 0);
    if (shape.one_tick) band = ccx::Band{base, base};
    const auto rule = rules[uni(0, 2)];
    std::vector<ccx::RefOrder> orders;
    const int count = static_cast<int>(uni(0, shape.max_orders));
    const int64_t spread = std::max<int64_t>(2, (band.upper - band.lower) / tick / 2 + 3);
    for (int i = 0; i < count; ++i) {
      ccx::RefOrder o;
      o.ref = static_cast<ccx::OrderRef>(i + 1);
      o.participant = static_cast<ccx::ParticipantId>(uni(0, shape.participants - 1));
      o.side = uni(0, 1) ? ccx::Side::kBuy : ccx::Side::kSell;
      // Prices around the base, some beyond the band on either side.
      const int64_t lvl = base / tick + uni(-spread, spread);
      o.price = static_cast<ccx::Price>(std::max<int64_t>(1, lvl) * tick);
      o.qty = shape.huge ? static_cast<ccx::Qty>(uni(1, 4'000'000'000LL))
                         : static_cast<ccx::Qty>(uni(0, 3) == 0 ? uni(1, 3) : uni(1, 60));
      orders.push_back(o);
    }
    INFO("seed " << seed << " book " << n << " base " << base << " band " << band.lower << ".."
                 << band.upper << " rule " << ccx::ToString(rule));
    const auto ref = ccx::ReferenceAuction(orders, base, band, tick, rule, 1, 1);

    ccx::Book book(tick, static_cast<uint32_t>(orders.size() + 1), band);
    for (const auto& o : orders) {
      REQUIRE(book.Add(o.ref, o.participant, o.side, o.price, o.qty, ccx::Tif::kDay) ==
              ccx::Book::AddStatus::kOk);
    }
    const auto clearing = ccx::PriceBook(book, base);
    REQUIRE(clearing == ref.clearing);
    std::vector<ccx::Execution> ex;
    std::vector<ccx::Trade> trades;
    ccx::MatchNumber next = 1;
    // Every other book uncrosses in bulk mode (pool scans), which must give the same result.
    allocator.set_bulk_threshold(n % 2 == 0 ? 0 : 1u << 18);
    allocator.Execute(book, clearing, rule, 1, &next, &ex, &trades);
    REQUIRE(ex == ref.executions);
    REQUIRE(trades == ref.trades);
    CheckItayoseInvariants(orders, band, clearing, ex, trades);
    // What is left in the book is exactly the unexecuted rest.
    ccx::Volume left = 0;
    for (const auto& o : orders) left += o.qty;
    REQUIRE(book.total_buy() + book.total_sell() == left - 2 * clearing.volume);
    // The order index still finds exactly the orders left.
    for (const auto& o : orders) {
      const ccx::Order* rest = book.Find(o.ref);
      ccx::Qty filled = 0;
      for (const auto& e : ex) filled += e.ref == o.ref ? e.qty : 0;
      if (filled == o.qty) {
        REQUIRE(rest == nullptr);
      } else {
        REQUIRE(rest != nullptr);
        REQUIRE(rest->qty == o.qty - filled);
      }
    }
    // A second uncross of the remaining book never executes again.
    REQUIRE_FALSE(ccx::PriceBook(book, clearing.executes ? clearing.price : base).executes);
  }
}

}  // namespace

TEST_CASE("fast and reference auctions agree: general books", "[auction][random]") {
  RunTwin(20261123, 40000, Shape{"general", 24, 6, false, false});
}
TEST_CASE("fast and reference auctions agree: crowded small books", "[auction][random]") {
  RunTwin(7, 30000, Shape{"crowded", 60, 3, false, false});
}
TEST_CASE("fast and reference auctions agree: single participant", "[auction][random]") {
  RunTwin(11, 10000, Shape{"single", 20, 1, false, false});
}
TEST_CASE("fast and reference auctions agree: one-tick bands", "[auction][random]") {
  RunTwin(13, 10000, Shape{"one-tick", 20, 4, false, true});
}
TEST_CASE("fast and reference auctions agree: huge quantities", "[auction][random]") {
  RunTwin(17, 15000, Shape{"huge", 20, 5, true, false});
}
