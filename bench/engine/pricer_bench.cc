// Pricer micro-benchmarks: the indicative auction price (PriceBook, MARKET_RULES §5) alone
// and right after a book change (one add, or one reduce), at 1,000 / 100,000 / 1,000,000
// resting orders.
//
// Book shape: as in book_bench.cc (tick 1, base 3,000 JPY, band ±90 %, limits ~N(3,000,
// 90 JPY) so the book crosses in the middle, 300 participants, quantities 1-1,000 mostly
// small, fixed seeds).
//
// Method (see docs/PERFORMANCE.md): batches of K = clamp(N / 8, 64, 4096) iterations
// (KeepRunningBatch), each batch timed with a monotonic clock (UseManualTime), so the
// reported time is per iteration. Inputs are generated, and the book brought back to its
// steady state, between batches with the timers paused:
//   - after add:    timed Add + PriceBook; then K random live orders are cancelled;
//   - after reduce: timed Reduce (to a random smaller quantity) + PriceBook on K random
//                   live orders (quantity >= 2); then those K orders are cancelled and K
//                   fresh orders added, so the book's distribution does not drift;
//   - alone:        PriceBook on an unchanging book.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "engine/auction/auction_types.h"
#include "engine/auction/pricer.h"
#include "engine/book/book.h"

namespace {

using ccx::Band;
using ccx::Book;
using ccx::Clearing;
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

Band MarketBand() { return ccx::ComputeBand(kBase, kBandPercent, kTick, 0, 0); }

uint32_t BatchFor(uint32_t n) { return std::clamp<uint32_t>(n / 8, 64, 4096); }

struct OrderInput {
  OrderRef ref;
  ParticipantId who;
  Price price;
  Qty qty;
  Side side;
  Tif tif;
};

// Random orders of the benchmark book shape (same generator as book_bench.cc).
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

bool AddTo(Book& book, const OrderInput& in) {
  return book.Add(in.ref, in.who, in.side, in.price, in.qty, in.tif) == Book::AddStatus::kOk;
}

// A book of N resting orders and the list of their references (see book_bench.cc).
struct LiveBook {
  Book book;
  std::vector<OrderRef> live;
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

const LiveBook& Prepared(uint32_t n) {
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
double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

void BM_PriceBookAlone(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const LiveBook& f = Prepared(n);
  Clearing c;
  for (auto _ : state) {
    c = ccx::PriceBook(f.book, kBase);
    benchmark::DoNotOptimize(c);
  }
  if (!c.executes) state.SkipWithError("benchmark book does not cross");
  state.counters["price"] = c.price;
  state.counters["volume"] = static_cast<double>(c.volume);
}

void BM_PriceAfterAdd(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const uint32_t k = BatchFor(n);
  LiveBook f = Prepared(n);
  std::vector<OrderInput> batch(k);
  for (auto& in : batch) in = f.gen.Next(f.next_ref++);
  uint64_t failed = 0;
  Clearing c;
  while (state.KeepRunningBatch(k)) {
    const auto t0 = Clock::now();
    for (const auto& in : batch) {
      const auto st = f.book.Add(in.ref, in.who, in.side, in.price, in.qty, in.tif);
      c = ccx::PriceBook(f.book, kBase);
      benchmark::DoNotOptimize(c);
      failed += st != Book::AddStatus::kOk;
    }
    const auto t1 = Clock::now();
    state.SetIterationTime(Seconds(t0, t1));
    state.PauseTiming();
    for (const auto& in : batch) f.live.push_back(in.ref);
    f.CancelRandom(k);
    for (auto& in : batch) in = f.gen.Next(f.next_ref++);
    state.ResumeTiming();
  }
  if (failed != 0) state.SkipWithError("Book::Add failed");
  state.counters["orders"] = f.book.order_count();
}

void BM_PriceAfterReduce(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const uint32_t k = BatchFor(n);
  LiveBook f = Prepared(n);
  struct Change {
    OrderRef ref;
    Qty new_qty;
  };
  std::vector<Change> batch;
  batch.reserve(k);
  // Every order picked is replaced by a fresh one afterwards (those of quantity 1, which
  // cannot be reduced, at once), so the book keeps the generator's distribution.
  auto refill = [&] {
    batch.clear();
    while (batch.size() < k) {
      const OrderRef ref = f.TakeRandom();
      const Qty q = f.book.Find(ref)->qty;
      if (q < 2) {
        f.book.Cancel(ref);
        f.AddNew();
        continue;
      }
      batch.push_back(Change{ref, static_cast<Qty>(1 + f.pick() % (q - 1))});
    }
  };
  refill();
  uint64_t failed = 0;
  Clearing c;
  while (state.KeepRunningBatch(k)) {
    const auto t0 = Clock::now();
    for (const Change& ch : batch) {
      const bool ok = f.book.Reduce(ch.ref, ch.new_qty);
      c = ccx::PriceBook(f.book, kBase);
      benchmark::DoNotOptimize(c);
      failed += !ok;
    }
    const auto t1 = Clock::now();
    state.SetIterationTime(Seconds(t0, t1));
    state.PauseTiming();
    // Replace the reduced orders by fresh ones: the book keeps its shape.
    for (const Change& ch : batch) f.book.Cancel(ch.ref);
    for (uint32_t i = 0; i < k; ++i) f.AddNew();
    refill();
    state.ResumeTiming();
  }
  if (failed != 0) state.SkipWithError("Book::Reduce failed");
  state.counters["orders"] = f.book.order_count();
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("orders")->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
}

BENCHMARK(BM_PriceBookAlone)
    ->Apply(Sizes)
    ->MinTime(0.2)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kNanosecond);
BENCHMARK(BM_PriceAfterAdd)
    ->Apply(Sizes)
    ->UseManualTime()
    ->MinTime(0.2)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kNanosecond);
BENCHMARK(BM_PriceAfterReduce)
    ->Apply(Sizes)
    ->UseManualTime()
    ->MinTime(0.2)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kNanosecond);

}  // namespace
