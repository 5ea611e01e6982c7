// --verify: output files produced from a replay verify byte for byte, over two trading
// days; a changed byte in an OUCH or ITCH message, a differing repeat, a message the
// replay never produced, a corrupt file and output of a day the journal does not reach
// are each named.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "surveillance/output_file.h"
#include "surveillance/verify.h"
#include "tests/surveillance/scenarios.h"

using namespace ccx;
using namespace ccx::surveillance;
using namespace ccx::test;
namespace fs = std::filesystem;

namespace {

const absl::CivilDay kThursday(2026, 11, 19);

// Thursday and Friday: an honest morning each, trading in the afternoon on Friday.
SessionScript TwoDays() {
  SessionScript s;
  DayClock(&s, kThursday);
  HonestBook(&s, kThursday);
  MorningAuction(&s, kThursday);
  Afternoon(&s, kThursday);
  DayClock(&s, kFriday, false);
  HonestBook(&s, kFriday);
  s.Enter(Tokyo(11, 0), "PART07", "F1", 'B', 10, "JCEE", 1700);
  MorningAuction(&s, kFriday);
  s.Clock(Tokyo(12, 30, 0, 2));
  s.Enter(Tokyo(13, 0), "PART08", "F2", 'S', 10, "JCEE", 1650);
  s.Clock(Tokyo(15, 0, 0, 5));
  return s;
}

// Everything one day's replay produced, as the exchange records it: every OUCH message of
// every participant, then every ITCH message; `repeat_every` > 0 writes every n-th OUCH
// message twice (a restart that resent it). `change` edits a message before it is written.
struct Recorder {
  std::function<void(bool itch, ParticipantId p, uint64_t seq, std::vector<uint8_t>*)> change;
  int repeat_every = 0;

  void Write(const std::string& dir, const DayStreams& streams, const FeedDay& feed) const {
    fs::create_directories(dir);
    auto w = JournalWriter::Open(dir + "/" + OutputFileName(streams.day), FsyncMode::kNone, 1);
    REQUIRE(w.ok());
    uint64_t n = 0;
    for (ParticipantId p = 0; p < streams.streams.size(); ++p) {
      for (uint64_t q = 1; q <= streams.streams[p]->size(); ++q) {
        const auto m = streams.streams[p]->message(q);
        std::vector<uint8_t> bytes(m.begin(), m.end());
        if (change) change(false, p, q, &bytes);
        const auto payload = EncodeOuchOutput(p, q, bytes);
        REQUIRE(w->Append(kOutputOuch, 1, payload).ok());
        if (repeat_every > 0 && ++n % repeat_every == 0) REQUIRE(w->Append(kOutputOuch, 2, payload).ok());
      }
    }
    for (uint64_t q = 1; q <= feed.log.size(); ++q) {
      const auto m = feed.log.message(q);
      std::vector<uint8_t> bytes(m.begin(), m.end());
      if (change) change(true, 0, q, &bytes);
      REQUIRE(w->Append(kOutputItch, 3, EncodeItchOutput(q, bytes)).ok());
    }
    REQUIRE(w->Close().ok());
  }
};

struct Fixture {
  SessionScript script = TwoDays();
  fs::path dir = fs::temp_directory_path() / ("ccx-verify-" + std::to_string(std::random_device{}()));
  std::string out = (dir / "output").string();

  Fixture() {
    fs::create_directories(dir);
    script.Write((dir / "journal" / "ccx.journal").string());
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  // Replays the journal and records both days with `rec`.
  void Record(const Recorder& rec) {
    Replayer r(script.market(), script.participants(), script.options(false));
    REQUIRE(script.ReplayInto(&r).ok());
    const auto prev = r.core().previous_day_streams();
    const auto prev_feed = r.feed()->previous_day();
    REQUIRE(prev != nullptr);
    REQUIRE(prev_feed != nullptr);
    REQUIRE(prev->day == kThursday);
    rec.Write(out, *prev, *prev_feed);
    rec.Write(out, *r.core().day_streams(), *r.feed()->day());
  }
  // Verifies; returns the verifier's state after the replay.
  std::unique_ptr<OutputVerifier> Verify() {
    auto v = std::make_unique<OutputVerifier>(out);
    REQUIRE(v->Init().ok());
    Replayer r(script.market(), script.participants(), script.options(false));
    r.AddObserver(v.get());
    auto sum = ReplayJournal((dir / "journal" / "ccx.journal").string(), &r, {},
                             [&](const JournalRecord&) { return v->failed(); });
    REQUIRE(sum.ok());
    if (!v->failed()) v->Finish(r);
    return v;
  }
};

}  // namespace

TEST_CASE("recorded output of two days verifies byte for byte", "[surveillance][verify]") {
  Fixture f;
  Recorder rec;
  rec.repeat_every = 7;
  f.Record(rec);
  auto v = f.Verify();
  INFO((v->difference() ? v->difference()->ToString() : std::string(v->error().message())));
  REQUIRE_FALSE(v->failed());
  REQUIRE(v->days().size() == 2);
  for (const DayCheck& d : v->days()) {
    CHECK(d.recorded);
    CHECK(d.ouch_checked == d.replay_ouch);
    CHECK(d.itch_checked == d.replay_itch);
    CHECK(d.ouch_duplicates == d.replay_ouch / 7);  // about: every 7th message of the file
    CHECK(d.replay_itch > 20);
  }
  CHECK(v->days()[0].day == kThursday);
  CHECK(v->days()[1].day == kFriday);
}

TEST_CASE("a changed OUCH byte is named: day, stream, sequence, offset", "[surveillance][verify]") {
  Fixture f;
  Recorder rec;
  const ParticipantId part03 = f.script.Id("PART03");
  rec.change = [&](bool itch, ParticipantId p, uint64_t seq, std::vector<uint8_t>* m) {
    if (!itch && p == part03 && seq == 3) (*m)[20] ^= 0x01;
  };
  f.Record(rec);
  auto v = f.Verify();
  REQUIRE(v->difference().has_value());
  const OutputDifference& d = *v->difference();
  CHECK(d.day == kThursday);  // the first day already differs
  CHECK(d.stream == "OUCH PART03");
  CHECK(d.seq == 3);
  CHECK(d.offset == 20);
  CHECK(d.what == "byte 20 differs");
  CHECK(d.expected.size() == d.found.size());
  CHECK((d.expected[20] ^ d.found[20]) == 0x01);
  const std::string text = d.ToString();
  CHECK(text.find("2026-11-19 OUCH PART03 seq 3: byte 20 differs") != std::string::npos);
  CHECK(text.find("expected (replay)") != std::string::npos);
}

TEST_CASE("a changed ITCH byte, a differing repeat, an extra message", "[surveillance][verify]") {
  Fixture f;
  SECTION("ITCH") {
    Recorder rec;
    rec.change = [](bool itch, ParticipantId, uint64_t seq, std::vector<uint8_t>* m) {
      if (itch && seq == 5) m->back() ^= 0x80;
    };
    f.Record(rec);
    auto v = f.Verify();
    REQUIRE(v->difference().has_value());
    CHECK(v->difference()->stream == "ITCH");
    CHECK(v->difference()->seq == 5);
    CHECK(v->difference()->offset == v->difference()->found.size() - 1);
  }
  SECTION("a repeat that differs from the first recording") {
    Recorder rec;
    f.Record(rec);
    // Friday's file gets one more record: PART01's message 2 again, one byte changed.
    Replayer r(f.script.market(), f.script.participants(), f.script.options(false));
    REQUIRE(f.script.ReplayInto(&r).ok());
    const ParticipantId p = f.script.Id("PART01");
    const auto m = r.core().stream(p).message(2);
    std::vector<uint8_t> bytes(m.begin(), m.end());
    bytes[1] ^= 0xff;
    const std::string path = f.out + "/" + OutputFileName(kFriday);
    JournalReader reader = *JournalReader::Open(path);
    JournalRecord x;
    while (*reader.Next(&x)) {
    }
    auto w = JournalWriter::Open(path, FsyncMode::kNone, reader.next_sequence());
    REQUIRE(w.ok());
    REQUIRE(w->Append(kOutputOuch, 9, EncodeOuchOutput(p, 2, bytes)).ok());
    REQUIRE(w->Close().ok());
    auto v = f.Verify();
    REQUIRE(v->difference().has_value());
    CHECK(v->difference()->day == kFriday);
    CHECK(v->difference()->stream == "OUCH PART01");
    CHECK(v->difference()->seq == 2);
    CHECK(v->difference()->offset == 1);
  }
  SECTION("a recorded message the replay never produced") {
    Recorder rec;
    f.Record(rec);
    const std::string path = f.out + "/" + OutputFileName(kFriday);
    JournalReader reader = *JournalReader::Open(path);
    JournalRecord x;
    while (*reader.Next(&x)) {
    }
    auto w = JournalWriter::Open(path, FsyncMode::kNone, reader.next_sequence());
    REQUIRE(w.ok());
    const uint8_t msg[10] = {'S'};
    REQUIRE(w->Append(kOutputOuch, 9, EncodeOuchOutput(0, 999, msg)).ok());
    REQUIRE(w->Close().ok());
    auto v = f.Verify();
    REQUIRE(v->difference().has_value());
    CHECK(v->difference()->seq == 999);
    CHECK(v->difference()->what.find("the replay has only") != std::string::npos);
  }
}

TEST_CASE("unreadable output and output of days the journal never reached", "[surveillance][verify]") {
  Fixture f;
  f.Record(Recorder{});
  SECTION("a byte flipped in the file (checksum)") {
    const std::string path = f.out + "/" + OutputFileName(kThursday);
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(200);
    char c = 0;
    file.read(&c, 1);
    file.seekp(200);
    c = static_cast<char>(c ^ 0x10);
    file.write(&c, 1);
    file.close();
    auto v = f.Verify();
    REQUIRE(v->failed());
    CHECK(v->error().message().find("corrupt record") != std::string::npos);
  }
  SECTION("a day after the journal's last") {
    fs::copy_file(f.out + "/" + OutputFileName(kFriday), f.out + "/20261124.out");
    auto v = f.Verify();
    REQUIRE(v->failed());
    CHECK(v->error().message().find("20261124.out: recorded output for a trading day the journal does not reach") !=
          std::string::npos);
  }
  SECTION("a day without output is reported, not failed") {
    fs::remove(f.out + "/" + OutputFileName(kThursday));
    auto v = f.Verify();
    REQUIRE_FALSE(v->failed());
    CHECK_FALSE(v->days()[0].recorded);
    CHECK(v->days()[1].recorded);
  }
}

TEST_CASE("output file names and records", "[surveillance][verify]") {
  absl::CivilDay d;
  CHECK(ParseOutputFileName("20261120.out", &d));
  CHECK(d == kFriday);
  CHECK_FALSE(ParseOutputFileName("20261320.out", &d));
  CHECK_FALSE(ParseOutputFileName("2026112.out", &d));
  CHECK_FALSE(ParseOutputFileName("20261120.txt", &d));
  const uint8_t msg[3] = {'A', 1, 2};
  const auto payload = EncodeOuchOutput(7, 42, msg);
  JournalRecord r;
  r.type = kOutputOuch;
  r.payload = {payload.data(), payload.size()};
  auto m = DecodeOutputRecord(r);
  REQUIRE(m.ok());
  CHECK(m->participant == 7);
  CHECK(m->seq == 42);
  CHECK(m->bytes.size() == 3);
  r.type = 1;
  CHECK_FALSE(DecodeOutputRecord(r).ok());
}
