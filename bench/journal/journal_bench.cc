// Journal micro-benchmarks: Append of a 64-byte record in each fsync mode (batch: one Sync
// per 64 appends), and a validating read of a journal (records/s). Files live in a fresh
// directory under the system temp dir (set TMPDIR to measure another disk).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gateway/journal/journal.h"

namespace fs = std::filesystem;

namespace {

// A fresh directory for this run's files, removed at exit.
const fs::path& BenchDir() {
  static const fs::path dir =
      fs::temp_directory_path() / ("ccx-journal-bench-" + std::to_string(::getpid()));
  static const bool created = [] {
    fs::create_directories(dir);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    });
    return true;
  }();
  (void)created;
  return dir;
}

void BM_Append64(benchmark::State& state) {
  const auto mode = static_cast<ccx::FsyncMode>(state.range(0));
  const std::string path = (BenchDir() / ("append-" + std::to_string(state.range(0)))).string();
  fs::remove(path);
  auto writer = ccx::JournalWriter::Open(path, mode, 1);
  if (!writer.ok()) {
    state.SkipWithError(std::string(writer.status().message()).c_str());
    return;
  }
  const std::vector<uint8_t> payload(64, 0xab);
  int64_t n = 0;
  for (auto _ : state) {
    auto seq = writer->Append(ccx::kJournalRecordEngineCommand, n, payload);
    benchmark::DoNotOptimize(seq);
    if (mode == ccx::FsyncMode::kBatch && ++n % 64 == 0) {
      if (!writer->Sync().ok()) state.SkipWithError("sync failed");
    }
  }
  (void)writer->Close();
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * (64 + 28));
  state.SetLabel(std::string(ccx::FsyncModeName(mode)));
  fs::remove(path);
}
BENCHMARK(BM_Append64)
    ->Arg(static_cast<int>(ccx::FsyncMode::kNone))
    ->Arg(static_cast<int>(ccx::FsyncMode::kBatch))
    ->Arg(static_cast<int>(ccx::FsyncMode::kAlways))
    ->UseRealTime();

// Reads (maps, checksums, sequence-checks) a journal of state.range(0) 64-byte records.
void BM_ReadAll(benchmark::State& state) {
  const std::string path = (BenchDir() / "read.journal").string();
  fs::remove(path);
  const auto records = static_cast<int64_t>(state.range(0));
  {
    auto writer = ccx::JournalWriter::Open(path, ccx::FsyncMode::kNone, 1);
    const std::vector<uint8_t> payload(64, 0xcd);
    for (int64_t i = 0; i < records; ++i) (void)writer->Append(1, i, payload);
  }
  for (auto _ : state) {
    auto reader = ccx::JournalReader::Open(path);
    ccx::JournalRecord r;
    int64_t n = 0;
    while (*reader->Next(&r)) ++n;
    if (n != records) state.SkipWithError("short read");
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * records);
  state.SetBytesProcessed(state.iterations() * records * (64 + 28));
  fs::remove(path);
}
BENCHMARK(BM_ReadAll)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
