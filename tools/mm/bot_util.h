// Small helpers shared by the trading bots (ccx-mm, ccx-crowd): option parsing for
// addresses and times of day, time formatting, and the categories a participant is a
// designated market maker in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/config/market_config.h"
#include "marketdata/subscriber/feed_subscriber.h"

namespace ccx::bots {

/// "HOST:PORT" split; an error names `option` when the text is not one.
absl::StatusOr<std::pair<std::string, uint16_t>> ParseHostPort(std::string_view text,
                                                               std::string_view option);
/// "HH:MM" or "HH:MM:SS" as ns since midnight.
absl::StatusOr<uint64_t> ParseTimeOfDay(std::string_view text);
/// ns since midnight as "HH:MM:SS".
std::string FormatTimeOfDay(uint64_t ns);
/// 1234567 as "1,234,567" (negative numbers keep their sign).
std::string Thousands(int64_t n);

/// Categories (codes, in configuration order) in which `user` is a designated market maker:
/// its `[[participant]] market_maker` list and every category whose `market_makers` names it.
/// Reads the participants of `config_path` (checked against `market`).
absl::StatusOr<std::vector<std::string>> DesignatedCategories(const std::string& config_path,
                                                              const MarketConfig& market,
                                                              const std::string& user);

/// The feed options of a bot's command line: --md-listen ADDR:PORT or --md-group ADDR:PORT
/// (default the exchange's multicast group), --retrans, --snapshot (each HOST:PORT when
/// given). An error says which option is wrong.
absl::StatusOr<md::FeedSubscriberOptions> FeedOptions(const std::string& md_listen, const std::string& md_group,
                                                      const std::string& retrans, const std::string& snapshot);

/// Comma-separated category codes, each checked against `market`.
absl::StatusOr<std::vector<std::string>> ParseCategoryList(std::string_view text,
                                                           const MarketConfig& market);

}  // namespace ccx::bots
