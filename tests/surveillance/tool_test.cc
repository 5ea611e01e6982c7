// ccx-replay itself, run as a program on a data directory: every mode, its output and its
// exit status, and clear errors for bad journals and bad usage.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "nlohmann/json.hpp"
#include "surveillance/output_file.h"
#include "tests/surveillance/scenarios.h"

using namespace ccx;
using namespace ccx::test;
namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class DataDir {
 public:
  explicit DataDir(const SessionScript& s)
      : dir_(fs::temp_directory_path() / ("ccx-replay-tool-" + std::to_string(std::random_device{}()))) {
    s.Write((dir_ / "journal" / "ccx.journal").string());
  }
  ~DataDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& path() const { return dir_; }
  fs::path journal() const { return dir_ / "journal" / "ccx.journal"; }

  // Runs ccx-replay with `args` on this data directory and the shipped configuration.
  Result Run(const std::string& args) const {
    const fs::path err = dir_ / "stderr.txt";
    const std::string cmd = std::string(CCX_BIN_DIR) + "/ccx-replay --config " + ShippedConfig() +
                            " --data-dir " + dir_.string() + " " + args + " 2>" + err.string();
    Result r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.err = ReadFile(err);
    return r;
  }

 private:
  fs::path dir_;
};

SessionScript SpoofingDay() {
  SessionScript s = Spoofing();
  Afternoon(&s);
  return s;
}

}  // namespace

TEST_CASE("ccx-replay --help and bad usage", "[surveillance][tool]") {
  DataDir d(Clean());
  const Result help = d.Run("--help");
  CHECK(help.status == 0);
  CHECK(help.out.find("--verify") != std::string::npos);
  CHECK(help.out.find("--report CAT@TIME") != std::string::npos);
  CHECK(d.Run("").status == 2);
  const Result two = d.Run("--verify --orders");
  CHECK(two.status == 2);
  CHECK(two.err.find("give one mode only") != std::string::npos);
  CHECK(d.Run("--at yesterday").status == 2);
  CHECK(d.Run("--orders --participant NOBODY").err.find("unknown participant 'NOBODY'") != std::string::npos);
  CHECK(d.Run("--export xml").status == 2);
}

TEST_CASE("ccx-replay --at shows the book with owners, indicative and base price", "[surveillance][tool]") {
  DataDir d(SpoofingDay());
  const Result r = d.Run("--at 2026-11-20T11:27:00 --category JCRE --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["categories"].size() == 1);
  const auto& c = j["categories"][0];
  CHECK(c["category"] == "JCRE");
  CHECK(c["phase"] == "acceptance");
  CHECK(c["base_price"] == 3019);
  CHECK(c["indicative"]["price"] == 2900);  // the spoof is in the book
  CHECK(c["indicative"]["volume"] == 2000);
  bool spoof = false;
  for (const auto& o : c["orders"]) {
    spoof |= o["participant"] == "PART09" && o["qty"] == 5000 && o["token"] == "SP1" &&
             o["entered"] == "2026-11-20T11:26:00.000";
  }
  CHECK(spoof);
  const Result text = d.Run("--at 2026-11-20T11:29:30 --category JCRE");
  REQUIRE(text.status == 0);
  CHECK(text.out.find("indicative auction: price 3019 volume 2000") != std::string::npos);
  CHECK(text.out.find("base price 3019, band 302..5736") != std::string::npos);
  CHECK(text.out.find("PART09") == std::string::npos);  // cancelled at 11:29
  CHECK(d.Run("--at 2026-11-19T10:00").status == 1);   // before the journal
}

TEST_CASE("ccx-replay --orders gives the life of each order", "[surveillance][tool]") {
  DataDir d(SpoofingDay());
  const Result r = d.Run("--orders --participant PART02");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("token B2\n") != std::string::npos);
  CHECK(r.out.find("2026-11-20T08:31:00.000  entered   700 @ 3050") != std::string::npos);
  CHECK(r.out.find("2026-11-20T09:30:00.000  replaced  by ref") != std::string::npos);
  CHECK(r.out.find("2026-11-20T11:30:00.000  executed  700 @ 3019") != std::string::npos);
  CHECK(r.out.find("2 orders, 0 rejected requests") != std::string::npos);
  const Result j = d.Run("--orders --participant PART09 --format json");
  REQUIRE(j.status == 0);
  const auto o = nlohmann::json::parse(j.out);
  REQUIRE(o["orders"].size() == 1);
  CHECK(o["orders"][0]["steps"][1]["what"] == "canceled");
  CHECK(o["orders"][0]["steps"][1]["time"] == "2026-11-20T11:29:00.000");
}

TEST_CASE("ccx-replay --alerts, --report, --export, --step", "[surveillance][tool]") {
  DataDir d(SpoofingDay());
  const Result a = d.Run("--alerts --format json --alerts-dir " + (d.path() / "alerts").string());
  INFO(a.err);
  REQUIRE(a.status == 0);
  const auto alerts = nlohmann::json::parse(a.out);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0]["kind"] == "spoofing");
  CHECK(fs::exists(d.path() / "alerts" / "20261120-1130-JCRE-spoofing-PART09.json"));
  CHECK(d.Run("--alerts").out.find("1 alert over") != std::string::npos);

  const fs::path html = d.path() / "report.html";
  const Result rep = d.Run("--report JCRE@2026-11-20T11:30 --output " + html.string());
  INFO(rep.err);
  REQUIRE(rep.status == 0);
  const std::string page = ReadFile(html);
  CHECK(page.find("<svg") != std::string::npos);
  CHECK(page.find("spoofing") != std::string::npos);
  CHECK(d.Run("--report JCRE@2026-11-23T11:30").status == 1);  // after the journal

  const fs::path csv = d.path() / "events.csv";
  REQUIRE(d.Run("--export csv --category JCRE --output " + csv.string()).status == 0);
  const std::string rows = ReadFile(csv);
  CHECK(rows.rfind("sequence,time,input,event,", 0) == 0);
  CHECK(rows.find(",canceled,JCRE,PART09,") != std::string::npos);
  const Result json = d.Run("--export json --participant PART09");
  REQUIRE(json.status == 0);
  std::istringstream lines(json.out);
  int n = 0;
  for (std::string l; std::getline(lines, l); ++n) CHECK(nlohmann::json::parse(l)["participant"] == "PART09");
  CHECK(n == 2);  // accepted, canceled

  const Result step = d.Run("--step --from 2026-11-20T11:26:00 --to 2026-11-20T11:29:00");
  REQUIRE(step.status == 0);
  CHECK(step.out.find("OUCH PART09 enter SP1 sell 5000 JCRE @ 2900 DAY") != std::string::npos);
  CHECK(step.out.find("JCRE indicative 3019 x 2000 -> 2900 x 2000") != std::string::npos);
  CHECK(step.out.find("OUCH PART09 cancel SP1") != std::string::npos);
  CHECK(step.out.find("11:30") == std::string::npos);
}

TEST_CASE("ccx-replay --verify passes on recorded output and names the first difference",
          "[surveillance][tool]") {
  const SessionScript s = SpoofingDay();
  DataDir d(s);
  CHECK(d.Run("--verify").status == 1);  // nothing recorded: nothing to verify
  // Record what the replay produced, as the exchange does.
  surveillance::Replayer r(s.market(), s.participants(), s.options(false));
  REQUIRE(s.ReplayInto(&r).ok());
  const auto& streams = *r.core().day_streams();
  fs::create_directories(d.path() / "output");
  const std::string file = (d.path() / "output" / surveillance::OutputFileName(kFriday)).string();
  auto record = [&](int corrupt_seq) {
    fs::remove(file);
    auto w = JournalWriter::Open(file, FsyncMode::kNone, 1);
    REQUIRE(w.ok());
    const ParticipantId p = s.Id("PART09");
    for (uint64_t q = 1; q <= streams.streams[p]->size(); ++q) {
      const auto m = streams.streams[p]->message(q);
      std::vector<uint8_t> bytes(m.begin(), m.end());
      if (static_cast<int>(q) == corrupt_seq) bytes[9] ^= 0x01;
      REQUIRE(w->Append(surveillance::kOutputOuch, 1, surveillance::EncodeOuchOutput(p, q, bytes)).ok());
    }
    const MessageLog& feed = r.feed()->day()->log;
    for (uint64_t q = 1; q <= feed.size(); ++q) {
      REQUIRE(w->Append(surveillance::kOutputItch, 1, surveillance::EncodeItchOutput(q, feed.message(q))).ok());
    }
    REQUIRE(w->Close().ok());
  };
  record(0);
  const Result ok = d.Run("--verify");
  INFO(ok.out + ok.err);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("OK: ") != std::string::npos);
  record(2);
  const Result bad = d.Run("--verify");
  INFO(bad.out + bad.err);
  CHECK(bad.status == 1);
  CHECK(bad.out.find("DIFFERENCE: 2026-11-20 OUCH PART09 seq 2: byte 9 differs") != std::string::npos);
  CHECK(bad.err.find("verify failed") != std::string::npos);
}

TEST_CASE("ccx-replay on a corrupt or truncated journal", "[surveillance][tool]") {
  DataDir d(Clean());
  SECTION("truncated") {
    fs::resize_file(d.journal(), fs::file_size(d.journal()) - 10);
    const Result r = d.Run("--alerts");
    CHECK(r.status == 1);
    CHECK(r.err.find("truncated at byte") != std::string::npos);
    CHECK(d.Run("--alerts --allow-torn-tail").status == 0);
  }
  SECTION("corrupt") {
    std::fstream f(d.journal(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(1000);
    const char c = static_cast<char>(f.get() ^ 0x55);
    f.seekp(1000);
    f.put(c);
    f.close();
    const Result r = d.Run("--orders");
    CHECK(r.status == 1);
    CHECK(r.err.find("corrupt record at byte") != std::string::npos);
  }
  SECTION("missing") {
    fs::remove(d.journal());
    const Result r = d.Run("--orders");
    CHECK(r.status == 1);
    CHECK(r.err.find("no such file") != std::string::npos);
  }
}
