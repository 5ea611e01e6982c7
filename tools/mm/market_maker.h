// MarketMaker: the ccx-mm bot (docs/MARKETMAKER.md). It joins the ITCH feed (FeedSubscriber)
// and an OUCH session, and in every category it makes a market in keeps one buy and one sell
// order resting during acceptance phases (ITCH trading state `T`), priced around the fair
// value (quoter.h) and skewed by the inventory its executions built. It re-quotes on feed and
// order-entry events with OUCH replace (`U`), never cancel plus new, at most once per
// min_requote of exchange time per side unless an obligation is at stake; backs off on
// rejects; measures its own presence; stops at the end of market hours (`S` `M`), at
// `until`, or when asked; and reports the day.
#pragma once

#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/config/market_config.h"
#include "marketdata/subscriber/feed_subscriber.h"
#include "tools/mm/bot_util.h"
#include "tools/mm/ouch_session.h"
#include "tools/mm/own_orders.h"
#include "tools/mm/presence.h"
#include "tools/mm/quoter.h"
#include "tools/mm/sim_clock.h"

namespace ccx::bots {

struct MarketMakerOptions {
  OuchSessionOptions session;
  md::FeedSubscriberOptions feed;
  MarketConfig market;
  std::vector<std::string> categories;  ///< codes to make a market in
  /// Quoting; its min_size / max_spread_* are replaced per category by the configured
  /// obligation (CategoryConfig::mm_obligation) unless overridden below.
  QuoteParams quote;
  std::optional<uint32_t> min_size;     ///< obligation override: minimum size per side
  std::optional<double> max_spread_pct;  ///< obligation override: maximum spread, % of base
  int64_t cash_limit = 0;    ///< yen for open buys plus the day's purchases (0: no limit)
  int64_t credit_limit = 0;  ///< t-CO2 per category for open sells plus the day's sales (0: none)
  double requote_pct = 1.0;  ///< replace when the price is off by this % of the base or more
  uint64_t min_requote_ns = 60'000'000'000ULL;  ///< exchange time between replaces of a side
  std::optional<uint64_t> until_ns;  ///< stop at this exchange time of day
  double sim_speed = 0;      ///< the exchange clock's speed, 0 = estimate
  bool verbose = false;
};

class MarketMaker {
 public:
  explicit MarketMaker(MarketMakerOptions options);

  /// Opens the feed and logs in (replaying the day's own messages). Errors say what failed.
  absl::Status Start();
  /// Quotes until the end of market hours, `until`, or `*stop` becoming non-zero; then
  /// cancels what rests (except at the end of the day, when DAY orders expire anyway) and
  /// waits briefly for the last answers. An error when the feed or the session failed.
  absl::Status Run(const volatile std::sig_atomic_t* stop);

  /// One screen about the day (orders, replaces, executions, bought/sold, inventory,
  /// time quoted per phase, spreads).
  std::string ReportText() const;
  /// The same as one JSON object.
  std::string SummaryJson() const;
  /// Why Run() stopped ("end of market hours", "until HH:MM:SS", "signal", ...).
  const std::string& stop_reason() const { return stop_reason_; }

 private:
  struct Side {
    std::string token;     // the order that is this side's quote (live, or entering)
    std::string awaiting;  // token whose answer is awaited ("" = none)
    std::chrono::steady_clock::time_point sent_at{};
    uint64_t last_change_ns = 0;
    uint64_t cooldown_until_ns = 0;
    bool blocked = false;  // credits or buying power refused (u/n): until the next phase
  };
  struct Category {
    std::string code;
    const CategoryConfig* config = nullptr;
    int feed_index = -1;
    bool accepting = false;      // the feed says `T`
    bool closed_by_exchange = false;  // a `C`/`H` reject: wait for the next `T`
    bool disabled = false;
    QuoteParams params;  // with this category's obligation
    Side side[2];  // 0 buy, 1 sell
    Presence presence;
  };

  void OnFeed(const md::FeedMessage& m);
  void OnOrderMessage(const ouch::Outbound& m);
  void OnReset();
  void HandleReject(Category& c, int side, char reason, bool replace);
  void Act();
  void ActOn(Category& c);
  void UpdatePresence(Category& c, uint64_t ts);
  MarketView View(const Category& c) const;
  Category* Find(std::string_view code);
  void Enter(Category& c, int side, int64_t price, uint32_t size);
  void Replace(Category& c, int side, const OwnOrder& o, int64_t price, uint32_t size);
  void Cancel(Category& c, int side, const OwnOrder& o);
  void CancelAll();
  void Log(const std::string& text) const;
  uint64_t Now() const { return std::max(clock_.Now(), last_ts_); }
  void Seen(uint64_t ts);

  MarketMakerOptions options_;
  std::unique_ptr<md::FeedSubscriber> feed_;
  OuchSession session_;
  OwnOrders orders_;
  SimClock clock_;
  std::vector<Category> cats_;
  uint64_t last_ts_ = 0;
  bool end_of_day_ = false;    // ITCH `S` `M`
  bool ouch_end_ = false;      // OUCH `S` `E`
  bool session_ended_ = false; // SoupBinTCP `Z`
  std::chrono::steady_clock::time_point pause_until_{};
  std::string stop_reason_;
  std::string day_;
  int64_t warnings_ = 0;
};

}  // namespace ccx::bots
