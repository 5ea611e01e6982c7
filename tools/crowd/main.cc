// ccx-crowd: many simulated participants trading over the real wire protocols
// (docs/MARKETMAKER.md): buyers seeking offsets and sellers holding credits.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "tools/crowd/crowd.h"
#include "tools/lib/args.h"
#include "tools/mm/bot_util.h"

namespace {

constexpr const char* kUsage =
    "usage: ccx-crowd [OPTIONS]\n"
    "\n"
    "Simulates participants, each over its own SoupBinTCP/OUCH session: half of them buyers\n"
    "seeking offsets, half sellers holding credits. Orders arrive at --rate per simulated\n"
    "minute (the whole crowd, in the exchange's time): DAY and AUCTION limit orders priced\n"
    "around each category's base price (from the ITCH feed: last clearing price, NOII far\n"
    "price; else the configured reference price), some replaces and cancels. The same --seed\n"
    "makes the same decisions. Stops at the end of market hours (or --until, or Ctrl-C) and\n"
    "prints the counts per participant.\n"
    "Participants: --users PART01,PART02 with the demo passwords (the username in lower case),\n"
    "or USER:PASSWORD pairs.\n"
    "Exit status: 0 ok, 1 the exchange or the feed failed, 2 bad usage.\n\nOptions:\n";

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int Usage(const std::string& msg) { return ccx::UsageError("ccx-crowd", msg); }

}  // namespace

int main(int argc, char** argv) {
  ccx::Args a;
  a.Option("host", "127.0.0.1", "exchange address (order entry)")
      .Option("port", "26400", "SoupBinTCP/OUCH order-entry port")
      .Option("users", "PART01,PART02,PART03,PART04,PART05,PART06,PART07,PART08,PART09,PART10",
              "participants: USER or USER:PASSWORD, comma-separated (password default: user in lower case)")
      .Option("bots", "0", "use only the first N of --users (0 = all)")
      .Option("config", ccx::DefaultConfigPath(), "market configuration (categories, reference prices, bands)")
      .Option("categories", "", "comma-separated codes to trade (default: every category)")
      .Option("md-listen", "", "receive the feed on this unicast ADDR:PORT (the exchange's --md-dest)")
      .Option("md-group", "", "or join this multicast group ADDR:PORT (default 239.255.42.1:30001)")
      .Option("retrans", "127.0.0.1:26402", "retransmission server HOST:PORT ('' = none)")
      .Option("snapshot", "", "snapshot service HOST:PORT: start from the current state")
      .Option("rate", "8", "orders, replaces and cancels per simulated minute, whole crowd")
      .Option("scatter", "3", "standard deviation of limit prices, % of the base price")
      .Option("bias", "0.5", "buyers price this % above the base on average, sellers below")
      .Option("auction-share", "0.2", "share of new orders with time in force AUCTION (0..1)")
      .Option("replace-share", "0.15", "share of actions that replace a live order (0..1)")
      .Option("cancel-share", "0.1", "share of actions that cancel a live order (0..1)")
      .Option("min-qty", "10", "smallest order, t-CO2")
      .Option("max-qty", "2000", "largest order, t-CO2 (log-uniform in between)")
      .Option("seed", "1", "random seed: the same seed makes the same decisions")
      .Option("sim-speed", "0", "the exchange clock's speed (simulated s per real s; 0 = estimate)")
      .Option("until", "", "stop at this exchange time of day HH:MM[:SS] (default: end of market hours)")
      .Option("reconnect-seconds", "30", "after losing the exchange, retry this long, then exit with status 1")
      .Option("summary-json", "", "also write the counts as JSON to this file")
      .Flag("verbose", "log rejects on stderr");
  if (auto exit = ccx::ParseProgramOptions(a, argc, argv, "ccx-crowd", kUsage)) return *exit;
  ccx::bots::CrowdOptions o;
  o.host = a.Get("host");
  auto port = a.GetInt("port");
  if (!port.ok() || *port <= 0 || *port > 65535) return Usage("--port: expected a port number");
  o.port = static_cast<uint16_t>(*port);
  const std::vector<std::string> users = absl::StrSplit(a.Get("users"), ',', absl::SkipWhitespace());
  for (const std::string& u : users) {
    const size_t colon = u.find(':');
    std::string user = u.substr(0, colon);
    std::string password = colon == std::string::npos ? absl::AsciiStrToLower(user) : u.substr(colon + 1);
    if (user.empty() || user.size() > 6) return Usage("--users: '" + user + "' is not a username (1-6 characters)");
    o.users.emplace_back(user, password);
  }
  auto bots = a.GetInt("bots");
  if (!bots.ok() || *bots < 0) return Usage("--bots: expected a number >= 0");
  if (*bots > static_cast<int64_t>(o.users.size())) {
    return Usage("--bots " + std::to_string(*bots) + ": only " + std::to_string(o.users.size()) + " --users");
  }
  if (*bots > 0) o.users.resize(static_cast<size_t>(*bots));
  if (o.users.empty()) return Usage("--users: nobody to simulate");

  auto market = ccx::LoadMarketConfig(a.Get("config"));
  if (!market.ok()) return Usage(std::string(market.status().message()));
  o.market = *market;
  if (!a.Get("categories").empty()) {
    auto cats = ccx::bots::ParseCategoryList(a.Get("categories"), o.market);
    if (!cats.ok()) return Usage(std::string(cats.status().message()));
    o.categories = *cats;
  } else {
    for (const auto& c : o.market.categories) o.categories.push_back(c.code);
  }
  auto feed = ccx::bots::FeedOptions(a.Get("md-listen"), a.Get("md-group"), a.Get("retrans"), a.Get("snapshot"));
  if (!feed.ok()) return Usage(std::string(feed.status().message()));
  o.feed = *feed;

  auto num = [&](const char* name, double lo, double hi, double* out) -> bool {
    auto v = a.GetDouble(name);
    if (!v.ok() || *v < lo || *v > hi) {
      std::fprintf(stderr, "ccx-crowd: --%s: expected a number from %g to %g (got '%s')\n", name, lo,
                   hi, a.Get(name).c_str());
      return false;
    }
    *out = *v;
    return true;
  };
  double min_qty, max_qty, seed, reconnect;
  if (!num("rate", 0.001, 1e6, &o.rate_per_minute) || !num("scatter", 0, 50, &o.scatter_pct) ||
      !num("bias", -50, 50, &o.bias_pct) || !num("auction-share", 0, 1, &o.auction_share) ||
      !num("replace-share", 0, 1, &o.replace_share) || !num("cancel-share", 0, 1, &o.cancel_share) ||
      !num("min-qty", 1, 1e9, &min_qty) || !num("max-qty", 1, 1e9, &max_qty) ||
      !num("seed", 0, 1e18, &seed) || !num("sim-speed", 0, 1e6, &o.sim_speed) ||
      !num("reconnect-seconds", 0, 86400, &reconnect)) {
    return 2;
  }
  if (o.replace_share + o.cancel_share > 1) return Usage("--replace-share + --cancel-share must be at most 1");
  if (min_qty > max_qty) return Usage("--min-qty must not exceed --max-qty");
  o.min_qty = static_cast<uint32_t>(min_qty);
  o.max_qty = static_cast<uint32_t>(max_qty);
  o.seed = static_cast<uint64_t>(seed);
  o.reconnect_timeout = std::chrono::milliseconds(static_cast<int64_t>(reconnect * 1000));
  o.verbose = a.Has("verbose");
  if (!a.Get("until").empty()) {
    auto t = ccx::bots::ParseTimeOfDay(a.Get("until"));
    if (!t.ok()) return Usage("--until: " + std::string(t.status().message()));
    o.until_ns = *t;
  }

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  const size_t n = o.users.size();
  const std::string summary_path = a.Get("summary-json");
  ccx::bots::Crowd crowd(std::move(o));
  if (auto st = crowd.Start(); !st.ok()) {
    std::fprintf(stderr, "ccx-crowd: %s%s\n", std::string(st.message()).c_str(),
                 absl::IsUnavailable(st) ? " (is ccx-exchange running there?)" : "");
    return 1;
  }
  std::printf("ccx-crowd: ready, %zu participants\n", n);
  std::fflush(stdout);
  const absl::Status st = crowd.Run(&g_stop);
  std::fputs(crowd.ReportText().c_str(), stdout);
  std::fflush(stdout);
  if (!summary_path.empty()) {
    std::ofstream out(summary_path);
    out << crowd.SummaryJson();
    if (!out) std::fprintf(stderr, "ccx-crowd: cannot write %s\n", summary_path.c_str());
  }
  if (!st.ok()) {
    std::fprintf(stderr, "ccx-crowd: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  return 0;
}
