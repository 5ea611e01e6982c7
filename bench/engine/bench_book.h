// The benchmark book shared by book_bench.cc and pricer_bench.cc: a realistic random order
// flow around a 3,000 JPY base (normal prices, sd 3 %; 300 participants; mostly small
// quantities) and a book kept at N resting orders between timed batches.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "engine/auction/auction_types.h"
#include "engine/book/book.h"
#include "engine/book/order_store.h"

namespace ccx::bench {

using ccx::Band;
using ccx::Book;
using ccx::OrderRef;
using ccx::ParticipantId;
using ccx::Price;
using ccx::Qty;
using ccx::Side;
using ccx::Tif;

constexpr Price kTick = 1;
constexpr Price kBase = 3000;
constexpr int kBandPercent = 90;
constexpr uint32_t kParticipants = 300;
constexpr double kPriceSd = 90.0;  // 3 % of the base price

inline Band MarketBand() { return ccx::ComputeBand(kBase, kBandPercent, kTick, 0, 0); }

inline uint32_t BatchFor(uint32_t n) { return std::clamp<uint32_t>(n / 8, 64, 4096); }

struct OrderInput {
  OrderRef ref;
  ParticipantId who;
  Price price;
  Qty qty;
  Side side;
  Tif tif;
};

// Random orders of the benchmark book shape.
class OrderGen {
 public:
  explicit OrderGen(uint64_t seed) : rng_(seed), price_(kBase, kPriceSd), band_(MarketBand()) {}

  OrderInput Next(OrderRef ref) {
    OrderInput in;
    in.ref = ref;
    in.side = (rng_() & 1) != 0 ? Side::kBuy : Side::kSell;
    const auto p = static_cast<Price>(std::lround(price_(rng_)));
    in.price = std::clamp(p, band_.lower, band_.upper);
    const uint64_t r = rng_() % 100;
    if (r < 60) {
      in.qty = static_cast<Qty>(1 + rng_() % 10);
    } else if (r < 90) {
      in.qty = static_cast<Qty>(11 + rng_() % 90);
    } else {
      in.qty = static_cast<Qty>(101 + rng_() % 900);
    }
    in.who = static_cast<ParticipantId>(rng_() % kParticipants);
    in.tif = rng_() % 10 == 0 ? Tif::kAuction : Tif::kDay;
    return in;
  }

 private:
  std::mt19937_64 rng_;
  std::normal_distribution<double> price_;
  Band band_;
};

inline bool AddTo(Book& book, const OrderInput& in) {
  return book.Add(in.ref, in.who, in.side, in.price, in.qty, in.tif) == Book::AddStatus::kOk;
}

// A book of N resting orders with the list of their references, kept at N between
// batches. Copyable: each benchmark run starts from a copy of the prepared state.
struct LiveBook {
  Book book;
  std::vector<OrderRef> live;  // references of the resting orders (any order)
  OrderRef next_ref = 1;
  OrderGen gen;
  std::mt19937_64 pick;

  LiveBook(uint32_t n, uint32_t capacity)
      : book(kTick, capacity, MarketBand()), gen(0xB00C0000ull + n), pick(0x5EED0000ull + n) {
    live.reserve(capacity);
    for (uint32_t i = 0; i < n; ++i) AddNew();
  }

  void AddNew() {
    const OrderInput in = gen.Next(next_ref++);
    if (AddTo(book, in)) live.push_back(in.ref);
  }
  // Removes a random reference from `live` (the caller cancels or reduces it).
  OrderRef TakeRandom() {
    const size_t i = pick() % live.size();
    const OrderRef ref = live[i];
    live[i] = live.back();
    live.pop_back();
    return ref;
  }
  void CancelRandom(uint32_t k) {
    for (uint32_t i = 0; i < k; ++i) book.Cancel(TakeRandom());
  }
};

// The prepared book of size n: N orders, then one add/cancel cycle of K so that the free
// list holds scattered slots as in steady state. Built once per size.
inline const LiveBook& Prepared(uint32_t n) {
  static std::map<uint32_t, std::unique_ptr<LiveBook>> cache;
  auto& p = cache[n];
  if (!p) {
    const uint32_t k = BatchFor(n);
    p = std::make_unique<LiveBook>(n, n + k);
    for (uint32_t i = 0; i < k; ++i) p->AddNew();
    p->CancelRandom(k);
  }
  return *p;
}

using Clock = std::chrono::steady_clock;
inline double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace ccx::bench
