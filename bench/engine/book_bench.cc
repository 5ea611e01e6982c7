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
#include "bench/engine/bench_book.h"

using namespace ccx::bench;  // NOLINT: the shared benchmark book

namespace {

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
