// ccx-mm: a market-making bot for ccx (docs/MARKETMAKER.md). Quotes two-sided in its
// categories over SoupBinTCP/OUCH, priced from the ITCH feed, and reports the day.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_join.h"
#include "tools/lib/args.h"
#include "tools/mm/bot_util.h"
#include "tools/mm/market_maker.h"

namespace {

constexpr const char* kUsage =
    "usage: ccx-mm --user USER --password PASSWORD [OPTIONS]\n"
    "\n"
    "A market maker: joins the ITCH feed and an OUCH session, keeps a buy and a sell order\n"
    "resting in each of its categories during acceptance phases around a fair value (the last\n"
    "clearing price pulled towards the indicative auction price), skewed by its inventory,\n"
    "re-quoting with replace. The defaults meet the obligations of MARKET_RULES.md §7 (two\n"
    "sides of at least 100 t, spread at most 10% of the base price, present at least 80% of\n"
    "each acceptance phase). Stops at the end of market hours, at --until, or on Ctrl-C\n"
    "(cancelling its quotes), and prints what it did.\n"
    "Exit status: 0 ok, 1 the exchange or the feed failed, 2 bad usage.\n\nOptions:\n";

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int Usage(const std::string& msg) { return ccx::UsageError("ccx-mm", msg); }

}  // namespace

int main(int argc, char** argv) {
  ccx::Args a;
  a.Option("host", "127.0.0.1", "exchange address (order entry)")
      .Option("port", "26400", "SoupBinTCP/OUCH order-entry port")
      .Option("user", "", "SoupBinTCP username (e.g. MM0001)")
      .Option("password", "", "password")
      .Option("config", ccx::DefaultConfigPath(), "market configuration: categories, designations")
      .Option("categories", "", "comma-separated codes (default: where --user is a designated market maker)")
      .Option("md-listen", "", "receive the feed on this unicast ADDR:PORT (the exchange's --md-dest)")
      .Option("md-group", "", "or join this multicast group ADDR:PORT (default 239.255.42.1:30001)")
      .Option("retrans", "127.0.0.1:26402", "retransmission server HOST:PORT ('' = none)")
      .Option("snapshot", "", "snapshot service HOST:PORT: start from the current state")
      .Option("size", "200", "quote size per side, t-CO2")
      .Option("spread", "4", "quoted spread (ask - bid) as a percentage of the base price")
      .Option("skew", "1", "mid-price shift at --max-position, in half-spreads")
      .Option("max-position", "50000", "t-CO2 of inventory per category beyond which the side adding to it stops")
      .Option("cash-limit", "10000000000", "yen for open buys plus the day's purchases (0 = no limit)")
      .Option("credit-limit", "1000000", "t-CO2 per category for open sells plus the day's sales (0 = no limit)")
      .Option("fair-weight", "0.5", "weight of the indicative auction price in the fair value (0..1)")
      .Option("fair-max-pull", "5", "the indicative price moves the fair value by at most this % of base")
      .Option("requote", "1", "replace a quote when its price is off by this % of the base price or more")
      .Option("min-requote-seconds", "60", "exchange seconds between replaces of one side (obligations excepted)")
      .Option("min-size", "", "obligation override: minimum size per side, t-CO2 (default: the config's mm_min_size)")
      .Option("max-spread", "", "obligation override: maximum spread, % of the base price (default: the config's)")
      .Option("until", "", "stop at this exchange time of day HH:MM[:SS] (default: end of market hours)")
      .Option("sim-speed", "0", "the exchange clock's speed, for --until between messages (0 = estimate)")
      .Option("token-prefix", "Q", "order tokens are this prefix and a counter")
      .Option("reconnect-seconds", "30", "after losing the exchange, retry this long, then exit with status 1")
      .Option("summary-json", "", "also write the end-of-day summary as JSON to this file")
      .Flag("verbose", "log every order action on stderr");
  if (auto exit = ccx::ParseProgramOptions(a, argc, argv, "ccx-mm", kUsage)) return *exit;
  ccx::bots::MarketMakerOptions o;
  o.session.host = a.Get("host");
  o.session.user = a.Get("user");
  o.session.password = a.Get("password");
  o.session.token_prefix = a.Get("token-prefix");
  if (o.session.user.empty() || o.session.password.empty()) return Usage("--user and --password are required");
  if (o.session.token_prefix.empty() || o.session.token_prefix.size() > 4) {
    return Usage("--token-prefix: 1 to 4 characters");
  }
  auto port = a.GetInt("port");
  if (!port.ok() || *port <= 0 || *port > 65535) return Usage("--port: expected a port number");
  o.session.port = static_cast<uint16_t>(*port);

  auto market = ccx::LoadMarketConfig(a.Get("config"));
  if (!market.ok()) return Usage(std::string(market.status().message()));
  o.market = *market;
  if (!a.Get("categories").empty()) {
    auto cats = ccx::bots::ParseCategoryList(a.Get("categories"), o.market);
    if (!cats.ok()) return Usage(std::string(cats.status().message()));
    o.categories = *cats;
  } else {
    auto cats = ccx::bots::DesignatedCategories(a.Get("config"), o.market, o.session.user);
    if (!cats.ok()) return Usage(std::string(cats.status().message()));
    if (cats->empty()) {
      return Usage(o.session.user + " is not a designated market maker in any category of " +
                   a.Get("config") + "; name categories with --categories");
    }
    o.categories = *cats;
  }

  auto feed = ccx::bots::FeedOptions(a.Get("md-listen"), a.Get("md-group"), a.Get("retrans"), a.Get("snapshot"));
  if (!feed.ok()) return Usage(std::string(feed.status().message()));
  o.feed = *feed;

  auto num = [&](const char* name, double lo, double hi, double* out) -> bool {
    auto v = a.GetDouble(name);
    if (!v.ok() || *v < lo || *v > hi) {
      std::fprintf(stderr, "ccx-mm: --%s: expected a number from %g to %g (got '%s')\n", name, lo, hi,
                   a.Get(name).c_str());
      return false;
    }
    *out = *v;
    return true;
  };
  double size, max_pos, cash, credit, min_size = 0, max_spread = 0, min_requote, speed, reconnect;
  if (!num("size", 1, 1e9, &size) || !num("spread", 0.01, 100, &o.quote.spread_pct) ||
      !num("skew", 0, 10, &o.quote.skew) || !num("max-position", 0, 1e12, &max_pos) ||
      !num("cash-limit", 0, 1e18, &cash) || !num("credit-limit", 0, 1e12, &credit) ||
      !num("fair-weight", 0, 1, &o.quote.fv_weight) ||
      !num("fair-max-pull", 0, 100, &o.quote.fv_max_pull_pct) ||
      !num("requote", 0, 100, &o.requote_pct) ||
      !num("min-requote-seconds", 0, 86400, &min_requote) ||
      (!a.Get("min-size").empty() && !num("min-size", 1, 1e9, &min_size)) ||
      (!a.Get("max-spread").empty() && !num("max-spread", 0.01, 1000, &max_spread)) ||
      !num("sim-speed", 0, 1e6, &speed) || !num("reconnect-seconds", 0, 86400, &reconnect)) {
    return 2;
  }
  o.quote.size = static_cast<uint32_t>(size);
  o.quote.max_position = static_cast<int64_t>(max_pos);
  if (!a.Get("min-size").empty()) o.min_size = static_cast<uint32_t>(min_size);
  if (!a.Get("max-spread").empty()) o.max_spread_pct = max_spread;
  o.cash_limit = static_cast<int64_t>(cash);
  o.credit_limit = static_cast<int64_t>(credit);
  o.min_requote_ns = static_cast<uint64_t>(min_requote * 1e9);
  o.sim_speed = speed;
  o.session.reconnect_timeout = std::chrono::milliseconds(static_cast<int64_t>(reconnect * 1000));
  o.verbose = a.Has("verbose");
  if (!a.Get("until").empty()) {
    auto t = ccx::bots::ParseTimeOfDay(a.Get("until"));
    if (!t.ok()) return Usage("--until: " + std::string(t.status().message()));
    o.until_ns = *t;
  }
  for (const std::string& code : o.categories) {
    const ccx::MarketMakerObligation& ob =
        o.market.categories[static_cast<size_t>(o.market.FindCategory(code))].mm_obligation;
    const uint32_t need = o.min_size.value_or(ob.min_size);
    if (o.quote.size < need) {
      std::fprintf(stderr, "ccx-mm: warning: --size %u is below the obligation's minimum %u in %s\n",
                   o.quote.size, need, code.c_str());
    }
  }

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  const std::string categories = absl::StrJoin(o.categories, ",");
  const std::string summary_path = a.Get("summary-json");
  ccx::bots::MarketMaker mm(std::move(o));
  if (auto st = mm.Start(); !st.ok()) {
    std::fprintf(stderr, "ccx-mm: %s%s\n", std::string(st.message()).c_str(),
                 absl::IsUnavailable(st) ? " (is ccx-exchange running there?)" : "");
    return 1;
  }
  std::printf("ccx-mm %s: ready, quoting %s\n", a.Get("user").c_str(), categories.c_str());
  std::fflush(stdout);
  const absl::Status st = mm.Run(&g_stop);
  std::fputs(mm.ReportText().c_str(), stdout);
  std::fflush(stdout);
  if (!summary_path.empty()) {
    std::ofstream out(summary_path);
    out << mm.SummaryJson();
    if (!out) std::fprintf(stderr, "ccx-mm: cannot write %s\n", summary_path.c_str());
  }
  if (!st.ok()) {
    std::fprintf(stderr, "ccx-mm: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  return 0;
}
