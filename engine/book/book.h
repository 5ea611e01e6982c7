// The order book of one category: resting limit orders by price level and time, and the
// cumulative bid/ask ladder that the Pricer reads.
//
// Prices are stored on a dense level grid (level = price / tick). Each side keeps, per
// level, the open quantity and a doubly linked FIFO of orders (time priority inside the
// level). Three Fenwick trees hold the ladder *clamped to the band* [L, U]: an order priced
// outside the band counts at the nearer band limit (MARKET_RULES §4), so with
//   B[i] = buy quantity whose clamped level is i,  S[i] = the same for sells,
//   D(p) = sum B[i] for i >= p          (demand at or above p)
//   S(p) = sum S[i] for i <= p          (supply at or below p)
//   C[i] = B[i-1] + S[i]  =>  prefix C(p) = B-prefix(p-1) + S-prefix(p) = TB - Q(p),
// every quantity the Pricer needs is a prefix sum or one tree descent: O(log levels).
//
//        price  buys(B)  sells(S)   D(p)  S(p)  Q=D-S
//        3020   300      .          300   550   -250
//        3010   .        300        300   550   -250
//        3000   200      .          500   250   +250
//        2980   .        250        500   250   +250
//
// Add, cancel and reduce are O(1) in the order store plus O(log levels) in the trees;
// nothing allocates after construction except SetBand growing the grid (between phases).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/auction/auction_types.h"
#include "engine/book/fenwick.h"
#include "engine/book/order_store.h"
#include "engine/core/types.h"

namespace ccx {

class Allocator;

class Book {
 public:
  enum class AddStatus : uint8_t { kOk, kFull, kDuplicate, kBadPrice };

  /// A book on the grid of `tick` yen, holding at most `max_orders` resting orders, with
  /// the initial band `band` (prices in yen, multiples of tick).
  Book(Price tick, uint32_t max_orders, Band band);

  /// Rests a new order (time priority: after every order already at its price). `price` must
  /// be a positive multiple of the tick (kBadPrice otherwise); band checks are the caller's.
  AddStatus Add(OrderRef ref, ParticipantId who, Side side, Price price, Qty qty, Tif tif);
  /// Removes the whole order; copies it to `*removed` if non-null. False if unknown.
  bool Cancel(OrderRef ref, Order* removed = nullptr);
  /// Reduces the open quantity to `new_qty` (0 < new_qty < current), keeping its place in
  /// time. False if unknown or new_qty is not a reduction.
  bool Reduce(OrderRef ref, Qty new_qty);
  /// The resting order, or nullptr. The pointer is valid until the next change.
  const Order* Find(OrderRef ref) const;

  /// Moves the band (after an auction changed the base price) and rebuilds the clamped
  /// ladder in O(levels). May grow the level grid, so it allocates: not for the hot path.
  void SetBand(Band band);
  Band band() const { return Band{static_cast<Price>(lo_ * tick_), static_cast<Price>(hi_ * tick_)}; }
  Price tick() const { return tick_; }

  uint32_t order_count() const { return store_.size(); }
  uint32_t capacity() const { return store_.capacity(); }
  Volume total_buy() const { return total_buy_; }
  Volume total_sell() const { return total_sell_; }
  /// Bytes held by orders, index, levels and ladder trees.
  size_t MemoryBytes() const;

  // --- Ladder queries for the Pricer (level units; p in [lo, hi]) ---
  int64_t lo() const { return lo_; }
  int64_t hi() const { return hi_; }
  /// D(p): buy quantity whose band-clamped level is >= p (0 above hi).
  Volume DemandAtOrAbove(int64_t p) const {
    return p > hi_ ? 0 : total_buy_ - fb_.Prefix(p - 1);
  }
  /// S(p): sell quantity whose band-clamped level is <= p (0 below lo).
  Volume SupplyAtOrBelow(int64_t p) const { return p < lo_ ? 0 : fs_.Prefix(p); }
  /// Largest level p (lo-1 .. hi) with D(p) >= x; lo-1 when none.
  int64_t LastLevelWithDemandAtLeast(Volume x) const;
  /// Smallest level p (lo .. hi+1) with S(p) >= x; hi+1 when none.
  int64_t FirstLevelWithSupplyAtLeast(Volume x) const;
  /// Largest level p (lo-1 .. hi) with D(p) >= S(p); lo-1 when none.
  int64_t LastLevelWithNonNegativeSurplus() const;

  // --- Walks (not on the hot path) ---
  /// Calls fn(const Order&) for every resting order of `side` in price-time priority.
  template <typename Fn>
  void ForEachOrder(Side side, Fn&& fn) const {
    const auto& lv = side == Side::kBuy ? buy_ : sell_;
    const int64_t n = static_cast<int64_t>(lv.size());
    for (int64_t k = 0; k < n; ++k) {
      const int64_t i = side == Side::kBuy ? n - 1 - k : k;
      for (uint32_t s = lv[i].head; s != kNoSlot; s = store_.at(s).next) fn(store_.at(s));
    }
  }
  /// Removes every order for which pred(const Order&) is true, calling fn(const Order&) for
  /// each in price-time order (buys first), then rebuilds the ladder once: O(orders + levels).
  /// For expiry after an auction; no allocation.
  template <typename Pred, typename Fn>
  void RemoveIf(Pred&& pred, Fn&& fn) {
    for (Side side : {Side::kBuy, Side::kSell}) {
      auto& lv = side == Side::kBuy ? buy_ : sell_;
      const int64_t n = static_cast<int64_t>(lv.size());
      for (int64_t k = 0; k < n; ++k) {
        const int64_t i = side == Side::kBuy ? n - 1 - k : k;
        for (uint32_t s = lv[i].head; s != kNoSlot;) {
          const Order o = store_.at(s);
          if (pred(o)) {
            Unlink(s);
            store_.Erase(s);
            fn(o);
          }
          s = o.next;
        }
      }
    }
    RebuildLadder();
  }
  /// Quantity resting at exactly `price` on `side` (unclamped).
  Volume QtyAtPrice(Side side, Price price) const;

 private:
  friend class Allocator;

  struct Level {
    Volume qty = 0;
    uint32_t head = kNoSlot;
    uint32_t tail = kNoSlot;
  };

  int64_t Clamp(int64_t level) const { return level < lo_ ? lo_ : (level > hi_ ? hi_ : level); }
  void LadderAdd(Side side, int64_t level, int64_t delta);
  void Unlink(uint32_t slot);
  void EnsureLevels(int64_t max_level);
  void RebuildLadder();

  Price tick_;
  int64_t lo_ = 1;
  int64_t hi_ = 1;
  OrderStore store_;
  std::vector<Level> buy_;
  std::vector<Level> sell_;
  Fenwick fb_, fs_, fc_;
  Volume total_buy_ = 0;
  Volume total_sell_ = 0;
  std::vector<int64_t> scratch_;  // for RebuildLadder
};

}  // namespace ccx
