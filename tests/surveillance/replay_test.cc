// Replay: the replica matches the exchange's core record for record; the book at a
// moment (levels, owners, indicative, base price); the life of orders; clear errors for a
// missing, corrupt, truncated or foreign journal; the event export.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "fmt/format.h"
#include "surveillance/book_view.h"
#include "surveillance/export.h"
#include "surveillance/order_history.h"
#include "tests/surveillance/scenarios.h"

using namespace ccx;
using namespace ccx::surveillance;
using namespace ccx::test;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("ccx-surv-" + std::to_string(std::random_device{}()))) {
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

// Replays `s` up to (and including) the records at or before `until`.
struct Replay {
  Replayer r;
  OrderHistory history;
  uint64_t last = 0;
  Replay(const SessionScript& s, Timestamp until) : r(s.market(), s.participants(), s.options()) {
    r.AddObserver(&history);
    for (const ScriptRecord& rec : s.records()) {
      if (rec.time > until) break;
      JournalRecord j;
      j.sequence = ++last;
      j.timestamp_ns = rec.time;
      j.type = rec.type;
      j.payload = {rec.payload.data(), rec.payload.size()};
      REQUIRE(r.Apply(j).ok());
    }
  }
};

CategoryId Jcre(const SessionScript& s) { return static_cast<CategoryId>(s.market().FindCategory("JCRE")); }

}  // namespace

TEST_CASE("the replica rebuilds what the exchange's core holds", "[surveillance][replay]") {
  const SessionScript s = Clean();
  Replay a(s, Tokyo(23, 0));
  ExchangeCore ex(s.market(), s.participants(), s.core_options());
  uint64_t seq = 0;
  for (const ScriptRecord& rec : s.records()) {
    REQUIRE(ex.Apply(static_cast<InputKind>(rec.type), rec.time, rec.payload, ++seq));
  }
  const OrderEntry& core = ex.order_entry();
  CHECK(a.r.engine().StateHash() == core.engine().StateHash());
  for (ParticipantId p = 0; p < s.participants().participants.size(); ++p) {
    REQUIRE(a.r.core().stream(p).size() == core.stream(p).size());
    for (uint64_t q = 1; q <= core.stream(p).size(); ++q) {
      const auto x = a.r.core().stream(p).message(q), y = core.stream(p).message(q);
      REQUIRE(std::equal(x.begin(), x.end(), y.begin(), y.end()));
    }
  }
  const MessageLog& f1 = a.r.feed()->day()->log;
  const MessageLog& f2 = ex.feed().day()->log;
  REQUIRE(f1.size() == f2.size());
  for (uint64_t q = 1; q <= f1.size(); ++q) {
    const auto x = f1.message(q), y = f2.message(q);
    REQUIRE(std::equal(x.begin(), x.end(), y.begin(), y.end()));
  }
  CHECK(a.r.records() == s.records().size());
}

TEST_CASE("a journaled settings record sets the replay's NOII interval", "[surveillance][replay]") {
  SessionScript s;
  DayClock(&s, kFriday);  // journals the 100 ms of a first start
  CoreSettings settings;
  settings.noii_interval_ns = 5'000'000'000;  // a restart with --noii-interval-ms 5000
  s.Add(static_cast<uint16_t>(InputKind::kSettings), Tokyo(8, 10), &settings, sizeof settings);
  HonestBook(&s);
  Replayer r(s.market(), s.participants(), s.options());  // 100 ms unless the journal says
  CHECK(r.exchange().settings().noii_interval_ns == 100'000'000);
  REQUIRE(s.ReplayInto(&r).ok());
  CHECK(r.exchange().settings().noii_interval_ns == 5'000'000'000);
}

TEST_CASE("the book at a moment: levels, owners, indicative auction, base price", "[surveillance][replay]") {
  const SessionScript s = Clean();
  SECTION("10:00, during the morning acceptance") {
    Replay at(s, Tokyo(10, 0));
    const BookView v = SnapshotBook(at.r, Jcre(s), &at.history, at.last);
    CHECK(v.phase == Phase::kAcceptance);
    CHECK(v.base_price == 3019);
    CHECK(v.band.lower == 302);
    CHECK(v.band.upper == 5736);
    CHECK(v.indicative.executes);
    CHECK(v.indicative.price == 3019);
    CHECK(v.indicative.volume == 2000);
    REQUIRE(v.levels.size() == 5);  // 3200 S, 3100 B, 2950 B, 2900 S, 2800 B
    CHECK(v.levels[1].price == 3100);
    CHECK(v.levels[1].buy_qty == 2000);
    CHECK(v.levels[1].buy_orders == 3);
    CHECK(v.levels[3].price == 2900);
    CHECK(v.levels[3].sell_qty == 2000);
    REQUIRE(v.buys.size() == 5);
    // Price-time priority: 3100 (PART01 08:30, PART03 08:32, PART02's replacement 09:30).
    CHECK(v.buys[0].username == "PART01");
    CHECK(v.buys[1].username == "PART03");
    CHECK(v.buys[2].username == "PART02");
    CHECK(v.buys[2].token == "B2b");
    CHECK(v.buys[2].entered == Tokyo(9, 30));
    CHECK(v.buys[3].username == "PART07");
    CHECK(v.buys[4].username == "MM0001");
    const std::string text = FormatBookText(v, 540);
    CHECK(text.find("indicative auction: price 3019 volume 2000") != std::string::npos);
    CHECK(text.find("PART03") != std::string::npos);
    const auto j = BookToJson(v, 540);
    CHECK(j["indicative"]["price"] == 3019);
    CHECK(j["orders"].size() == 9);
    CHECK(j["orders"][0]["participant"] == "PART01");
  }
  SECTION("11:45, after the auction: executed orders are gone, the base price stays 3019") {
    Replay at(s, Tokyo(11, 45));
    const BookView v = SnapshotBook(at.r, Jcre(s), &at.history, at.last);
    CHECK(v.phase == Phase::kIntermission);
    CHECK(v.base_price == 3019);
    CHECK(v.buys.size() == 2);  // the maker's re-priced bid and PART09's late 2850
    CHECK(v.sells.size() == 1);
    CHECK_FALSE(v.indicative.executes);
  }
}

TEST_CASE("the life of every order", "[surveillance][replay]") {
  const SessionScript s = Clean();
  Replay all(s, Tokyo(23, 0));
  const ParticipantId part02 = s.Id("PART02");
  std::vector<const OrderLife*> mine;
  for (const OrderLife& o : all.history.orders()) {
    if (o.participant == part02) mine.push_back(&o);
  }
  REQUIRE(mine.size() == 2);
  const OrderLife& first = *mine[0];
  const OrderLife& second = *mine[1];
  const auto first_steps = all.history.Steps(first);
  const auto second_steps = all.history.Steps(second);
  CHECK(first.token == "B2");
  CHECK(first.price == 3050);
  REQUIRE(first_steps.size() == 2);
  CHECK(first_steps[0].kind == StepKind::kEntered);
  CHECK(first_steps[0].time == Tokyo(8, 31));
  CHECK(first_steps[1].kind == StepKind::kReplaced);
  CHECK(first_steps[1].other == second.ref);
  CHECK(first.replaced_by == second.ref);
  CHECK(second.token == "B2b");
  CHECK(second.replaces == first.ref);
  REQUIRE(second_steps.size() == 2);
  CHECK(second_steps[1].kind == StepKind::kExecuted);
  CHECK(second_steps[1].qty == 700);
  CHECK(second_steps[1].price == 3019);
  CHECK(second_steps[1].time == Tokyo(11, 30));
  CHECK(second.executed == 700);
  CHECK_FALSE(second.live());

  // PART07's order: entered and cancelled by its owner.
  const OrderLife* x1 = nullptr;
  for (const OrderLife& o : all.history.orders()) {
    if (o.token == "X1") x1 = &o;
  }
  REQUIRE(x1 != nullptr);
  const auto x1_steps = all.history.Steps(*x1);
  REQUIRE(x1_steps.size() == 2);
  CHECK(x1_steps[1].kind == StepKind::kCanceled);
  CHECK(x1_steps[1].reason == 'U');
  CHECK(x1_steps[1].time == Tokyo(11, 28));
  // DAY orders left after 15:00 expire (reason T).
  const OrderLife* late = nullptr;
  for (const OrderLife& o : all.history.orders()) {
    if (o.token == "L1") late = &o;
  }
  REQUIRE(late != nullptr);
  const auto late_steps = all.history.Steps(*late);
  CHECK(late_steps.back().kind == StepKind::kCanceled);
  CHECK(late_steps.back().reason == 'T');
  CHECK(late_steps.back().time == Tokyo(15, 0));
}

TEST_CASE("rejected requests are kept with their reason", "[surveillance][replay]") {
  SessionScript s;
  DayClock(&s, kFriday);
  s.Enter(Tokyo(8, 10), "PART01", "R1", 'B', 10, "JCRE", 9000);   // outside the band: 'p'
  s.Enter(Tokyo(8, 11), "PART01", "R2", 'B', 10, "NOPE", 3000);   // unknown category: 'S'
  s.Enter(Tokyo(8, 12), "PART01", "R3", 'B', 10, "JCRE", 3000);
  s.Enter(Tokyo(8, 13), "PART01", "R3", 'B', 10, "JCRE", 3000);   // duplicate token: 'd'
  Replay all(s, Tokyo(23, 0));
  const auto& rej = all.history.rejected();
  REQUIRE(rej.size() == 3);
  CHECK(rej[0].token == "R1");
  CHECK(rej[0].reason == 'p');
  CHECK(rej[1].reason == 'S');
  CHECK(rej[1].category == "NOPE");
  CHECK(rej[2].reason == 'd');
  CHECK(all.history.orders().size() == 1);
}

TEST_CASE("journal errors are clear", "[surveillance][replay]") {
  TempDir dir;
  const SessionScript s = Clean();
  const std::string path = dir.File("journal/ccx.journal");
  s.Write(path);
  auto replay = [&](const std::string& p, JournalOptions o = {}) {
    Replayer r(s.market(), s.participants(), s.options());
    return ReplayJournal(p, &r, o);
  };
  SECTION("a good journal") {
    auto sum = replay(path);
    REQUIRE(sum.ok());
    CHECK(sum->records == s.records().size());
    CHECK(sum->first_sequence == 1);
    CHECK_FALSE(sum->torn_tail);
  }
  SECTION("missing") {
    auto sum = replay(dir.File("nope/ccx.journal"));
    REQUIRE_FALSE(sum.ok());
    CHECK(absl::IsNotFound(sum.status()));
    CHECK(sum.status().message().find("no such file") != std::string::npos);
  }
  SECTION("not a journal") {
    std::ofstream(dir.File("text")) << "hello, this is not a journal at all, just text\n";
    auto sum = replay(dir.File("text"));
    REQUIRE_FALSE(sum.ok());
    CHECK(sum.status().message().find("not a ccx journal") != std::string::npos);
  }
  SECTION("a byte flipped in the middle") {
    const auto size = fs::file_size(path);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    char c;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(size / 2));
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
    f.close();
    auto sum = replay(path);
    REQUIRE_FALSE(sum.ok());
    const std::string msg(sum.status().message());
    INFO(msg);
    CHECK(msg.find("corrupt record at byte") != std::string::npos);
    CHECK(msg.find("refusing") != std::string::npos);
  }
  SECTION("cut in the middle of the last record") {
    fs::resize_file(path, fs::file_size(path) - 20);
    auto sum = replay(path);
    REQUIRE_FALSE(sum.ok());
    const std::string msg(sum.status().message());
    INFO(msg);
    CHECK(msg.find("truncated at byte") != std::string::npos);
    CHECK(msg.find("--allow-torn-tail") != std::string::npos);
    JournalOptions o;
    o.allow_torn_tail = true;
    auto ok = replay(path, o);
    REQUIRE(ok.ok());
    CHECK(ok->records == s.records().size() - 1);
    CHECK(ok->torn_tail.has_value());
  }
  SECTION("an input kind the core does not know") {
    auto w = JournalWriter::Open(path, FsyncMode::kNone, s.records().size() + 1);
    REQUIRE(w.ok());
    const uint8_t payload[8] = {};
    REQUIRE(w->Append(99, Tokyo(16, 0), payload).ok());
    REQUIRE(w->Close().ok());
    auto sum = replay(path);
    REQUIRE_FALSE(sum.ok());
    const std::string msg(sum.status().message());
    INFO(msg);
    CHECK(msg.find(fmt::format("record {} ", s.records().size() + 1)) != std::string::npos);
    CHECK(msg.find("type 99") != std::string::npos);
    CHECK(msg.find("does not know this input type") != std::string::npos);
  }
  SECTION("a known input kind with a malformed payload") {
    auto w = JournalWriter::Open(path, FsyncMode::kNone, s.records().size() + 1);
    REQUIRE(w.ok());
    const uint8_t payload[8] = {};
    REQUIRE(w->Append(static_cast<uint16_t>(InputKind::kLedger), Tokyo(16, 0), payload).ok());
    REQUIRE(w->Close().ok());
    auto sum = replay(path);
    REQUIRE_FALSE(sum.ok());
    CHECK(sum.status().message().find("malformed payload") != std::string::npos);
  }
}

TEST_CASE("events export as CSV and JSON Lines", "[surveillance][replay]") {
  const SessionScript s = Clean();
  std::ostringstream csv, json;
  Replayer r(s.market(), s.participants(), s.options());
  EventFilter only;
  only.participant = s.Id("PART02");
  EventExporter a(&csv, ExportFormat::kCsv, only), b(&json, ExportFormat::kJsonLines);
  r.AddObserver(&a);
  r.AddObserver(&b);
  REQUIRE(s.ReplayInto(&r).ok());
  std::vector<std::string> lines;
  std::istringstream in(csv.str());
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  // Header; accepted, replaced, executed; its 700 t bought from two sellers.
  REQUIRE(lines.size() == 1 + 5);
  CHECK(lines[0].rfind("sequence,time,input,event,category,participant", 0) == 0);
  CHECK(lines[1].find(",accepted,JCRE,PART02,,B,DAY,") != std::string::npos);
  CHECK(lines[2].find(",replaced,JCRE,PART02,") != std::string::npos);
  CHECK(lines[3].find(",executed,JCRE,PART02,") != std::string::npos);
  CHECK(lines[4].find(",trade,JCRE,PART02,PART0") != std::string::npos);
  CHECK(lines[5].find(",trade,JCRE,PART02,PART0") != std::string::npos);
  size_t n = 0;
  std::istringstream jin(json.str());
  for (std::string l; std::getline(jin, l); ++n) {
    const auto j = nlohmann::json::parse(l);
    REQUIRE(j.contains("event"));
    if (n == 0) CHECK(j["event"] == "phase");
  }
  CHECK(n == b.rows());
  CHECK(n > 20);
}
