// Full uncross micro-benchmark: PriceBook + Allocator::Execute on a crossed book of
// 1,000 / 100,000 / 1,000,000 resting orders, including the execution and trade records
// and the removal of what executed from the book (MARKET_RULES §5-§6).
//
// Book shape: as in book_bench.cc (tick 1, base 3,000 JPY, band ±90 %, limits
// ~N(3,000, 90 JPY) on both sides so the book crosses in the middle and about half of the
// orders execute; 300 participants; quantities 1-1,000 mostly small; fixed seeds).
//
// Method (see docs/PERFORMANCE.md): the book is prepared once per size. Each iteration
// copy-assigns it into a working Book (no allocation after the first) and clears the
// execution/trade vectors with the timers paused; only PriceBook + Execute are timed,
// with a monotonic clock (UseManualTime). One Allocator and the two output vectors live
// for the whole run (as in the exchange, which reuses them between auctions); one untimed
// warm-up uncross sizes their buffers first.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "engine/auction/allocator.h"
#include "engine/auction/auction_types.h"
#include "engine/auction/pricer.h"
#include "engine/book/book.h"

namespace {

using ccx::AllocationRule;
using ccx::Band;
using ccx::Book;
using ccx::Clearing;
using ccx::Execution;
using ccx::MatchNumber;
using ccx::OrderRef;
using ccx::ParticipantId;
using ccx::Price;
using ccx::Qty;
using ccx::Side;
using ccx::Tif;
using ccx::Trade;

constexpr Price kTick = 1;
constexpr Price kBase = 3000;
constexpr int kBandPercent = 90;
constexpr uint32_t kParticipants = 300;
constexpr double kPriceSd = 90.0;  // 3 % of the base price
constexpr Qty kUnit = 1;

Band MarketBand() { return ccx::ComputeBand(kBase, kBandPercent, kTick, 0, 0); }

// Random orders of the benchmark book shape (same generator as book_bench.cc).
class OrderGen {
 public:
  explicit OrderGen(uint64_t seed) : rng_(seed), price_(kBase, kPriceSd), band_(MarketBand()) {}

  void AddNext(Book& book, OrderRef ref) {
    const Side side = (rng_() & 1) != 0 ? Side::kBuy : Side::kSell;
    const auto p = static_cast<Price>(std::lround(price_(rng_)));
    const Price price = std::clamp(p, band_.lower, band_.upper);
    const uint64_t r = rng_() % 100;
    Qty qty;
    if (r < 60) {
      qty = static_cast<Qty>(1 + rng_() % 10);
    } else if (r < 90) {
      qty = static_cast<Qty>(11 + rng_() % 90);
    } else {
      qty = static_cast<Qty>(101 + rng_() % 900);
    }
    const auto who = static_cast<ParticipantId>(rng_() % kParticipants);
    const Tif tif = rng_() % 10 == 0 ? Tif::kAuction : Tif::kDay;
    book.Add(ref, who, side, price, qty, tif);
  }

 private:
  std::mt19937_64 rng_;
  std::normal_distribution<double> price_;
  Band band_;
};

// The crossed book of n orders at capacity n, built once per size.
const Book& Prepared(uint32_t n) {
  static std::map<uint32_t, std::unique_ptr<Book>> cache;
  auto& p = cache[n];
  if (!p) {
    p = std::make_unique<Book>(kTick, n, MarketBand());
    OrderGen gen(0xB00C0000ull + n);
    for (uint32_t i = 0; i < n; ++i) gen.AddNext(*p, i + 1);
  }
  return *p;
}

using Clock = std::chrono::steady_clock;

void BM_Uncross(benchmark::State& state) {
  const auto n = static_cast<uint32_t>(state.range(0));
  const auto rule = static_cast<AllocationRule>(state.range(1));
  const Book& prepared = Prepared(n);
  Book work = prepared;
  ccx::Allocator allocator;
  std::vector<Execution> executions;
  std::vector<Trade> trades;
  executions.reserve(n);
  trades.reserve(n);
  MatchNumber next_match = 1;
  {  // Warm-up: grows the allocator's scratch and touches every buffer once.
    const Clearing c = ccx::PriceBook(work, kBase);
    allocator.Execute(work, c, rule, kUnit, &next_match, &executions, &trades);
  }
  size_t n_exec = 0;
  size_t n_trades = 0;
  Clearing c;
  for (auto _ : state) {
    state.PauseTiming();
    work = prepared;
    executions.clear();
    trades.clear();
    state.ResumeTiming();
    const auto t0 = Clock::now();
    c = ccx::PriceBook(work, kBase);
    allocator.Execute(work, c, rule, kUnit, &next_match, &executions, &trades);
    const auto t1 = Clock::now();
    benchmark::DoNotOptimize(executions.data());
    benchmark::DoNotOptimize(trades.data());
    benchmark::ClobberMemory();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    n_exec = executions.size();
    n_trades = trades.size();
  }
  if (!c.executes) state.SkipWithError("benchmark book does not cross");
  state.counters["orders"] = n;
  state.counters["executions"] = static_cast<double>(n_exec);
  state.counters["trades"] = static_cast<double>(n_trades);
  state.counters["price"] = c.price;
  state.counters["volume"] = static_cast<double>(c.volume);
  state.counters["left_in_book"] = work.order_count();
}

constexpr int64_t kTse = static_cast<int64_t>(AllocationRule::kTse);
constexpr int64_t kTime = static_cast<int64_t>(AllocationRule::kTime);
constexpr int64_t kProRata = static_cast<int64_t>(AllocationRule::kProRata);

// The default rule (tse) at every size; time and pro-rata at 1M only.
BENCHMARK(BM_Uncross)
    ->ArgNames({"orders", "rule"})
    ->Args({1'000, kTse})
    ->Args({100'000, kTse})
    ->UseManualTime()
    ->MinTime(0.1)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Uncross)
    ->ArgNames({"orders", "rule"})
    ->Args({1'000'000, kTse})
    ->Args({1'000'000, kTime})
    ->Args({1'000'000, kProRata})
    ->UseManualTime()
    ->MinTime(0.2)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond);

}  // namespace
