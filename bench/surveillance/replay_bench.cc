// Replay throughput: a generated day of ~1,000,000 journal records (journal_generator.h),
// read from the file and applied to the replica of the exchange's core, alone and with
// each surveillance observer. Reported as journal records per second (items_per_second).
// The journal is written once, outside the timed region; each iteration builds a fresh
// Replayer (untimed) and times reading + replaying the whole file.
//
//   ccx-bench-surveillance                         the benchmarks
//   ccx-bench-surveillance --generate DIR [N]      write DIR/journal/ccx.journal (N records,
//                                                  default 1,000,000) and DIR/output/ as the
//                                                  exchange records it, for a timed
//                                                  `ccx-replay --data-dir DIR --verify`
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "bench/surveillance/journal_generator.h"
#include "surveillance/alert_detector.h"
#include "surveillance/order_history.h"
#include "surveillance/output_file.h"

namespace fs = std::filesystem;
using namespace ccx;
using namespace ccx::surveillance;

namespace {

constexpr uint64_t kRecords = 1'000'000;

struct Config {
  MarketConfig market;
  ParticipantRegistry people;
  CoreOptions core;
};

const Config& Shipped() {
  static const Config c = [] {
    const std::string path = std::string(CCX_SOURCE_ROOT) + "/config/market.toml";
    Config c;
    c.market = *LoadMarketConfig(path);
    c.people = *LoadParticipants(path, c.market);
    c.core = *CoreOptionsFromConfig(path, c.market, c.people, 100);
    return c;
  }();
  return c;
}

const std::string& JournalFile() {
  static const std::string path = [] {
    const fs::path dir = fs::temp_directory_path() / ("ccx-replay-bench-" + std::to_string(::getpid()));
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(fs::temp_directory_path() / ("ccx-replay-bench-" + std::to_string(::getpid())), ec);
    });
    const std::string p = (dir / "journal" / "ccx.journal").string();
    auto g = bench::GenerateJournal(p, Shipped().market, Shipped().people, Shipped().core, kRecords);
    if (!g.ok()) {
      std::fprintf(stderr, "cannot generate the journal: %s\n", std::string(g.status().message()).c_str());
      std::exit(1);
    }
    return p;
  }();
  return path;
}

enum Observers { kNone = 0, kIndicative = 1, kHistory = 2, kAlerts = 3, kAll = 4 };

void BM_Replay(benchmark::State& state) {
  const auto what = static_cast<Observers>(state.range(0));
  const std::string& path = JournalFile();
  uint64_t records = 0, events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto r = std::make_unique<Replayer>(Shipped().market, Shipped().people,
                                        ReplayOptions{what != kNone, Shipped().core});
    auto history = std::make_unique<OrderHistory>();
    auto alerts = std::make_unique<AlertDetector>(SurveillanceConfig{});
    if (what == kHistory || what == kAll) r->AddObserver(history.get());
    if (what == kAlerts || what == kAll) r->AddObserver(alerts.get());
    state.ResumeTiming();
    auto sum = ReplayJournal(path, r.get());
    if (!sum.ok()) {
      state.SkipWithError(std::string(sum.status().message()).c_str());
      return;
    }
    records += sum->records;
    events += r->events();
    benchmark::DoNotOptimize(r->engine().StateHash());
    state.PauseTiming();
    r.reset();  // freeing the replica is not part of the replay
    history.reset();
    alerts.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(records));
  state.counters["events_per_record"] = records ? double(events) / double(records) : 0;
}
BENCHMARK(BM_Replay)
    ->ArgName("observers")  // 0 none, 1 +indicative, 2 +history, 3 +alerts, 4 all
    ->DenseRange(0, 4)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_ReadJournal(benchmark::State& state) {
  const std::string& path = JournalFile();
  uint64_t records = 0;
  for (auto _ : state) {
    auto reader = JournalReader::Open(path);
    JournalRecord rec;
    while (*reader->Next(&rec)) ++records;
  }
  state.SetItemsProcessed(static_cast<int64_t>(records));
}
BENCHMARK(BM_ReadJournal)->Unit(benchmark::kMillisecond)->Iterations(3);

// --generate DIR [N]: the journal plus the output the exchange would have recorded.
int Generate(const std::string& dir, uint64_t n) {
  const Config& c = Shipped();
  const std::string journal = (fs::path(dir) / "journal" / "ccx.journal").string();
  auto g = bench::GenerateJournal(journal, c.market, c.people, c.core, n);
  if (!g.ok()) {
    std::fprintf(stderr, "%s\n", std::string(g.status().message()).c_str());
    return 1;
  }
  Replayer r(c.market, c.people, ReplayOptions{false, c.core});
  auto sum = ReplayJournal(journal, &r);
  if (!sum.ok()) {
    std::fprintf(stderr, "%s\n", std::string(sum.status().message()).c_str());
    return 1;
  }
  const auto& day = *r.core().day_streams();
  fs::create_directories(fs::path(dir) / "output");
  const std::string out = (fs::path(dir) / "output" / OutputFileName(day.day)).string();
  fs::remove(out);
  auto w = JournalWriter::Open(out, FsyncMode::kNone, 1);
  if (!w.ok()) return 1;
  uint64_t ouch = 0, itch = 0;
  for (ParticipantId p = 0; p < day.streams.size(); ++p) {
    for (uint64_t q = 1; q <= day.streams[p]->size(); ++q, ++ouch) {
      if (!w->Append(kOutputOuch, 0, EncodeOuchOutput(p, q, day.streams[p]->message(q))).ok()) return 1;
    }
  }
  const MessageLog& feed = r.feed()->day()->log;
  for (uint64_t q = 1; q <= feed.size(); ++q, ++itch) {
    if (!w->Append(kOutputItch, 0, EncodeItchOutput(q, feed.message(q))).ok()) return 1;
  }
  if (!w->Close().ok()) return 1;
  std::printf("%s: %llu records (%llu OUCH inputs), %llu engine events; %s: %llu OUCH + %llu ITCH messages\n",
              journal.c_str(), static_cast<unsigned long long>(g->records), static_cast<unsigned long long>(g->ouch),
              static_cast<unsigned long long>(r.events()), out.c_str(), static_cast<unsigned long long>(ouch),
              static_cast<unsigned long long>(itch));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--generate") == 0) {
    return Generate(argv[2], argc >= 4 ? std::strtoull(argv[3], nullptr, 10) : kRecords);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
