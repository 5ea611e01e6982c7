// Book micro-benchmarks: order add, cancel by reference, an add+cancel pair, and resting
// memory per order, at 1,000 / 100,000 / 1,000,000 resting orders.
//
// Book shape (the same in every bench/engine file): tick 1 JPY, base 3,000 JPY, band
// ±90 % ([300, 5,700]), limits normally distributed around the base (sd 90 JPY = 3 %), so
// buys and sells cross in the middle; 300 participants; quantities 1-1,000, mostly small
// (60 % 1-10, 30 % 11-100, 10 % 101-1,000); 90 % day orders. Fixed seeds everywhere.
//
// Method (see docs/PERFORMANCE.md): the book is prepared once per size and copied into
// the benchmark at the start of each run (outside the timing). Every benchmark iteration
// is one operation, run in batches of K (KeepRunningBatch) and timed with a monotonic
// clock around the batch only (UseManualTime), so the reported time is per operation.
// Between batches, with the timers paused, the book is brought back to N orders:
//   - add:    K timed adds (N -> N+K), then K random live orders are cancelled untimed;
//   - cancel: K timed cancels of random live orders (N -> N-K), then K adds untimed;
//   - pair:   K timed (add one, cancel a random other) pairs: the book stays at N / N+1.
// K = clamp(N / 8, 64, 4096), so the book stays within 12.5 % of N.
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
#include "engine/book/book.h"
#include "engine/book/order_store.h"

namespace {

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

bool AddTo(Book& book, const OrderInput& in) {
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

void BM_BookAdd(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const uint32_t k = BatchFor(n);
  LiveBook f = Prepared(n);
  std::vector<OrderInput> batch(k);
  for (auto& in : batch) in = f.gen.Next(f.next_ref++);
  uint64_t failed = 0;
  while (state.KeepRunningBatch(k)) {
    const auto t0 = Clock::now();
    for (const auto& in : batch) {
      const auto st = f.book.Add(in.ref, in.who, in.side, in.price, in.qty, in.tif);
      benchmark::DoNotOptimize(st);
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

void BM_BookCancel(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const uint32_t k = BatchFor(n);
  LiveBook f = Prepared(n);
  std::vector<OrderRef> victims(k);
  for (auto& v : victims) v = f.TakeRandom();
  uint64_t failed = 0;
  while (state.KeepRunningBatch(k)) {
    const auto t0 = Clock::now();
    for (const OrderRef ref : victims) {
      const bool ok = f.book.Cancel(ref);
      benchmark::DoNotOptimize(ok);
      failed += !ok;
    }
    const auto t1 = Clock::now();
    state.SetIterationTime(Seconds(t0, t1));
    state.PauseTiming();
    for (uint32_t i = 0; i < k; ++i) f.AddNew();
    for (auto& v : victims) v = f.TakeRandom();
    state.ResumeTiming();
  }
  if (failed != 0) state.SkipWithError("Book::Cancel failed");
  state.counters["orders"] = f.book.order_count();
}

// One iteration = add a new order and cancel a random other: N stays steady.
void BM_BookAddCancelPair(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const uint32_t k = BatchFor(n);
  LiveBook f = Prepared(n);
  std::vector<OrderInput> batch(k);
  std::vector<OrderRef> victims(k);
  auto refill = [&] {
    for (auto& in : batch) in = f.gen.Next(f.next_ref++);
    for (auto& v : victims) v = f.TakeRandom();
  };
  refill();
  uint64_t failed = 0;
  while (state.KeepRunningBatch(k)) {
    const auto t0 = Clock::now();
    for (uint32_t i = 0; i < k; ++i) {
      const OrderInput& in = batch[i];
      const auto st = f.book.Add(in.ref, in.who, in.side, in.price, in.qty, in.tif);
      const bool ok = f.book.Cancel(victims[i]);
      benchmark::DoNotOptimize(st);
      benchmark::DoNotOptimize(ok);
      failed += (st != Book::AddStatus::kOk) + !ok;
    }
    const auto t1 = Clock::now();
    state.SetIterationTime(Seconds(t0, t1));
    state.PauseTiming();
    for (const auto& in : batch) f.live.push_back(in.ref);
    refill();
    state.ResumeTiming();
  }
  if (failed != 0) state.SkipWithError("Book add/cancel failed");
  state.counters["orders"] = f.book.order_count();
}

// Resting memory per order with capacity == N and N orders resting: everything the book
// holds (order pool, reference index, level grid, ladder trees) divided by N.
void BM_BookMemoryPerOrder(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  Book book(kTick, n, MarketBand());
  OrderGen gen(0xB00C0000ull + n);
  for (uint32_t i = 0; i < n; ++i) AddTo(book, gen.Next(i + 1));
  const ccx::OrderStore store(n);
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = book.MemoryBytes();
    benchmark::DoNotOptimize(bytes);
  }
  const double per_order = static_cast<double>(bytes) / book.order_count();
  const double store_per_order = static_cast<double>(store.MemoryBytes()) / n;
  state.counters["orders"] = book.order_count();
  state.counters["bytes_per_order"] = per_order;
  state.counters["store_B_per_order"] = store_per_order;  // pool + reference index only
  state.counters["grid_KiB"] = static_cast<double>(bytes - store.MemoryBytes()) / 1024.0;
  state.counters["total_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("orders")->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
}

BENCHMARK(BM_BookAdd)
    ->Apply(Sizes)
    ->UseManualTime()
    ->MinTime(0.2)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kNanosecond);
BENCHMARK(BM_BookCancel)
    ->Apply(Sizes)
    ->UseManualTime()
    ->MinTime(0.2)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kNanosecond);
BENCHMARK(BM_BookAddCancelPair)
    ->Apply(Sizes)
    ->UseManualTime()
    ->MinTime(0.2)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kNanosecond);
BENCHMARK(BM_BookMemoryPerOrder)->Apply(Sizes)->Iterations(1)->Unit(benchmark::kNanosecond);

}  // namespace
