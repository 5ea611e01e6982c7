// The Allocator (MARKET_RULES §6): turns a clearing price into per-order executions and
// buyer-to-seller trade records, and removes what executed from the book.
//
// Allocation order, which also fixes match numbers and trade pairing:
//  * buys before sells;
//  * on each side, first the orders that fill in full because their band-clamped price is
//    better than P (buys by descending limit, sells by ascending limit, time order within
//    a limit), then the orders whose clamped price is exactly P:
//      - side not rationed (all of them fill): time order;
//      - `tse`: participant groups by size (largest first, ties to the earliest order),
//        one trading unit per group per round computed arithmetically, time order inside
//        a group; executions in group rank order, then time;
//      - `time`: earliest order first;
//      - `pro-rata`: floor(R x qty / total), the rest by largest remainder, ties to the
//        earliest order; executions in time order.
// Orders that receive nothing get no execution. Trades pair the buy and sell execution
// lists in that order. Scratch buffers are owned here and reused: no allocation once they
// have grown to the largest auction seen.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/auction/auction_types.h"
#include "engine/book/book.h"

namespace ccx {

/// One order at the clearing price competing for what is left (also used by tests).
struct Pick {
  OrderRef ref = 0;
  ParticipantId participant = 0;
  uint64_t lots = 0;   ///< open quantity in trading units
  uint64_t alloc = 0;  ///< allotted trading units (output)
  uint32_t slot = 0;   ///< book slot (Allocator internal)
};

/// A participant's orders at the clearing price (TSE rule).
struct PickGroup {
  uint64_t size = 0;      ///< total lots of the group
  OrderRef earliest = 0;  ///< earliest order of the group (ranks equal sizes)
  size_t first = 0;       ///< first pick of the group in the sorted scratch
  size_t count = 0;
  uint64_t alloc = 0;
};

/// Scratch buffers reused between auctions (they only grow).
struct ShareScratch {
  std::vector<Pick> picks;
  std::vector<PickGroup> groups;
};

/// Shares `units` trading units among `picks` (given in time order, total lots >= units)
/// by `rule`; sets each pick's `alloc` and reorders `picks` into execution order.
void SharePicks(AllocationRule rule, uint64_t units, std::vector<Pick>& picks,
                ShareScratch& scratch);

class Allocator {
 public:
  /// Executes `clearing` (from PriceBook on the same book, executes == true) on `book`:
  /// appends executions and trades to `executions` / `trades` (the caller owns and drains
  /// them), numbers executions from `*next_match` (advanced), removes filled quantity from
  /// the book. `unit` is the trading unit in t-CO2 (order quantities are multiples of it).
  void Execute(Book& book, const Clearing& clearing, AllocationRule rule, Qty unit,
               MatchNumber* next_match, std::vector<Execution>* executions,
               std::vector<Trade>* trades);

  /// Books whose pool has been used beyond `slots` slots uncross in bulk mode (pool scans
  /// instead of level walks; same result). Tests set 0 to force it on small books.
  void set_bulk_threshold(uint32_t slots) { bulk_threshold_ = slots; }

  /// Pre-sizes the scratch buffers for auctions of up to `orders` orders at one price.
  void Reserve(size_t orders) {
    picks_.reserve(orders);
    scratch_.picks.reserve(orders);
    scratch_.groups.reserve(orders);
    filled_.reserve(orders);
    full_.reserve(orders);
  }

 private:
  void ExecuteSide(Book& book, Side side, int64_t p, Volume to_fill_at_p, AllocationRule rule,
                   Qty unit, Price price, std::vector<Execution>* executions);

  std::vector<Pick> picks_;
  ShareScratch scratch_;
  /// Better-priced orders of a big book found by a sequential pool scan (bulk mode).
  struct Full {
    OrderRef ref;
    ParticipantId participant;
    Qty qty;
  };
  void FillBetterByScan(Book& book, Side side, int64_t p, Price price,
                        std::vector<Execution>* executions);

  std::vector<uint32_t> filled_;  // slots of fully executed orders, erased in one go
  std::vector<Full> full_;
  bool bulk_ = false;
  uint32_t bulk_threshold_ = 1u << 18;  // below, the pool fits in cache and walks win  // this uncross frees by pool scans and rebuilds the index once
};

/// Pairs buy and sell executions (each list in allocation order) into trade records.
void PairTrades(const Execution* buys, size_t n_buys, const Execution* sells, size_t n_sells,
                std::vector<Trade>* trades);

}  // namespace ccx
