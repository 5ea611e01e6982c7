// ccx-md: a market-data subscriber on the command line. Joins the ccx feed (MoldUDP64 over
// UDP multicast or unicast, ITCH 5.0), fills gaps from the retransmission server, can start
// from the TCP snapshot, keeps the books, and prints every message (--raw), one category's
// price ladder (--board), or one line per auction result (--auctions), as text or JSON.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include "fmt/format.h"
#include "marketdata/subscriber/feed_subscriber.h"
#include "marketdata/subscriber/message_text.h"
#include "tools/lib/args.h"
#include "tools/md/board.h"

namespace {

constexpr const char* kUsage =
    "usage: ccx-md [OPTIONS]\n"
    "\n"
    "Joins the ccx market-data feed and prints it. Modes (default --raw):\n"
    "  --raw              every message decoded, one line each: SESSION SEQ TIME TEXT\n"
    "                     (SEQ is 'snap' for messages of the snapshot)\n"
    "  --board CATEGORY   the category's price ladder with the indicative auction price and\n"
    "                     volume, redrawn as the book changes\n"
    "  --auctions         one line per auction result (clearing price and volume, or no execution)\n"
    "  --json             the same as JSON, one object per line\n"
    "Feed: --group ADDR:PORT joins a multicast group (default 239.255.42.1:30001), or\n"
    "--listen ADDR:PORT receives unicast. --retrans HOST:PORT fills gaps (without it, lost\n"
    "messages are reported and skipped); --snapshot HOST:PORT starts from the current state.\n"
    "Stops after --count messages or --seconds, at the end of the session with --until-end,\n"
    "or on Ctrl-C. Exit status: 0 ok, 1 feed or network error, 2 bad usage.\n\nOptions:\n";

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int Usage(const std::string& text) { return ccx::UsageError("ccx-md", text); }

enum class Mode { kRaw, kBoard, kAuctions };

struct Printer {
  Mode mode = Mode::kRaw;
  bool json = false;
  std::string board;
  int depth = 10;
  bool tty = false;
  bool board_dirty = false;
  std::chrono::steady_clock::time_point last_draw{};

  void Line(const std::string& s) {
    std::fputs(s.c_str(), stdout);
    std::fputc('\n', stdout);
  }

  void OnMessage(const ccx::md::FeedMessage& m) {
    if (mode == Mode::kRaw) {
      if (m.message == nullptr) return;  // reported as a warning
      if (json) {
        nlohmann::json j = ccx::md::MessageJson(*m.message);
        j["session"] = std::string(m.session);
        j["seq"] = m.sequence;
        j["snapshot"] = m.snapshot;
        Line(j.dump());
      } else {
        Line(fmt::format("{} {} {} {}", m.session, m.snapshot ? std::string("snap") : std::to_string(m.sequence),
                         ccx::md::FormatItchTime(std::visit([](const auto& x) { return x.header.timestamp; },
                                                            *m.message)),
                         ccx::md::DescribeMessage(*m.message)));
      }
    } else if (mode == Mode::kAuctions) {
      const auto* q = m.message ? std::get_if<ccx::itch::CrossTrade>(m.message) : nullptr;
      if (q == nullptr) return;
      const std::string code(ccx::itch::StockView(q->stock));
      const char* when = q->cross_type == 'C' ? "15:00" : "11:30";
      if (json) {
        nlohmann::json j = ccx::md::MessageJson(*m.message);
        j["session"] = std::string(m.session);
        j["auction"] = when;
        j["executed"] = q->shares > 0;
        j["snapshot"] = m.snapshot;  // a result from earlier today, not a new auction
        Line(j.dump());
      } else {
        const std::string result = q->shares == 0
                                       ? std::string("no execution")
                                       : fmt::format("{} JPY x {} t", ccx::md::FormatYen(q->cross_price), q->shares);
        Line(fmt::format("{} {} {} {} auction: {}{}", m.session,
                         ccx::md::FormatItchTime(q->header.timestamp).substr(0, 8), code, when,
                         result, m.snapshot ? " (earlier today, from the snapshot)" : ""));
      }
    } else {
      board_dirty = true;
    }
    std::fflush(stdout);
  }

  // Redraws the board at most 5 times a second, when something changed.
  void MaybeDraw(const ccx::md::ItchBook& book, bool force) {
    if (mode != Mode::kBoard || !board_dirty) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_draw < std::chrono::milliseconds(200)) return;
    const int index = book.FindCategory(board);
    if (index < 0) return;  // not announced yet
    board_dirty = false;
    last_draw = now;
    if (json) {
      Line(ccx::mdtool::BoardJson(book, static_cast<size_t>(index), depth).dump());
    } else {
      if (tty) std::fputs("\x1b[H\x1b[2J", stdout);
      std::fputs(ccx::mdtool::BoardText(book, static_cast<size_t>(index), depth).c_str(), stdout);
      if (!tty) std::fputc('\n', stdout);
    }
    std::fflush(stdout);
  }
};

}  // namespace

int main(int argc, char** argv) {
  ccx::Args a;
  a.Option("group", "", "multicast group ADDR:PORT to join (default 239.255.42.1:30001)")
      .Option("listen", "", "unicast ADDR:PORT to receive the feed on instead")
      .Option("interface", "0.0.0.0", "local interface address for the multicast join")
      .Option("retrans", "", "retransmission server HOST:PORT (the exchange's --md-retrans-port)")
      .Option("snapshot", "", "snapshot service HOST:PORT (the exchange's --snapshot-port)")
      .Flag("raw", "print every message (the default mode)")
      .Option("board", "", "show the price ladder of CATEGORY")
      .Option("depth", "10", "price levels per side on the board")
      .Flag("auctions", "print one line per auction result")
      .Flag("json", "print JSON, one object per line")
      .Option("drop-every", "0", "test switch: drop every Nth received packet (0 = none)")
      .Option("count", "0", "stop after this many messages (0 = no limit)")
      .Option("seconds", "0", "stop after this many seconds (0 = no limit)")
      .Flag("until-end", "stop at the end of the session")
      .Flag("stats", "print the feed statistics on stderr at exit");
  if (auto exit = ccx::ParseProgramOptions(a, argc, argv, "ccx-md", kUsage)) return *exit;
  Printer p;
  p.json = a.Has("json");
  const int modes = (a.Has("raw") ? 1 : 0) + (a.Has("board") ? 1 : 0) + (a.Has("auctions") ? 1 : 0);
  if (modes > 1) return Usage("choose one of --raw, --board CATEGORY, --auctions");
  if (a.Has("board")) {
    p.mode = Mode::kBoard;
    p.board = a.Get("board");
    if (p.board.empty()) return Usage("--board needs a category code, e.g. --board JCEE");
  } else if (a.Has("auctions")) {
    p.mode = Mode::kAuctions;
  }
  auto depth = a.GetInt("depth");
  auto drop = a.GetInt("drop-every");
  auto count = a.GetInt("count");
  auto seconds = a.GetDouble("seconds");
  if (!depth.ok() || *depth < 1 || *depth > 1000) return Usage("--depth: a number from 1 to 1000");
  if (!drop.ok() || *drop < 0 || *drop > 1'000'000) return Usage("--drop-every: a number from 0 to 1000000");
  if (!count.ok() || *count < 0) return Usage("--count: a number >= 0");
  if (!seconds.ok() || *seconds < 0) return Usage("--seconds: a number >= 0");
  p.depth = static_cast<int>(*depth);
  p.tty = isatty(STDOUT_FILENO) != 0;

  ccx::md::FeedSubscriberOptions o;
  o.listen = a.Get("listen");
  o.group = a.Get("group");
  if (o.group.empty() && o.listen.empty()) o.group = "239.255.42.1:30001";
  o.interface_address = a.Get("interface");
  o.retrans = a.Get("retrans");
  o.snapshot = a.Get("snapshot");
  o.drop_every = static_cast<int>(*drop);

  uint64_t delivered = 0;
  ccx::md::FeedHandler h;
  h.on_message = [&](const ccx::md::FeedMessage& m) {
    ++delivered;
    p.OnMessage(m);
  };
  h.on_warning = [](const std::string& w) { std::fprintf(stderr, "ccx-md: %s\n", w.c_str()); };
  h.on_snapshot = [&](std::string_view session, uint64_t next) {
    if (!p.json) {
      std::fprintf(stderr, "ccx-md: snapshot of session %s applied; live feed from sequence %llu\n",
                   std::string(session).c_str(), static_cast<unsigned long long>(next));
    }
  };
  auto sub = ccx::md::FeedSubscriber::Open(o, h);
  if (!sub.ok()) {
    std::fprintf(stderr, "ccx-md: %s\n", std::string(sub.status().message()).c_str());
    return 1;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  const auto start = std::chrono::steady_clock::now();
  const auto limit = std::chrono::duration<double>(*seconds);
  int status = 0;
  while (!g_stop) {
    if (auto st = (*sub)->Poll(50); !st.ok()) {
      std::fprintf(stderr, "ccx-md: %s\n", std::string(st.message()).c_str());
      status = 1;
      break;
    }
    p.MaybeDraw((*sub)->book(), false);
    if (*count > 0 && delivered >= static_cast<uint64_t>(*count)) break;
    if (*seconds > 0 && std::chrono::steady_clock::now() - start >= limit) break;
    if (a.Has("until-end") && (*sub)->ended()) break;
  }
  p.MaybeDraw((*sub)->book(), true);
  if (a.Has("stats")) {
    const ccx::md::FeedStats s = (*sub)->stats();
    std::fprintf(stderr,
                 "ccx-md: %llu messages delivered (%llu from the snapshot), %llu packets received, "
                 "%llu dropped by --drop-every, %llu heartbeats, %llu gaps, %llu retransmission "
                 "requests, %llu retransmitted packets, %llu duplicates, %llu lost, %llu bad packets\n",
                 static_cast<unsigned long long>(s.sequencer.messages + s.snapshot_messages),
                 static_cast<unsigned long long>(s.snapshot_messages),
                 static_cast<unsigned long long>(s.packets), static_cast<unsigned long long>(s.dropped),
                 static_cast<unsigned long long>(s.heartbeats),
                 static_cast<unsigned long long>(s.sequencer.gaps),
                 static_cast<unsigned long long>(s.sequencer.requests),
                 static_cast<unsigned long long>(s.retrans_packets),
                 static_cast<unsigned long long>(s.sequencer.duplicates),
                 static_cast<unsigned long long>(s.sequencer.lost),
                 static_cast<unsigned long long>(s.bad_packets));
  }
  return status;
}
