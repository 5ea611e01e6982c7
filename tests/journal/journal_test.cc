// The journal: round trips, torn-tail recovery, mid-file corruption, header cases, reopening,
// fsync modes, and a writer killed with SIGKILL (docs/JOURNAL.md).
#include "gateway/journal/journal.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/market/events.h"

namespace fs = std::filesystem;
using namespace ccx;

namespace {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("ccx-journal-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             "-" + std::to_string(std::random_device{}()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

struct Rec {
  uint64_t sequence = 0;
  int64_t timestamp_ns = 0;
  uint16_t type = 0;
  std::vector<uint8_t> payload;
  uint64_t offset = 0;
  bool operator==(const Rec&) const = default;
};

std::vector<uint8_t> PayloadFor(uint64_t seq, size_t size) {
  std::vector<uint8_t> p(size);
  for (size_t i = 0; i < size; ++i) p[i] = static_cast<uint8_t>((seq * 131 + i * 7) ^ (i >> 8));
  return p;
}

// Appends `n` records with payload sizes in [0, max_size] and returns what was written.
std::vector<Rec> WriteRecords(const std::string& path, FsyncMode mode, uint64_t first, int n,
                              std::mt19937_64& rng, size_t max_size = 300) {
  auto w = JournalWriter::Open(path, mode, first);
  REQUIRE(w.ok());
  std::vector<Rec> out;
  for (int i = 0; i < n; ++i) {
    Rec r;
    r.sequence = first + static_cast<uint64_t>(i);
    r.timestamp_ns = 1'700'000'000'000'000'000 + static_cast<int64_t>(rng() % 1000000);
    r.type = static_cast<uint16_t>(1 + rng() % 2);
    r.payload = PayloadFor(r.sequence, rng() % (max_size + 1));
    r.offset = w->size_bytes();
    auto seq = w->Append(r.type, r.timestamp_ns, r.payload);
    REQUIRE(seq.ok());
    REQUIRE(*seq == r.sequence);
    if (mode == FsyncMode::kBatch && i % 10 == 9) REQUIRE(w->Sync().ok());
    out.push_back(std::move(r));
  }
  REQUIRE(w->Close().ok());
  return out;
}

// Reads every valid record; the reader's status on error, the tail damage in `*tail`.
absl::StatusOr<std::vector<Rec>> ReadAll(const std::string& path,
                                         std::optional<TailDamage>* tail = nullptr) {
  auto reader = JournalReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<Rec> out;
  JournalRecord r;
  while (true) {
    absl::StatusOr<bool> more = reader->Next(&r);
    if (!more.ok()) return more.status();
    if (!*more) break;
    out.push_back(
        {r.sequence, r.timestamp_ns, r.type, {r.payload.begin(), r.payload.end()}, r.offset});
  }
  if (tail != nullptr) *tail = reader->tail_damage();
  return out;
}

std::vector<uint8_t> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void Spit(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

constexpr size_t kKillTestMaxPayload = 256 * 1024;

// The payload of record `seq` in the SIGKILL test: a slice of `pattern`.
absl::Span<const uint8_t> KillTestPayload(const std::vector<uint8_t>& pattern, uint64_t seq,
                                          int round) {
  const size_t size = (seq * 7919 + static_cast<uint64_t>(round)) % kKillTestMaxPayload;
  return {pattern.data() + seq % 4096, size};
}

std::vector<Rec> Prefix(const std::vector<Rec>& v, size_t n) { return {v.begin(), v.begin() + n}; }

}  // namespace

TEST_CASE("records round-trip with random payload sizes", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");
  std::mt19937_64 rng(42);
  const std::vector<Rec> written = WriteRecords(path, FsyncMode::kNone, 1, 3000, rng, 2000);
  std::optional<TailDamage> tail;
  auto read = ReadAll(path, &tail);
  REQUIRE(read.ok());
  CHECK(*read == written);
  CHECK_FALSE(tail.has_value());

  auto report = RecoverJournal(path);
  REQUIRE(report.ok());
  CHECK_FALSE(report->new_journal);
  CHECK(report->records == 3000);
  CHECK(report->first_sequence == 1);
  CHECK(report->last_sequence == 3000);
  CHECK(report->next_sequence == 3001);
  CHECK(report->size_bytes == fs::file_size(path));
  CHECK_FALSE(report->cut.has_value());
}

TEST_CASE("an engine Command travels as a type-1 record", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");
  Command c;
  c.type = CommandType::kEnterOrder;
  c.side = 'B';
  c.category = 3;
  c.time = 1'790'000'000'000'000'000;
  c.price = 3150;
  c.qty = 40;
  c.tif = 99999;
  {
    auto w = JournalWriter::Open(path, FsyncMode::kAlways, 1);
    REQUIRE(w.ok());
    REQUIRE(w->Append(kJournalRecordEngineCommand, c.time, JournalBytesOf(c)).ok());
  }
  std::vector<Command> replayed;
  auto report = RecoverJournal(path, [&](const JournalRecord& r) {
    Command got;
    if (r.type != kJournalRecordEngineCommand || !PayloadAs(r, &got)) {
      return absl::InternalError("not a command");
    }
    replayed.push_back(got);
    return absl::OkStatus();
  });
  REQUIRE(report.ok());
  REQUIRE(replayed.size() == 1);
  CHECK(std::memcmp(&replayed[0], &c, sizeof(Command)) == 0);
}

TEST_CASE("a last record cut at any byte is reported and truncated", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");
  std::mt19937_64 rng(7);
  const std::vector<Rec> written = WriteRecords(path, FsyncMode::kBatch, 1, 20, rng);
  const std::vector<uint8_t> original = Slurp(path);
  const uint64_t last = written.back().offset;
  for (uint64_t cut = last + 1; cut < original.size(); ++cut) {
    Spit(path, {original.begin(), original.begin() + static_cast<std::ptrdiff_t>(cut)});
    auto report = RecoverJournal(path);
    REQUIRE(report.ok());
    REQUIRE(report->cut.has_value());
    CHECK(report->cut->offset == last);
    CHECK(report->cut->bytes == cut - last);
    CHECK(report->cut->sequence == 20);
    CHECK(report->records == 19);
    CHECK(report->next_sequence == 20);
    CHECK(fs::file_size(path) == last);
    std::optional<TailDamage> tail;
    auto read = ReadAll(path, &tail);
    REQUIRE(read.ok());
    CHECK(*read == Prefix(written, 19));
    CHECK_FALSE(tail.has_value());
  }
}

TEST_CASE("a flipped byte anywhere in the last record is a torn tail", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");
  std::mt19937_64 rng(8);
  const std::vector<Rec> written = WriteRecords(path, FsyncMode::kNone, 1, 20, rng);
  const std::vector<uint8_t> original = Slurp(path);
  for (uint64_t at = written.back().offset; at < original.size(); ++at) {
    std::vector<uint8_t> bytes = original;
    bytes[at] ^= 0x40;
    Spit(path, bytes);
    auto report = RecoverJournal(path);
    REQUIRE(report.ok());
    REQUIRE(report->cut.has_value());
    CHECK(report->cut->offset == written.back().offset);
    CHECK(report->records == 19);
    auto read = ReadAll(path);
    REQUIRE(read.ok());
    CHECK(*read == Prefix(written, 19));
  }
  SECTION("the payload case names a checksum mismatch") {
    std::vector<uint8_t> bytes = original;
    bytes.back() ^= 1;
    Spit(path, bytes);
    auto report = RecoverJournal(path);
    REQUIRE(report.ok());
    CHECK_THAT(report->cut->ToString(),
               Catch::Contains("(sequence 20): checksum mismatch") && Catch::Contains("cut"));
  }
}

TEST_CASE("zeros or garbage after the last record are a torn tail", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");
  std::mt19937_64 rng(9);
  const std::vector<Rec> written = WriteRecords(path, FsyncMode::kNone, 1, 50, rng);
  const uint64_t end = fs::file_size(path);
  std::vector<uint8_t> bytes = Slurp(path);
  bytes.resize(bytes.size() + 8192, 0);  // blocks allocated but never written (power loss)
  for (size_t i = end + 4096; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(rng());
  Spit(path, bytes);
  auto report = RecoverJournal(path);
  REQUIRE(report.ok());
  REQUIRE(report->cut.has_value());
  CHECK(report->cut->offset == end);
  CHECK(report->cut->bytes == 8192);
  CHECK(report->records == 50);
  CHECK(fs::file_size(path) == end);
}

TEST_CASE("a flipped byte in a middle record stops the start", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");
  std::mt19937_64 rng(10);
  const std::vector<Rec> written = WriteRecords(path, FsyncMode::kNone, 1, 20, rng);
  const std::vector<uint8_t> original = Slurp(path);
  const Rec& victim = written[9];  // sequence 10
  const uint64_t end = written[10].offset;
  for (uint64_t at = victim.offset; at < end; ++at) {
    std::vector<uint8_t> bytes = original;
    bytes[at] ^= 0x10;
    Spit(path, bytes);
    auto report = RecoverJournal(path);
    REQUIRE_FALSE(report.ok());
    CHECK(report.status().code() == absl::StatusCode::kDataLoss);
    const std::string expected = "journal " + path + ": corrupt record at byte " +
                                 std::to_string(victim.offset) + " (sequence 10): ";
    CHECK_THAT(
        std::string(report.status().message()),
        Catch::StartsWith(expected) && Catch::Contains("refusing to start") &&
            Catch::Contains(std::to_string(original.size() - victim.offset) + " bytes follow"));
    CHECK(Slurp(path) == bytes);  // nothing was cut
  }
  SECTION("the message says what is wrong") {
    std::vector<uint8_t> bytes = original;
    bytes[end - 1] ^= 0x10;  // last payload byte of record 10
    Spit(path, bytes);
    auto read = ReadAll(path);
    REQUIRE_FALSE(read.ok());
    CHECK_THAT(
        std::string(read.status().message()),
        Catch::Contains("checksum mismatch") &&
            Catch::Contains("valid record at byte " + std::to_string(end) + " (sequence 11)"));
  }
}

TEST_CASE("header cases: missing, empty, torn, header-only, wrong magic", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");

  SECTION("a missing file is a new journal") {
    auto report = RecoverJournal(path);
    REQUIRE(report.ok());
    CHECK(report->new_journal);
    CHECK(report->next_sequence == 1);
    CHECK(JournalReader::Open(path).status().code() == absl::StatusCode::kNotFound);
  }
  SECTION("an empty file is a new journal; the writer writes the header") {
    Spit(path, {});
    auto report = RecoverJournal(path);
    REQUIRE(report.ok());
    CHECK(report->new_journal);
    CHECK_FALSE(report->cut.has_value());
    REQUIRE(JournalWriter::Open(path, FsyncMode::kNone, 1).ok());
    CHECK(fs::file_size(path) == journal_format::kFileHeaderSize);
  }
  SECTION("a header-only file starts at its first sequence") {
    REQUIRE(JournalWriter::Open(path, FsyncMode::kAlways, 500).ok());
    auto report = RecoverJournal(path);
    REQUIRE(report.ok());
    CHECK_FALSE(report->new_journal);
    CHECK(report->records == 0);
    CHECK(report->last_sequence == 0);
    CHECK(report->next_sequence == 500);
    CHECK(JournalWriter::Open(path, FsyncMode::kNone, 1).status().code() ==
          absl::StatusCode::kFailedPrecondition);
    auto w = JournalWriter::Open(path, FsyncMode::kNone, 500);
    REQUIRE(w.ok());
    CHECK(*w->Append(1, 0, {}) == 500);
  }
  SECTION("a header cut short is cut to an empty file") {
    REQUIRE(JournalWriter::Open(path, FsyncMode::kNone, 1).ok());
    const std::vector<uint8_t> header = Slurp(path);
    for (size_t n = 1; n < header.size(); ++n) {
      Spit(path, {header.begin(), header.begin() + static_cast<std::ptrdiff_t>(n)});
      CHECK(JournalWriter::Open(path, FsyncMode::kNone, 1).status().code() ==
            absl::StatusCode::kFailedPrecondition);
      auto report = RecoverJournal(path);
      REQUIRE(report.ok());
      CHECK(report->new_journal);
      REQUIRE(report->cut.has_value());
      CHECK(report->cut->bytes == n);
      CHECK(fs::file_size(path) == 0);
    }
  }
  SECTION("wrong magic is not a ccx journal") {
    for (const std::string text : {"hello", "GARBAGE! this is some other file, long enough."}) {
      Spit(path, {text.begin(), text.end()});
      auto report = RecoverJournal(path);
      REQUIRE_FALSE(report.ok());
      CHECK(report.status().code() == absl::StatusCode::kInvalidArgument);
      CHECK_THAT(std::string(report.status().message()),
                 Catch::Contains(path) && Catch::Contains("not a ccx journal"));
      CHECK_FALSE(JournalWriter::Open(path, FsyncMode::kNone, 1).ok());
      CHECK(Slurp(path).size() == text.size());  // untouched
    }
  }
  SECTION("a damaged header is data loss") {
    REQUIRE(JournalWriter::Open(path, FsyncMode::kNone, 1).ok());
    std::vector<uint8_t> bytes = Slurp(path);
    bytes[20] ^= 1;  // first_sequence
    Spit(path, bytes);
    CHECK(RecoverJournal(path).status().code() == absl::StatusCode::kDataLoss);
  }
}

TEST_CASE("reopening continues the sequence; one writer at a time", "[journal]") {
  TempDir dir;
  const std::string path = dir.File("ccx.journal");
  std::mt19937_64 rng(11);
  std::vector<Rec> all = WriteRecords(path, FsyncMode::kAlways, 1, 10, rng);
  auto report = RecoverJournal(path);
  REQUIRE(report.ok());
  REQUIRE(report->next_sequence == 11);
  for (Rec& r : WriteRecords(path, FsyncMode::kBatch, 11, 10, rng)) all.push_back(r);
  auto read = ReadAll(path);
  REQUIRE(read.ok());
  CHECK(*read == all);

  auto w = JournalWriter::Open(path, FsyncMode::kNone, 21);
  REQUIRE(w.ok());
  auto second = JournalWriter::Open(path, FsyncMode::kNone, 21);
  CHECK(second.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(second.status().message()), Catch::Contains("locked"));
  CHECK(RecoverJournal(path).status().code() == absl::StatusCode::kFailedPrecondition);
  JournalWriter moved = std::move(*w);
  CHECK(*moved.Append(2, 5, {}) == 21);
  REQUIRE(moved.Close().ok());
  CHECK(RecoverJournal(path)->next_sequence == 22);

  SECTION("opening at the wrong sequence shows up as a gap at recovery") {
    auto wrong = JournalWriter::Open(path, FsyncMode::kNone, 30);
    REQUIRE(wrong.ok());
    REQUIRE(wrong->Append(1, 0, {}).ok());
    REQUIRE(wrong->Close().ok());
    auto bad = RecoverJournal(path);
    CHECK(bad.status().code() == absl::StatusCode::kDataLoss);
    CHECK_THAT(std::string(bad.status().message()),
               Catch::Contains("(sequence 22): sequence 30 out of order"));
  }
}

TEST_CASE("every fsync mode appends and syncs; bad appends are refused", "[journal]") {
  TempDir dir;
  for (FsyncMode mode : {FsyncMode::kNone, FsyncMode::kBatch, FsyncMode::kAlways}) {
    CHECK(*ParseFsyncMode(FsyncModeName(mode)) == mode);
    const std::string path = dir.File(std::string(FsyncModeName(mode)) + ".journal");
    std::mt19937_64 rng(12);
    const std::vector<Rec> written = WriteRecords(path, mode, 1, 100, rng);
    CHECK(*ReadAll(path) == written);
  }
  CHECK_FALSE(ParseFsyncMode("sometimes").ok());
  CHECK(DefaultJournalPath("/var/lib/ccx") == "/var/lib/ccx/journal/ccx.journal");

  auto w = JournalWriter::Open(dir.File("x.journal"), FsyncMode::kBatch, 1);
  REQUIRE(w.ok());
  CHECK(w->Append(kJournalRecordInvalid, 0, {}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  const std::vector<uint8_t> big(kJournalMaxPayload + 1);
  CHECK(w->Append(1, 0, big).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(*w->Append(1, 0, {big.data(), kJournalMaxPayload}) == 1);  // the maximum is fine
  CHECK(w->Sync().ok());
  CHECK(w->Close().ok());
  CHECK_FALSE(w->Append(1, 0, {}).ok());
}

TEST_CASE("a writer killed with SIGKILL leaves every acknowledged record", "[journal]") {
  // Payloads are slices of one pattern, so the child spends its time inside Append and
  // the kill lands at a random point of the stream (sometimes inside a large write).
  const std::vector<uint8_t> pattern = PayloadFor(1, kKillTestMaxPayload + 4096);
  for (int round = 0; round < 4; ++round) {
    TempDir dir;
    const std::string path = dir.File("ccx.journal");
    int acks[2];
    REQUIRE(::pipe(acks) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // the writer: append, then acknowledge each sequence on the pipe
      ::close(acks[0]);
      auto w = JournalWriter::Open(path, FsyncMode::kNone, 1);
      if (!w.ok()) ::_exit(2);
      for (uint64_t seq = 1; seq <= 100000; ++seq) {
        absl::StatusOr<uint64_t> got =
            w->Append(1, static_cast<int64_t>(seq), KillTestPayload(pattern, seq, round));
        if (!got.ok() || *got != seq) ::_exit(3);
        if (::write(acks[1], &seq, sizeof(seq)) != sizeof(seq)) ::_exit(4);
      }
      ::_exit(0);
    }
    ::close(acks[1]);
    uint64_t acked = 0;
    uint64_t seq = 0;
    const uint64_t kill_after = 100 + 150 * static_cast<uint64_t>(round);
    while (::read(acks[0], &seq, sizeof(seq)) == sizeof(seq)) {  // 8-byte pipe writes: atomic
      acked = seq;
      if (acked == kill_after) {
        ::usleep(static_cast<useconds_t>(round * 170));  // let the child run ahead a little
        ::kill(child, SIGKILL);
      }
    }
    ::close(acks[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);

    uint64_t expected = 1;
    auto report = RecoverJournal(path, [&](const JournalRecord& r) {
      const absl::Span<const uint8_t> want = KillTestPayload(pattern, r.sequence, round);
      if (r.sequence != expected++ || r.timestamp_ns != static_cast<int64_t>(r.sequence) ||
          !std::equal(r.payload.begin(), r.payload.end(), want.begin(), want.end())) {
        return absl::InternalError("record differs from what the child wrote");
      }
      return absl::OkStatus();
    });
    REQUIRE(report.ok());
    CHECK(report->last_sequence >= acked);
    CHECK(report->records == report->last_sequence);
    auto again = RecoverJournal(path);
    REQUIRE(again.ok());
    CHECK_FALSE(again->cut.has_value());
  }
}
