// Crowd: the ccx-crowd program (docs/MARKETMAKER.md): one process simulating many
// participants, each over its own SoupBinTCP/OUCH session, priced from the ITCH feed.
// Personas: buyers seeking offsets (mostly buy orders) and sellers holding credits (mostly
// sells), each with a few preferred categories and its own price bias. Orders arrive as a
// Poisson process in exchange time (rate per simulated minute, for the whole crowd): new
// DAY or AUCTION limit orders priced around the category's base price (last clearing price,
// else the NOII far price, else the configured reference price) with a normal scatter, some
// replaces and cancels of the bot's own live orders. Deterministic decisions for a --seed.
// Stops at the end of market hours and reports the counts.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/config/market_config.h"
#include "marketdata/subscriber/feed_subscriber.h"
#include "tools/mm/ouch_session.h"
#include "tools/mm/own_orders.h"
#include "tools/mm/sim_clock.h"

namespace ccx::bots {

struct CrowdOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 26400;
  /// Participants (username, password), one bot each.
  std::vector<std::pair<std::string, std::string>> users;
  md::FeedSubscriberOptions feed;
  MarketConfig market;
  std::vector<std::string> categories;  ///< codes traded (default: all)
  double rate_per_minute = 8;   ///< actions per simulated minute, whole crowd
  double scatter_pct = 3;       ///< standard deviation of limit prices, % of the base price
  double bias_pct = 0.5;        ///< buyers centre above the base, sellers below, by this %
  double auction_share = 0.2;   ///< share of new orders with time in force AUCTION
  double replace_share = 0.15;  ///< share of actions that replace a live order
  double cancel_share = 0.10;   ///< share of actions that cancel a live order
  uint32_t min_qty = 10;
  uint32_t max_qty = 2000;
  uint64_t seed = 1;
  double sim_speed = 0;         ///< the exchange clock's speed (0: estimate from the feed)
  std::optional<uint64_t> until_ns;
  std::chrono::milliseconds reconnect_timeout{30000};  ///< then a bot gives up
  bool verbose = false;
};

class Crowd {
 public:
  explicit Crowd(CrowdOptions options);
  ~Crowd();

  /// Opens the feed and logs every bot in. Errors name the bot or address.
  absl::Status Start();
  /// Trades until the end of market hours, `until` or `*stop`. An error when the feed
  /// failed or a bot lost its session for good.
  absl::Status Run(const volatile std::sig_atomic_t* stop);

  std::string ReportText() const;
  std::string SummaryJson() const;

 private:
  struct Bot;
  void Act(uint64_t now);
  void NewOrder(Bot& b, uint64_t now);
  void ReplaceOrder(Bot& b, const OwnOrder& o);
  void CancelOrder(Bot& b, const OwnOrder& o);
  /// Base price of category `code` (yen) and whether it is accepting orders now.
  int64_t Base(const std::string& code) const;
  bool Accepting(const std::string& code) const;
  int64_t DrawPrice(const Bot& b, const std::string& code, char side);
  uint32_t DrawQty();
  void OnFeed(const md::FeedMessage& m);

  CrowdOptions options_;
  std::unique_ptr<md::FeedSubscriber> feed_;
  std::vector<std::unique_ptr<Bot>> bots_;
  SimClock clock_;
  std::mt19937_64 rng_;
  uint64_t next_action_ = 0;
  bool end_of_day_ = false;
  std::string stop_reason_;
  std::string day_;
};

}  // namespace ccx::bots
