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
#include "bench/engine/bench_book.h"

using ccx::Clearing;
using namespace ccx::bench;  // NOLINT: the shared benchmark book

namespace {

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
