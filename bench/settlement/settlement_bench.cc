// Settlement benchmarks (issue 5): settling one day of 100,000 trades among 300 participants
// in 8 categories (target <= 2 s including the SQLite mirror and the statements), and the
// pre-trade checks on the order path (target <= 100 ns median; they never touch SQLite).
// Inputs are built outside the timed regions.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/config/market_config.h"
#include "engine/market/schedule.h"
#include "settlement/ledger_db.h"
#include "settlement/registry.h"

namespace {

using namespace ccx;
using namespace ccx::settlement;

constexpr int kParticipants = 300;
constexpr int kTrades = 100'000;
const absl::CivilDay kTradeDay(2026, 5, 1);
const absl::CivilDay kSettleDay(2026, 5, 13);

MarketConfig Market() {
  static const MarketConfig m = [] {
    auto c = LoadMarketConfig(std::string(CCX_SOURCE_ROOT) + "/config/market.toml");
    if (!c.ok()) std::abort();
    return *c;
  }();
  return m;
}

std::vector<std::string> Users() {
  std::vector<std::string> u;
  for (int i = 0; i < kParticipants; ++i) u.push_back("P" + std::to_string(100000 + i).substr(1));
  return u;
}

// A registry holding deposits (4 blocks per participant and category, cash) and one trade
// day's 100,000 trades (each reserved, executed and recorded as order entry would).
std::unique_ptr<Registry> DayOfTrades(uint64_t* seq) {
  const MarketConfig m = Market();
  auto r = std::make_unique<Registry>(m, Users(), CheckOptions{});
  std::mt19937_64 rng(5);
  uint64_t serial = 1;
  const uint64_t deposits = (*seq)++;  // all deposits in one batch (one transaction)
  for (ParticipantId p = 0; p < kParticipants; ++p) {
    LedgerOp cash;
    cash.type = LedgerOpType::kDepositCash;
    cash.participant = p;
    cash.amount_yen = int64_t{1} << 40;
    SetField(cash.actor, "bench");
    if (!r->Apply(cash, 0, deposits).ok()) std::abort();
    for (CategoryId c = 0; c < m.categories.size(); ++c) {
      for (int b = 0; b < 4; ++b) {
        LedgerOp op;
        op.type = LedgerOpType::kDepositCredits;
        op.participant = p;
        op.category = c;
        op.quantity = 50'000;
        op.first_serial = serial;
        op.last_serial = serial + 49'999;
        serial += 50'000;
        op.vintage = 2024;
        SetField(op.project, "BENCH-" + m.categories[c].code);
        SetField(op.actor, "bench");
        if (!r->Apply(op, 0, deposits).ok()) std::abort();
      }
    }
  }
  const Timestamp t = LocalToTimestamp(kTradeDay, 15 * 60, m.utc_offset_minutes);
  r->BeginInput((*seq)++, t);
  for (int i = 0; i < kTrades; ++i) {
    Event e;
    e.type = EventType::kTrade;
    e.time = t;
    e.category = static_cast<CategoryId>(rng() % m.categories.size());
    e.participant = static_cast<ParticipantId>(rng() % kParticipants);
    e.participant2 = static_cast<ParticipantId>(rng() % kParticipants);
    e.qty = static_cast<Qty>(1 + rng() % 100);
    e.price = static_cast<Price>(1000 + rng() % 5000);
    e.match = 2 * static_cast<uint64_t>(i) + 1;
    e.match2 = e.match + 1;
    e.ref = e.match;
    e.ref2 = e.match2;
    if (!r->ReserveSell(e.participant2, e.category, e.qty) ||
        !r->ReserveBuy(e.participant, int64_t{e.price} * e.qty)) {
      std::abort();
    }
    r->OnSellExecuted(e.participant2, e.category, e.qty);
    r->OnBuyExecuted(e.participant, e.qty, e.price, e.price);
    r->OnTrade(e);
  }
  return r;
}

StatementNames Names(const Registry& r) {
  StatementNames n;
  for (ParticipantId p = 0; p < r.num_participants(); ++p) n.usernames.push_back(r.username(p));
  for (CategoryId c = 0; c < r.num_categories(); ++c) n.categories.push_back(r.category_code(c));
  return n;
}

// SettleDue alone: netting, block moves with splits, cash, the settlement report.
void BM_SettleDayInMemory(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    uint64_t seq = 1;
    auto r = DayOfTrades(&seq);
    (void)r->TakeChanges();
    state.ResumeTiming();
    const SettleSummary s = r->SettleDue(kSettleDay, 0, seq);
    auto batches = r->TakeChanges();
    benchmark::DoNotOptimize(batches);
    if (s.trades != kTrades) state.SkipWithError("not everything settled");
    state.PauseTiming();
    batches.clear();
    r.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_SettleDayInMemory)->Unit(benchmark::kMillisecond)->Iterations(5);

// The whole settlement run: SettleDue, then its batch in one SQLite transaction (blocks,
// cash, trades marked settled, settlement row, 300 statements as rows and JSON+CSV files).
// The trades themselves were mirrored during the trading day (outside the timed region).
void BM_SettleDayWithMirror(benchmark::State& state) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ccx-bench-settle-" + std::to_string(::getpid()));
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    uint64_t seq = 1;
    auto r = DayOfTrades(&seq);
    std::vector<std::string> programs;
    for (const CategoryConfig& c : Market().categories) programs.push_back(c.program);
    auto db = LedgerDb::Open(dir.string(), Names(*r), programs);
    if (!db.ok()) std::abort();
    for (const ChangeBatch& b : r->TakeChanges()) {
      if (!(*db)->Apply(b).ok()) std::abort();
    }
    state.ResumeTiming();
    r->SettleDue(kSettleDay, 0, seq);
    for (const ChangeBatch& b : r->TakeChanges()) {
      if (!(*db)->Apply(b).ok()) state.SkipWithError("mirror failed");
    }
    state.PauseTiming();
    db->reset();
    r.reset();
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SettleDayWithMirror)->Unit(benchmark::kMillisecond)->Iterations(3);

// Mirroring the day's 100,000 trade records (done batch by batch during the day).
void BM_MirrorTradeDay(benchmark::State& state) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ccx-bench-trades-" + std::to_string(::getpid()));
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    uint64_t seq = 1;
    auto r = DayOfTrades(&seq);
    auto db = LedgerDb::Open(dir.string(), Names(*r), {});
    if (!db.ok()) std::abort();
    auto batches = r->TakeChanges();
    ChangeBatch trades = std::move(batches.back());
    batches.pop_back();
    for (const ChangeBatch& b : batches) (void)(*db)->Apply(b);
    state.ResumeTiming();
    if (!(*db)->Apply(trades).ok()) state.SkipWithError("mirror failed");
    state.PauseTiming();
    db->reset();
    r.reset();
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_MirrorTradeDay)->Unit(benchmark::kMillisecond)->Iterations(3);

// The pre-trade checks: one call per iteration on a random participant and category of a
// 300 × 8 ledger (dense arrays; never SQLite). Reservations accumulate; holdings are ample.
struct CheckFixture {
  Registry r{Market(), Users(), CheckOptions{}};
  std::vector<std::pair<ParticipantId, CategoryId>> who;
  CheckFixture() {
    uint64_t seq = 1;
    for (ParticipantId p = 0; p < kParticipants; ++p) {
      LedgerOp cash;
      cash.type = LedgerOpType::kDepositCash;
      cash.participant = p;
      cash.amount_yen = int64_t{1} << 50;
      SetField(cash.actor, "bench");
      (void)r.Apply(cash, 0, seq++);
      for (CategoryId c = 0; c < r.num_categories(); ++c) {
        LedgerOp op;
        op.type = LedgerOpType::kDepositCredits;
        op.participant = p;
        op.category = c;
        op.quantity = int64_t{1} << 40;
        op.first_serial = (uint64_t{p} * 16 + c) * (uint64_t{1} << 41) + 1;
        op.last_serial = op.first_serial + (uint64_t{1} << 40) - 1;
        op.vintage = 2024;
        SetField(op.project, "X");
        SetField(op.actor, "bench");
        (void)r.Apply(op, 0, seq++);
      }
    }
    r.set_record_changes(false);
    std::mt19937_64 rng(7);
    for (int i = 0; i < 4096; ++i) {
      who.emplace_back(static_cast<ParticipantId>(rng() % kParticipants),
                       static_cast<CategoryId>(rng() % r.num_categories()));
    }
  }
};

void BM_ReserveSell(benchmark::State& state) {
  static CheckFixture f;
  size_t i = 0;
  for (auto _ : state) {
    const auto [p, c] = f.who[i++ & 4095];
    benchmark::DoNotOptimize(f.r.ReserveSell(p, c, 100));
  }
}
BENCHMARK(BM_ReserveSell)->Repetitions(9)->ReportAggregatesOnly(true);

void BM_ReserveBuy(benchmark::State& state) {
  static CheckFixture f;
  size_t i = 0;
  for (auto _ : state) {
    const auto [p, c] = f.who[i++ & 4095];
    benchmark::DoNotOptimize(f.r.ReserveBuy(p, int64_t{3000} * 100 + c));
  }
}
BENCHMARK(BM_ReserveBuy)->Repetitions(9)->ReportAggregatesOnly(true);

// A reservation and its release (an order that rests, then is cancelled).
void BM_ReserveReleaseSell(benchmark::State& state) {
  static CheckFixture f;
  size_t i = 0;
  for (auto _ : state) {
    const auto [p, c] = f.who[i++ & 4095];
    benchmark::DoNotOptimize(f.r.ReserveSell(p, c, 100));
    f.r.ReleaseSell(p, c, 100);
  }
}
BENCHMARK(BM_ReserveReleaseSell)->Repetitions(9)->ReportAggregatesOnly(true);

}  // namespace
